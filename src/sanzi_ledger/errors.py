"""Refusals: user errors as data.

A refusal names the record, the field, the value and the rule (a message code
from `messages.py`). It is raised before anything is written; the CLI renders
it in Chinese or English and exits 1. Programmer errors are assertions instead.
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A command was refused: nothing was written."""

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        value: Any = None,
        record: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.field = field
        self.value = value
        self.record = record
        self.params = params
        super().__init__(self.render("en"))

    def render(self, lang: str = "zh") -> str:
        from sanzi_ledger.messages import render_refusal

        return render_refusal(self, lang)

    def __reduce__(self) -> tuple:
        # Pickled whole (an import's reading process sends its refusals back): the
        # default would rebuild it from the rendered message alone.
        return (_rebuilt, (type(self), self.code, self.field, self.value, self.record, self.params))


def _rebuilt(kind: type[Refusal], code: str, field: str | None, value: Any, record: str | None,
             params: dict[str, Any]) -> Refusal:
    return kind(code, field=field, value=value, record=record, **params)


class StoreUnavailable(Exception):
    """The store cannot be opened, or is locked (exit 4)."""


class IntegrityFailure(Exception):
    """The stored history does not verify (exit 3)."""
