"""Storage layer: Azure Table repositories, the queue producer and encryption of secrets at rest.

Import the repositories from their modules; `StorageContext` (clients.py) owns the service clients they share.
"""
