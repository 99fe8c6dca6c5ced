"""The domain: events and the rules that decide them. Pure: no I/O, no SQL, no CLI.

Each module holds one aggregate family: its events (facts, past tense, frozen),
its state (folded from the events) and its decide functions (command -> events,
or a `Refusal`).
"""
