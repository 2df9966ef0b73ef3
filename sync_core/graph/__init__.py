"""Microsoft Graph gateway: credentials, a raw-JSON client with per-mailbox limits, and the calls the engine
needs (containers, items, $batch, delta, subscriptions). Graph details stay inside this package.
"""
