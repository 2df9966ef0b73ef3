// Entry point for `azd up`: creates the resource group and deploys resources.bicep into it. Parameters come
// from main.parameters.json (azd environment values); each is documented in resources.bicep.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds resource names.')
param environmentName string

@minLength(1)
@description('Azure region (one that offers Flex Consumption).')
param location string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// Required: an empty azd value fails the deployment at once instead of deploying an app that cannot sign in.
@minLength(1)
param microsoftClientId string
@minLength(1)
param zohoClientId string
@secure()
param tokenEncryptionKeys string = ''
@secure()
param sessionSecret string = ''
@secure()
param microsoftClientSecret string = ''
@secure()
param zohoClientSecret string = ''
param zohoAccountsUrl string = 'https://accounts.zoho.com'
param zohoApiBaseUrl string = 'https://recruit.zoho.com/recruit/v2'
param publicBaseUrl string = ''
param ssoTenants string = ''
param tokenEncryptionCurrentKey string = ''
@description('Signed-in user or pipeline (azd sets AZURE_PRINCIPAL_ID); may set Key Vault secrets.')
param principalId string = ''
param tablePrefix string = ''
param settingOverrides object = {}
param alwaysReadyHttpInstances int = 1
param maximumInstanceCount int = 100
param instanceMemoryMB int = 2048
param httpPerInstanceConcurrency int = 1

var tags = {
  'azd-env-name': environmentName
  app: 'zoho-recruit-o365-sync'
}

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: toLower(uniqueString(subscription().id, environmentName, location))
    microsoftClientId: microsoftClientId
    zohoClientId: zohoClientId
    tokenEncryptionKeys: tokenEncryptionKeys
    sessionSecret: sessionSecret
    microsoftClientSecret: microsoftClientSecret
    zohoClientSecret: zohoClientSecret
    zohoAccountsUrl: zohoAccountsUrl
    zohoApiBaseUrl: zohoApiBaseUrl
    publicBaseUrl: publicBaseUrl
    ssoTenants: ssoTenants
    tokenEncryptionCurrentKey: tokenEncryptionCurrentKey
    keyVaultAdminPrincipalId: principalId
    tablePrefix: tablePrefix
    settingOverrides: settingOverrides
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
  }
}

// azd stores these in the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output PUBLIC_BASE_URL string = resources.outputs.publicBaseUrl
output GRAPH_WEBHOOK_URL string = '${resources.outputs.publicBaseUrl}/api/webhooks/graph'
output RECRUIT_WEBHOOK_URL string = '${resources.outputs.publicBaseUrl}/api/webhooks/recruit'
output MICROSOFT_REDIRECT_URI string = '${resources.outputs.publicBaseUrl}/api/auth/microsoft/callback'
output ZOHO_REDIRECT_URI string = '${resources.outputs.publicBaseUrl}/api/auth/zoho/callback'
