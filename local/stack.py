"""The pieces `make run` and the end-to-end tests share: the product's environment and child processes."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The app registrations the emulators' seeds know; local only, not secrets.
GRAPH_CLIENT_ID = "local-graph-client"
GRAPH_CLIENT_SECRET = "local-graph-secret"
ZOHO_CLIENT_ID = "local-zoho-client"
ZOHO_CLIENT_SECRET = "local-zoho-secret"
RECRUIT_SEED = ROOT / "local" / "seed" / "recruit.json"
# The data centres `make run` plays each on a port of its own, strictly (the Recruit emulator's `--dc`):
# Canada, so the seeded Canadian organisation signs in against its own accounts server and API, as at Zoho.
LOCAL_DATA_CENTRE_PORTS = {"ca": 7083}


@dataclass(frozen=True)
class Endpoints:
    """Where each part of a local stack listens."""

    storage_connection_string: str
    graph_base_url: str  # http listener, e.g. http://127.0.0.1:7081
    graph_tls_host: str  # https listener as host:port, e.g. 127.0.0.1:7444
    graph_ca_file: Path
    recruit_base_url: str  # e.g. http://127.0.0.1:7082
    public_base_url: str  # the dev host, e.g. http://127.0.0.1:7071
    # Data centres the Recruit emulator plays on their own port: location → base URL (ca → :7083).
    recruit_data_centres: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LocalSecrets:
    token_encryption_keys: str
    session_secret: str

    @classmethod
    def generate(cls) -> LocalSecrets:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        return cls(token_encryption_keys=f"local1:{key}", session_secret=secrets.token_urlsafe(32))

    @classmethod
    def load_or_create(cls, path: Path) -> LocalSecrets:
        if path.exists():
            return cls(**json.loads(path.read_text()))
        made = cls.generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(made.__dict__))
        path.chmod(0o600)
        return made


def product_environment(
    endpoints: Endpoints, local_secrets: LocalSecrets, table_prefix: str = ""
) -> dict[str, str]:
    """The app settings that point the product at a local stack (names as in sync_core/config.py)."""
    return {
        "AzureWebJobsStorage": endpoints.storage_connection_string,
        "TABLE_PREFIX": table_prefix,
        "TOKEN_ENCRYPTION_KEYS": local_secrets.token_encryption_keys,
        "SESSION_SECRET": local_secrets.session_secret,
        "PUBLIC_BASE_URL": endpoints.public_base_url,
        "GRAPH_API_BASE_URL": f"{endpoints.graph_base_url}/v1.0",
        "MICROSOFT_AUTHORITY_HOST": endpoints.graph_tls_host,
        "MICROSOFT_CA_FILE": str(endpoints.graph_ca_file),
        "MICROSOFT_CLIENT_ID": GRAPH_CLIENT_ID,
        "MICROSOFT_CLIENT_SECRET": GRAPH_CLIENT_SECRET,
        "ZOHO_ACCOUNTS_URL": endpoints.recruit_base_url,
        "ZOHO_API_BASE_URL": f"{endpoints.recruit_base_url}/recruit/v2",
        "ZOHO_CLIENT_ID": ZOHO_CLIENT_ID,
        "ZOHO_CLIENT_SECRET": ZOHO_CLIENT_SECRET,
        "SSO_TENANTS": demo_sso_tenants(),
        "ZOHO_LOCAL_DATA_CENTRES": ",".join(
            f"{base}={base}/recruit/v2" for base in endpoints.recruit_data_centres.values()
        ),
    }


def recruit_emulator_args(
    port: int, data_centre_ports: dict[str, int], seed: Path = RECRUIT_SEED
) -> list[str]:
    """The Recruit emulator's command line: the home data centre on `port`, each of `data_centre_ports`
    strictly on its own."""
    args = ["-m", "local.emulators.recruit", "--port", str(port), "--seed", str(seed)]
    for location, dc_port in data_centre_ports.items():
        args += ["--dc", f"{location}={dc_port}"]
    return args


def demo_sso_tenants() -> str:
    """`SSO_TENANTS` for the seeds: each Recruit org mapped to the consented tenant of its e-mail domain."""
    tenants = json.loads((ROOT / "local/seed/graph.json").read_text())["tenants"]
    consented = {tenant["domain"]: tenant["id"] for tenant in tenants if tenant.get("admin_consent")}
    pairs = []
    for org in json.loads((ROOT / "local/seed/recruit.json").read_text())["orgs"]:
        tenant_id = consented.get(str(org.get("primary_email", "")).rpartition("@")[2])
        if tenant_id:
            pairs.append(f"{org['id']}={tenant_id}")
    return ",".join(pairs)


def wait_for_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until `url` answers 200, failing early when `process` dies."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s ({last_error})")


@dataclass
class ChildProcess:
    """A Python module run as a child process, its output in a log file."""

    name: str
    args: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    # In its own session, a terminal's Ctrl-C reaches only the parent, which then stops children in order.
    own_session: bool = False

    def start(self) -> ChildProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, *self.args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=self.own_session,
        )
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
