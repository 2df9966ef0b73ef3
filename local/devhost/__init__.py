"""A stand-in for Azure Functions Core Tools: runs a FunctionApp's HTTP, queue and timer functions locally.

`python -m local.devhost` serves HTTP on 127.0.0.1:7071, polls Azurite queues and fires timers.
"""
