"""The rules engine: a catalogue of warning rules evaluated over the views.

A flag is a projection: it is computed on demand from the views for a given
day, so it appears when the events that make it true arrive and disappears
after the event that fixes it (a collection, a deposit, a reversal…). The
same store and day always give the same flags.

Each rule is a function of an `Inspection` (the views of one collective, the
day, the thresholds) registered with `@rule(...)`; its registration is its
catalogue entry (id, severity, title, threshold keys, basis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any, TypeVar

from sanzi_ledger.config import FlagRules, Rules, load_rules
from sanzi_ledger.domain.schedules import add_months
from sanzi_ledger.money import format_yuan
from sanzi_ledger.periods import Period, month_of
from sanzi_ledger.projections.views import Views

SEVERITIES = ("red", "yellow")
T = TypeVar("T")


@dataclass(frozen=True)
class Flag:
    id: str  # f"{rule}:{subject}": stable for the same facts, so an audit finding can cite it
    rule: str
    severity: str  # "red" | "yellow"
    collective: str
    subject: str  # the record it is about: voucher no., contract/lease/debt/subsidy no., period, board
    title: str
    explanation: str  # one Chinese sentence with the figures
    refs: tuple[str, ...]  # voucher numbers and/or "#<log position>"
    since: date | None  # when the condition started, where meaningful


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "red", "yellow", or "yellow/red" when a second threshold raises it
    title: str
    keys: tuple[str, ...]  # threshold keys in rules.toml ("flags.x", "terms.y", "disclosure.z")
    basis: str  # where the rule and its default come from
    check: Callable[[Inspection], Iterable[Flag]]


CATALOGUE: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, *, keys: tuple[str, ...] = (), basis: str):
    """Register a rule function: its arguments are its catalogue entry."""

    def register(check: Callable[[Inspection], Iterable[Flag]]) -> Callable[[Inspection], Iterable[Flag]]:
        assert rule_id not in CATALOGUE, rule_id
        CATALOGUE[rule_id] = Rule(rule_id, severity, title, keys, basis, check)
        return check

    return register


def yuan(fen: int) -> str:
    return format_yuan(fen)


def full_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 when end is before a month has passed)."""
    months = max(0, (end.year - start.year) * 12 + end.month - start.month)
    while months and add_months(start, months) > end:
        months -= 1
    return months


class Inspection:
    """One collective's views as of a day, with the thresholds in force; shared reads are cached."""

    def __init__(self, views: Views, collective: str, *, today: date, period: Period | None,
                 thresholds: FlagRules, rules: Rules, start_period: str, chart: str) -> None:
        self.views = views
        self.collective = collective
        self.period = period
        # State rules look at the day asked about, or the end of the period if it ended before.
        self.as_of = min(today, period.last_day) if period else today
        # Transaction rules look at what happened within the period (all history without one).
        self.first_day = period.first_day if period else date(1, 1, 1)
        self.thresholds = thresholds
        self.rules = rules
        self.start_period = start_period
        self.chart = chart
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Read once per evaluation what several rules share."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def first_month(self) -> str:
        return max(self.start_period, month_of(self.first_day))

    @property
    def last_month(self) -> str:
        return month_of(self.as_of)

    def within(self, day: date) -> bool:
        return self.first_day <= day <= self.as_of

    def flag(self, rule_id: str, subject: str, explanation: str, *, refs: Iterable[str] = (),
             since: date | None = None, severity: str | None = None) -> Flag:
        entry = CATALOGUE[rule_id]
        severity = severity or entry.severity
        assert severity in SEVERITIES, (rule_id, severity)
        return Flag(f"{rule_id}:{subject}", rule_id, severity, self.collective, subject, entry.title, explanation,
                    tuple(dict.fromkeys(r for r in refs if r)), since)

    @cached_property
    def roles(self) -> dict[str, str]:
        return dict(self.views.query("SELECT name, role FROM v_members WHERE collective = ?", (self.collective,)))


def position_ref(position: int | None) -> str:
    return f"#{position}" if position else ""


def day_after(day: date) -> date:
    return day + timedelta(days=1)


def evaluate(views: Views, collective: str, *, today: date, period: Period | None = None,
             thresholds: FlagRules | None = None) -> list[Flag]:
    """Every flag of `collective` on `today` (within `period`, if given): red first, then rule, subject."""
    found = views.query("SELECT start_period, chart FROM v_collectives WHERE code = ?", (collective,))
    if not found:
        return []
    rules = load_rules()
    inspection = Inspection(views, collective, today=today, period=period, thresholds=thresholds or rules.flags,
                            rules=rules, start_period=found[0][0], chart=found[0][1])
    flags = [flag for entry in CATALOGUE.values() for flag in entry.check(inspection)]
    flags.sort(key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.subject))
    assert len({f.id for f in flags}) == len(flags), "flag ids must be unique"
    return flags


def threshold_values(entry: Rule, rules: Rules, thresholds: FlagRules | None = None) -> dict[str, str]:
    """The values in force for a rule's threshold keys, as typed in rules.toml (money in yuan)."""
    flags = thresholds or rules.flags
    out = {}
    for key in entry.keys:
        family, name = key.split(".", 1)
        if family == "flags" and name == "reference_price":
            prices = flags.reference_price_fen
            out[key] = "、".join(f"{kind} {format_yuan(fen, grouping=False)}" for kind, fen in sorted(prices.items())) or "（未设置）"
        elif family == "flags" and name.endswith("_yuan"):
            out[key] = format_yuan(getattr(flags, name.removesuffix("_yuan") + "_fen"), grouping=False)
        elif family == "flags":
            out[key] = str(getattr(flags, name))
        else:
            value = getattr(getattr(rules, family), name)
            out[key] = value.isoformat() if isinstance(value, date) else str(value)
    return out
