"""Rule thresholds from `rules.toml`, overridable by a township's own file.

The domain never reads files: commands load a `Rules` value and pass it in.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from sanzi_ledger.errors import Refusal

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
class FlagRules:
    """Thresholds of the warning rules (`[flags]`); money in fen, areas per 亩."""

    overdue_months_yellow: int
    overdue_months_red: int
    expiring_days: int
    escalation_years: int
    below_price_red_percent: int
    cash_limit_fen: int
    cash_payment_max_fen: int
    approval_tier_fen: int
    works_audit_tier_fen: int
    subsidy_idle_months: int
    receivable_years: int
    payables_growth_percent: int
    debt_ratio_percent: int
    close_days: int
    disclosures_per_year_min: int
    backdate_days: int
    # resource type -> reference rent in fen per 亩 per year; a type not listed is not compared
    reference_price_fen: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    terms: TermRules
    disclosure: DisclosureRules
    flags: FlagRules


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


def load_rules(path: str | None = None) -> Rules:
    """The rules in force: the defaults merged with `path` or SANZI_CONFIG. Cached per file,
    its modification time and size, so a changed setting or file is read again."""
    override = path or os.environ.get("SANZI_CONFIG") or ""
    if override and not os.path.isfile(override):
        raise Refusal("config.missing", field="SANZI_CONFIG", value=override)
    found = os.stat(override) if override else None
    return _load(override, (found.st_mtime_ns, found.st_size) if found else (0, 0))


@cache
def _load(override: str, stamp: tuple[int, int]) -> Rules:
    data = tomllib.loads(DEFAULT_FILE.read_text("utf-8"))
    if override:
        try:
            data = _merge(data, tomllib.loads(Path(override).read_text("utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise Refusal("config.syntax", field="SANZI_CONFIG", value=override, error=str(error)) from error
    terms, disclosure, flags = data["terms"], data["disclosure"], data["flags"]
    return Rules(
        terms=TermRules(
            lease_years_max=_count(terms, "terms", "lease_years_max"),
            wasteland_years_max=_count(terms, "terms", "wasteland_years_max"),
            farmland_end_max=_day(terms, "terms", "farmland_end_max"),
        ),
        disclosure=DisclosureRules(
            monthly_deadline_day=_count(disclosure, "disclosure", "monthly_deadline_day"),
            quarterly_deadline_day=_count(disclosure, "disclosure", "quarterly_deadline_day"),
            posting_days_min=_count(disclosure, "disclosure", "posting_days_min"),
        ),
        flags=_flag_rules(flags),
    )


def _count(section: dict, name: str, key: str) -> int:
    """A whole, non-negative number of days, months, years or percent: 2.9 is refused, not cut to 2."""
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Refusal("config.count", field=f"{name}.{key}", value=value)
    return value


def _day(section: dict, name: str, key: str) -> date:
    try:
        return date.fromisoformat(str(section.get(key)))
    except ValueError as error:
        raise Refusal("config.date", field=f"{name}.{key}", value=section.get(key)) from error


def _fen(yuan: object, key: str) -> int:
    from sanzi_ledger.money import parse_yuan

    return parse_yuan(str(yuan), field=f"flags.{key}")


def _flag_rules(flags: dict) -> FlagRules:
    money = {f"{key}_fen": _fen(flags[f"{key}_yuan"], f"{key}_yuan")
             for key in ("cash_limit", "cash_payment_max", "approval_tier", "works_audit_tier")}
    counts = {key: _count(flags, "flags", key) for key in (
        "overdue_months_yellow", "overdue_months_red", "expiring_days", "escalation_years", "below_price_red_percent",
        "subsidy_idle_months", "receivable_years", "payables_growth_percent", "debt_ratio_percent", "close_days",
        "disclosures_per_year_min", "backdate_days")}
    prices = {str(kind): _fen(yuan, f"reference_price.{kind}") for kind, yuan in flags.get("reference_price", {}).items()}
    return FlagRules(**money, **counts, reference_price_fen=prices)


load_rules.cache_clear = _load.cache_clear  # type: ignore[attr-defined]  # tests that rewrite a file within one tick
