"""Tamper evidence: a hash chain over the log, written with the events, and its verification."""
