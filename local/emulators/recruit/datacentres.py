"""Zoho's data centres (location → accounts server and Recruit API host) and which base URL plays each.

Sources: Zoho accounts' "Multi DC support" page (zoho.com/accounts/protocol/oauth/multi-dc.html) for the
locations and accounts servers, including Canada's `accounts.zohocloud.ca`; the Recruit hosts follow
API-NOTES.md "Hosts and OAuth" (public Recruit integrations that probed them live: `recruit.zohocloud.ca`, not
`recruit.zoho.ca`). SG and AE follow the same pattern and are unconfirmed.

One emulator process plays every data centre. A location given its own base URL (`--dc ca=7083`, or
`create_app(seed, data_centres={"ca": url})`) is strict there: its accounts server and API answer only its own
users and tokens, and the home base refuses them, as two real data centres do. A location without a base URL
is played at the home base, so a single-listener emulator still serves every seeded organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

HOME_LOCATION = "us"


@dataclass(frozen=True)
class DataCentre:
    location: str
    accounts_host: str
    api_host: str


DATA_CENTRES: dict[str, DataCentre] = {
    dc.location: dc
    for dc in (
        DataCentre("us", "accounts.zoho.com", "recruit.zoho.com"),
        DataCentre("eu", "accounts.zoho.eu", "recruit.zoho.eu"),
        DataCentre("in", "accounts.zoho.in", "recruit.zoho.in"),
        DataCentre("au", "accounts.zoho.com.au", "recruit.zoho.com.au"),
        DataCentre("cn", "accounts.zoho.com.cn", "recruit.zoho.com.cn"),
        DataCentre("jp", "accounts.zoho.jp", "recruit.zoho.jp"),
        DataCentre("ca", "accounts.zohocloud.ca", "recruit.zohocloud.ca"),
        DataCentre("sa", "accounts.zoho.sa", "recruit.zoho.sa"),
        DataCentre("uk", "accounts.zoho.uk", "recruit.zoho.uk"),
        DataCentre("sg", "accounts.zoho.sg", "recruit.zoho.sg"),
        DataCentre("ae", "accounts.zoho.ae", "recruit.zoho.ae"),
    )
}


@dataclass
class DataCentrePlay:
    """Which local base URL plays which location; every other base URL plays the home location."""

    bases: dict[str, str]

    def __post_init__(self) -> None:
        unknown = set(self.bases) - set(DATA_CENTRES)
        if unknown:
            raise ValueError(f"unknown data centre locations: {sorted(unknown)}")
        self.bases = {location: base.rstrip("/") for location, base in self.bases.items()}

    def location_at(self, base_url: str) -> str | None:
        """The location a request's base URL plays strictly, or None for the home base."""
        base = base_url.rstrip("/")
        return next((location for location, own in self.bases.items() if own == base), None)

    def serves(self, location: str, base_url: str) -> bool:
        """Whether a request to `base_url` may act for a user or token of `location`."""
        strict = self.location_at(base_url)
        if strict is not None:
            return strict == location
        return location not in self.bases

    def base_for(self, location: str, request_base: str) -> str:
        """Where a user of `location` signs in and calls the API: its own base, else the one asked."""
        return self.bases.get(location, request_base.rstrip("/"))
