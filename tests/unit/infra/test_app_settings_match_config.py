"""No drift between sync_core/config.py and the app settings infra/resources.bicep gives the Function App:
every setting is set, nothing unknown is set, defaults agree, and secrets come from Key Vault."""

import re

import pytest

from sync_core.config import Settings
from tests.unit.infra.bicep import object_keys, parse_bicep, setting_names, variable

RESOURCES = "resources.bicep"

# Settings config.py reads that Azure deliberately leaves unset, with the reason.
UNSET_IN_AZURE = {
    # A connection string needs shared keys, which are off; AzureWebJobsStorage__accountName (managed
    # identity) replaces it for the host and for our code.
    "AzureWebJobsStorage",
    # Only local stacks trust extra Zoho data centres (the Recruit emulator's ports); Azure uses Zoho's own.
    "ZOHO_LOCAL_DATA_CENTRES",
}
# Settings for the Functions host itself; config.py reads them too (telemetry), but they are set in
# `hostSettings`, once, not among our product settings.
HOST_SETTINGS = {"APPLICATIONINSIGHTS_CONNECTION_STRING"}
KEY_VAULT_REFERENCE = re.compile(
    r"^@Microsoft\.KeyVault\(SecretUri=\$\{keyVaultSecrets\}/(?P<secret>[a-z0-9-]+)\)$"
)


def _tuning_defaults() -> dict[str, str]:
    return {key.strip("'"): value for key, value in variable(RESOURCES, "tuningDefaults").items()}


def _wired_settings() -> dict[str, object]:
    return {key.strip("'"): value for key, value in variable(RESOURCES, "wiredSettings").items()}


def _product_settings_in_bicep() -> set[str]:
    return set(_tuning_defaults()) | set(_wired_settings())


def test_every_config_setting_is_set_in_the_bicep_app_settings() -> None:
    missing = set(setting_names()) - UNSET_IN_AZURE - HOST_SETTINGS - _product_settings_in_bicep()
    assert sorted(missing) == []


def test_host_settings_config_reads_are_not_repeated_among_the_product_settings() -> None:
    assert HOST_SETTINGS & _product_settings_in_bicep() == set()


def test_every_bicep_app_setting_is_a_config_setting() -> None:
    unknown = _product_settings_in_bicep() - set(setting_names())
    assert sorted(unknown) == []


def test_settings_left_unset_in_azure_are_really_absent() -> None:
    assert UNSET_IN_AZURE & _product_settings_in_bicep() == set()


def test_a_setting_is_either_a_tuning_default_or_wired_never_both() -> None:
    assert set(_tuning_defaults()) & set(_wired_settings()) == set()


def test_the_host_gets_only_its_own_settings_beside_ours() -> None:
    assert object_keys(variable(RESOURCES, "hostSettings")) == HOST_SETTINGS


def test_the_app_settings_applied_are_host_tuning_overrides_then_wired_settings() -> None:
    # wiredSettings last: an override can retune a value but never replace a Key Vault reference.
    settings = parse_bicep(RESOURCES)["modules"]["appSettings"]["config"]["params"]["settings"]
    assert settings["function"]["type"] == "union"
    assert list(settings["function"]["parameters"].values()) == [
        "hostSettings",
        "tuningDefaults",
        "settingOverrides",
        "wiredSettings",
    ]


def test_tuning_defaults_in_bicep_equal_the_config_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    names = setting_names()
    for env_name, value in _tuning_defaults().items():
        monkeypatch.setenv(env_name, value)
    from_bicep = Settings()
    differing = {
        env_name: (getattr(from_bicep, names[env_name]), Settings.model_fields[names[env_name]].default)
        for env_name in _tuning_defaults()
        if getattr(from_bicep, names[env_name]) != Settings.model_fields[names[env_name]].default
    }
    assert differing == {}


def test_secret_settings_are_key_vault_references_to_secrets_the_deployment_writes() -> None:
    secret_names = {name for name in setting_names() if name.endswith(("_SECRET", "_KEYS"))}
    assert secret_names >= {
        "TOKEN_ENCRYPTION_KEYS",
        "SESSION_SECRET",
        "MICROSOFT_CLIENT_SECRET",
        "ZOHO_CLIENT_SECRET",
    }
    written = object_keys(parse_bicep(RESOURCES)["modules"]["keyVault"]["config"]["params"]["secretValues"])
    wired = _wired_settings()
    referenced = {}
    for name in secret_names:
        match = KEY_VAULT_REFERENCE.match(str(wired.get(name)))
        assert match is not None, f"{name} is not a Key Vault reference: {wired.get(name)!r}"
        referenced[name] = match["secret"]
    assert set(referenced.values()) <= written
    assert len(set(referenced.values())) == len(referenced)


def test_no_secret_sits_in_the_tuning_defaults() -> None:
    assert {name for name in _tuning_defaults() if name.endswith(("_SECRET", "_KEYS"))} == set()


def test_public_base_url_is_the_function_apps_https_host_unless_overridden() -> None:
    conditional = _wired_settings()["PUBLIC_BASE_URL"]["operator"]  # type: ignore[index]
    assert conditional["type"] == "conditional"
    assert conditional["operands"]["true_value"] == "https://${functionApp.outputs.defaultHostName}"
    assert conditional["operands"]["false_value"] == "publicBaseUrl"


def test_storage_is_reached_by_account_name_through_the_managed_identity() -> None:
    account = _wired_settings()["AzureWebJobsStorage__accountName"]
    assert "storage" in str(account) and "name" in str(account)
