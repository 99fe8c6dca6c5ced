"""Rule thresholds from `rules.toml`, overridable by a township's own file.

The domain never reads files: commands load a `Rules` value and pass it in.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "rules.toml"


@dataclass(frozen=True)
class TermRules:
    lease_years_max: int
    wasteland_years_max: int
    farmland_end_max: date


@dataclass(frozen=True)
class DisclosureRules:
    monthly_deadline_day: int
    quarterly_deadline_day: int
    posting_days_min: int


@dataclass(frozen=True)
class Rules:
    terms: TermRules
    disclosure: DisclosureRules


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


@cache
def load_rules(path: str | None = None) -> Rules:
    data = tomllib.loads(DEFAULT_FILE.read_text("utf-8"))
    override = path or os.environ.get("SANZI_CONFIG")
    if override:
        data = _merge(data, tomllib.loads(Path(override).read_text("utf-8")))
    terms, disclosure = data["terms"], data["disclosure"]
    return Rules(
        terms=TermRules(
            lease_years_max=int(terms["lease_years_max"]),
            wasteland_years_max=int(terms["wasteland_years_max"]),
            farmland_end_max=date.fromisoformat(str(terms["farmland_end_max"])),
        ),
        disclosure=DisclosureRules(
            monthly_deadline_day=int(disclosure["monthly_deadline_day"]),
            quarterly_deadline_day=int(disclosure["quarterly_deadline_day"]),
            posting_days_min=int(disclosure["posting_days_min"]),
        ),
    )
