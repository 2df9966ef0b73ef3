"""The security properties the deployment promises: Entra-only storage, a recoverable RBAC Key Vault, TLS 1.2,
and exactly the data roles the app's identity needs."""

from tests.unit.infra.bicep import parse_bicep

STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"


def test_storage_refuses_shared_keys_and_anonymous_blobs() -> None:
    storage = parse_bicep("modules/storage.bicep")["resources"]["storage"]["config"]["properties"]
    assert storage["allowSharedKeyAccess"] is False
    assert storage["allowBlobPublicAccess"] is False
    assert storage["minimumTlsVersion"] == "TLS1_2"


def test_key_vault_uses_rbac_with_soft_delete_and_purge_protection() -> None:
    vault = parse_bicep("modules/keyvault.bicep")["resources"]["vault"]["config"]["properties"]
    assert vault["enableRbacAuthorization"] is True
    assert vault["enableSoftDelete"] is True
    assert vault["enablePurgeProtection"] is True


def test_function_app_accepts_only_tls_1_2_and_newer() -> None:
    site = parse_bicep("modules/functionapp.bicep")["resources"]["site"]["config"]["properties"]
    assert site["siteConfig"]["minTlsVersion"] == "1.2"


def test_app_identity_gets_the_storage_data_roles_and_reads_key_vault_secrets() -> None:
    roles = parse_bicep("modules/roles.bicep")
    assert set(roles["variables"]["storageRoles"]["value"]) == {
        STORAGE_BLOB_DATA_OWNER,
        STORAGE_QUEUE_DATA_CONTRIBUTOR,
        STORAGE_TABLE_DATA_CONTRIBUTOR,
    }
    assert roles["variables"]["keyVaultSecretsUser"]["value"] == KEY_VAULT_SECRETS_USER
    vault_assignment = roles["resources"]["vaultAssignment"]["config"]
    assert vault_assignment["scope"] == "vault"
    assert vault_assignment["properties"]["principalId"] == "principalId"
