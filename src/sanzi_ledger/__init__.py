"""sanzi-ledger: an event-sourced, tamper-evident ledger for rural collectives' 三资."""

__version__ = "0.1.0"
