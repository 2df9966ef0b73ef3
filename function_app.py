"""The Function App: one FunctionApp, every trigger registered from the blueprints in sync_core/functions."""

import azure.functions as func

from sync_core.functions import blueprints

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
for blueprint in blueprints():
    app.register_functions(blueprint)
