"""What an import did (or, refused or dry, would do): counts, file identity, every bad row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanzi_ledger.io.table import Errors


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sha256: str
    size_bytes: int
    encoding: str | None
    dry_run: bool
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    position: int = 0
    first_ref: str = ""
    last_ref: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    errors: Errors = field(default_factory=Errors)

    def refs(self, first: str, last: str) -> None:
        self.first_ref = self.first_ref or first
        self.last_ref = last

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "kind": self.kind, "file": self.file_name, "sha256": self.sha256,
            "encoding": self.encoding, "rows": self.rows, "imported": self.imported,
            "already_present": self.already_present, "position": self.position,
            "first": self.first_ref or None, "last": self.last_ref or None, "ignored_columns": self.ignored_columns,
            "error_count": self.errors.count, "errors": [error.as_json(lang) for error in self.errors.kept],
        }
