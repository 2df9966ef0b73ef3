// Everything in one resource group: storage, Key Vault, monitoring, the Function App, its roles and its app
// settings. Deploy it directly with `az deployment group create`; main.bicep wraps it for azd.

@description('Azure region (one that offers Flex Consumption).')
param location string = resourceGroup().location

@description('Tags for every resource.')
param tags object = {}

@description('Seed of the resource names, unique per subscription, group and environment.')
param resourceToken string = toLower(uniqueString(subscription().id, resourceGroup().id, location))

@description('azd service name from azure.yaml.')
param serviceName string = 'api'

// --- Product settings that an operator must provide ---
@description('Entra app registration (client) id (MICROSOFT_CLIENT_ID).')
param microsoftClientId string

@description('Zoho API client id (ZOHO_CLIENT_ID).')
param zohoClientId string

@secure()
@description('TOKEN_ENCRYPTION_KEYS, `kid:base64key[,kid:base64key...]`; empty keeps the value already in Key Vault.')
param tokenEncryptionKeys string = ''

@secure()
@description('SESSION_SECRET; empty keeps the value already in Key Vault.')
param sessionSecret string = ''

@secure()
@description('MICROSOFT_CLIENT_SECRET; empty keeps the value already in Key Vault.')
param microsoftClientSecret string = ''

@secure()
@description('ZOHO_CLIENT_SECRET; empty keeps the value already in Key Vault.')
param zohoClientSecret string = ''

// --- Product settings with sensible defaults ---
@description('Zoho accounts server of your data centre (ZOHO_ACCOUNTS_URL).')
param zohoAccountsUrl string = 'https://accounts.zoho.com'

@description('Recruit API root of your data centre (ZOHO_API_BASE_URL).')
param zohoApiBaseUrl string = 'https://recruit.zoho.com/recruit/v2'

@description('Graph API root (GRAPH_API_BASE_URL).')
param graphApiBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('Microsoft identity host (MICROSOFT_AUTHORITY_HOST).')
param microsoftAuthorityHost string = 'login.microsoftonline.com'

@description('PUBLIC_BASE_URL when the app sits behind a custom domain; empty means https://<default host name>.')
param publicBaseUrl string = ''

@description('SSO_TENANTS: `recruit_org_id=tenant_id` pairs, comma-separated, for orgs whose tenant gave admin consent.')
param ssoTenants string = ''

@description('TOKEN_ENCRYPTION_CURRENT_KEY: the key id that encrypts (empty: the first of TOKEN_ENCRYPTION_KEYS); set it to promote an appended key.')
param tokenEncryptionCurrentKey string = ''

@description('TABLE_PREFIX, letters and digits, when several deployments share one storage account.')
param tablePrefix string = ''

@description('QUEUE_SYNC_REQUESTS.')
param queueSyncRequests string = 'sync-requests'

@description('QUEUE_LIFECYCLE.')
param queueLifecycle string = 'lifecycle'

@description('Overrides of the tuning settings below, by environment name, e.g. {"INITIAL_EVENTS_CAP": "2000"}.')
param settingOverrides object = {}

// --- Scale ---
@description('Always-ready instances for the HTTP functions.')
@minValue(0)
param alwaysReadyHttpInstances int = 1

@description('Most instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Concurrent HTTP requests per instance.')
@minValue(1)
param httpPerInstanceConcurrency int = 1

@description('Object id of whoever rotates secrets (gets Key Vault Secrets Officer); empty grants nobody.')
param keyVaultAdminPrincipalId string = ''

@description('Storage replication.')
param storageSkuName string = 'Standard_LRS'

var deploymentContainerName = 'app-package-${resourceToken}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${resourceToken}'
    appInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    queueNames: [queueSyncRequests, queueLifecycle]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: 'kv-${resourceToken}'
    secretValues: {
      'token-encryption-keys': tokenEncryptionKeys
      'session-secret': sessionSecret
      'microsoft-client-secret': microsoftClientSecret
      'zoho-client-secret': zohoClientSecret
    }
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    serviceName: serviceName
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    secretsOfficerPrincipalId: keyVaultAdminPrincipalId
  }
}

// ---------------------------------------------------------------------------------------------------------
// App settings. Every setting of sync_core/config.py appears exactly once, either in `tuningDefaults` (plain
// values, overridable through `settingOverrides`) or in `wiredSettings` (values from parameters, other
// resources or Key Vault). tests/unit/infra checks both against config.py: add a new setting here.
// ---------------------------------------------------------------------------------------------------------

// Defaults equal to config.py's (the test checks they agree); app settings are strings.
var tuningDefaults = {
  MICROSOFT_EXTENDED_PROPERTY_ID: 'String {4f1d3c52-8a0e-4b8e-9d7c-2f6a1e5b9c31} Name ZohoRecruitId'
  ZOHO_SCOPES: 'ZohoRecruit.modules.event.ALL,ZohoRecruit.modules.interview.ALL,ZohoRecruit.modules.contact.ALL,ZohoRecruit.settings.READ,ZohoRecruit.users.READ,ZohoRecruit.search.READ,ZohoRecruit.org.READ'
  ZOHO_NOTIFICATIONS_SCOPE: 'ZohoRecruit.notifications.READ,ZohoRecruit.notifications.CREATE,ZohoRecruit.notifications.UPDATE,ZohoRecruit.notifications.DELETE'
  CALENDAR_NAME: 'Zoho Recruit'
  CONTACT_FOLDER_NAME: 'Zoho Recruit Contacts'
  INITIAL_EVENTS_CAP: '5000'
  INITIAL_CONTACTS_CAP: '10000'
  DELTA_WINDOW_PAST_DAYS: '365'
  DELTA_WINDOW_FUTURE_DAYS: '1095'
  IMPORT_BATCH_MIN: '20'
  IMPORT_SOURCES: 'Import,Migration'
  PARTICIPANTS_AS_ATTENDEES: 'false'
  SUBSCRIPTION_LIFETIME_MINUTES: '4230'
  CHANNEL_LIFETIME_HOURS: '24'
  RENEW_BEFORE_MINUTES: '720'
  LEASE_SECONDS: '300'
  GRAPH_MAX_CONCURRENCY: '4'
  INITIAL_SYNC_CHUNK: '200'
  RECRUIT_SWEEP_MINUTES: '15'
  RECRUIT_DAILY_CREDIT_BUDGET: '5000'
}

var keyVaultSecrets = '${keyVault.outputs.uri}secrets'

var wiredSettings = {
  // Identity-based storage for the host and our code; AzureWebJobsStorage (a connection string) stays unset.
  AzureWebJobsStorage__accountName: storage.outputs.name
  TABLE_PREFIX: tablePrefix
  QUEUE_SYNC_REQUESTS: queueSyncRequests
  QUEUE_LIFECYCLE: queueLifecycle
  // Versionless secret URIs: the app picks up a new secret version (a rotated key) within a day or on restart.
  TOKEN_ENCRYPTION_KEYS: '@Microsoft.KeyVault(SecretUri=${keyVaultSecrets}/token-encryption-keys)'
  SESSION_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultSecrets}/session-secret)'
  MICROSOFT_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultSecrets}/microsoft-client-secret)'
  ZOHO_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultSecrets}/zoho-client-secret)'
  PUBLIC_BASE_URL: empty(publicBaseUrl) ? 'https://${functionApp.outputs.defaultHostName}' : publicBaseUrl
  GRAPH_API_BASE_URL: graphApiBaseUrl
  MICROSOFT_AUTHORITY_HOST: microsoftAuthorityHost
  // Empty: the system CAs; only the local emulator needs a CA file.
  MICROSOFT_CA_FILE: ''
  MICROSOFT_CLIENT_ID: microsoftClientId
  ZOHO_ACCOUNTS_URL: zohoAccountsUrl
  ZOHO_API_BASE_URL: zohoApiBaseUrl
  ZOHO_CLIENT_ID: zohoClientId
  SSO_TENANTS: ssoTenants
  TOKEN_ENCRYPTION_CURRENT_KEY: tokenEncryptionCurrentKey
}

// Read by the Functions host itself (its logs and invocations) and by config.py (sync pass spans and metrics,
// sync_core/telemetry_setup.py): set once here, so not repeated in wiredSettings.
var hostSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  params: {
    functionAppName: functionApp.outputs.name
    settings: union(hostSettings, tuningDefaults, settingOverrides, wiredSettings)
  }
  dependsOn: [
    roles
  ]
}

output functionAppName string = functionApp.outputs.name
output publicBaseUrl string = wiredSettings.PUBLIC_BASE_URL
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
