"""The pure sync domain: canonical items, fingerprints, merge, the planner, time zones, recurrence, bodies.

Nothing here does I/O or imports other project packages; time and data arrive as arguments.
"""
