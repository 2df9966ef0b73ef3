// Applies the Function App's app settings as one set (replacing what is there), after the app, its identity
// and its roles exist, so PUBLIC_BASE_URL can use the app's real host name.

@description('Function App name.')
param functionAppName string

@description('Every app setting, name to string value; Key Vault references are plain strings here.')
param settings object

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  // This resource holds only app settings; checkov reads any sites/config as a whole site config, so the
  // site-level checks below do not apply here (the site itself is checked in functionapp.bicep).
  // checkov:skip=CKV_AZURE_13: not a site config (app settings only); the app authenticates users itself.
  // checkov:skip=CKV_AZURE_63: not a site config; HTTP request logs go to Application Insights.
  // checkov:skip=CKV_AZURE_65: not a site config (app settings only).
  // checkov:skip=CKV_AZURE_66: not a site config (app settings only).
  // checkov:skip=CKV_AZURE_80: not a site config, and the app is Python, not .NET.
  // checkov:skip=CKV_AZURE_88: not a site config; Flex Consumption has no Azure Files content share.
  // checkov:skip=CKV_AZURE_222: not a site config; the site is public by design (functionapp.bicep).
  parent: site
  name: 'appsettings'
  properties: settings
}
