"""`python -m sanzi_ledger` is the `sanzi` command."""

from sanzi_ledger.cli.main import run

run()
