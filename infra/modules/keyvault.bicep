// The Key Vault holding the app's secrets (token encryption keys, session key, Microsoft and Zoho client
// secrets). RBAC mode; the Function App reads them through Key Vault references in its app settings.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Key Vault name (3-24 characters).')
param name string

@description('Secret name to value. An empty value leaves that secret as it is in the vault, so a key rotated in the vault is not overwritten by a later deployment.')
@secure()
param secretValues object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  // checkov:skip=CKV_AZURE_189: the Function App has no VNet, so the vault keeps its public endpoint; RBAC lets only the app's identity read secrets.
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // checkov:skip=CKV_AZURE_109: the Function App has no VNet, so it reaches the vault over the public endpoint; RBAC limits reads to its identity.
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in items(secretValues): if (!empty(secret.value)) {
    // checkov:skip=CKV_AZURE_41: rotation is by hand (infra/README.md); an expiry date would silently stop the app from decrypting tokens.
    parent: vault
    name: secret.key
    properties: {
      value: secret.value
      contentType: 'text/plain'
    }
  }
]

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
