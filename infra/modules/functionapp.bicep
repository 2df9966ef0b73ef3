// The Function App on a Flex Consumption plan: Python 3.11, system-assigned identity, HTTPS only, TLS 1.2,
// FTP and basic publishing credentials off. App settings are applied separately (appsettings.bicep).

@description('Azure region.')
param location string

@description('Tags for the plan; the app also gets the azd service tag.')
param tags object = {}

@description('azd service name from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Blob endpoint of the storage account holding the deployment container.')
param storageBlobEndpoint string

@description('Container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Always-ready instances for the HTTP functions (webhooks must answer within seconds; a cold start cannot).')
@minValue(0)
param alwaysReadyHttpInstances int

@description('Upper bound on instances the plan scales out to (Flex Consumption allows up to 1,000).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Concurrent HTTP requests one instance takes; Python workers serve one at a time well.')
@minValue(1)
param httpPerInstanceConcurrency int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225: zone redundancy on Flex Consumption is regional and costs always-ready instances in each zone; a short outage only delays sync (Graph and Zoho retry webhooks, the sweep catches up).
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_17: Graph and Zoho do not present client certificates when they call the webhooks.
  // checkov:skip=CKV_AZURE_222: Graph, Zoho and users' browsers reach the app over the internet by design.
  // checkov:skip=CKV_AZURE_212: Flex Consumption places and replaces instances itself; alwaysReady keeps a warm floor for the webhooks.
  // checkov:skip=CKV_AZURE_213: App Service health check is an App Service plan feature; on Flex Consumption probe GET /api/health with an availability test instead.
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        alwaysReady: (alwaysReadyHttpInstances > 0) ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
  }
}

// Deployments go through Entra ID (azd, az functionapp deploy); basic-auth publishing stays off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output id string = site.id
output principalId string = site.identity.principalId
output defaultHostName string = site.properties.defaultHostName
