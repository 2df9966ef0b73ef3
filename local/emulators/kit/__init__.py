"""Shared parts of the local emulators: clock, fault injection, request stats, control API, serving.

Each emulator (graph, recruit) builds its own Starlette app on top of these.
"""
