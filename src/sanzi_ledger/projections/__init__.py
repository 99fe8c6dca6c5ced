"""Read models: tables rebuilt from the log, one module per table family.

A projection never decides anything; it only turns events into rows. The
runner applies new events and records the log position it reached in the
same transaction (eventsourcing's tracking table), so a view is never ahead
of or behind its own position.
"""
