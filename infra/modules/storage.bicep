// The one storage account: the Functions host (leases, deployment package), our tables and our queues.
// Reached only through Entra ID (the app's managed identity); shared keys and anonymous blob access are off.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Storage account name (3-24 lower-case letters and digits).')
param name string

@description('Replication; LRS is enough because every row can be rebuilt from Graph and Recruit by a resync.')
param skuName string = 'Standard_LRS'

@description('Blob container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Queues the product sends to; the host creates their -poison twins itself.')
param queueNames array

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_59: Flex Consumption without a VNet reaches storage over its public endpoint; access is Entra-only (no shared key, no anonymous blobs).
  // checkov:skip=CKV_AZURE_206: LRS by default for cost; pass storageSkuName Standard_ZRS or Standard_GRS where a regional loss must not make users re-enable sync.
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // checkov:skip=CKV_AZURE_35: Flex Consumption without a VNet reaches storage over its public endpoint; access is Entra-only (no shared key, no anonymous blobs) instead.
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
