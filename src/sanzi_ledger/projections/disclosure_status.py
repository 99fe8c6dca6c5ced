"""定时: which disclosures each board owes, their deadlines, and whether they were met.

One place for the deadline rule: `disclose status` and the flags both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sanzi_ledger.config import load_rules
from sanzi_ledger.periods import Period, next_month, parse_period
from sanzi_ledger.projections.views import Views


@dataclass(frozen=True)
class Due:
    board: str
    period: str
    deadline: date
    state: str  # published | published_late | drafted | due | overdue
    number: str = ""
    published_on: str = ""


def deadline_of(period: Period, cadence: str) -> date:
    rules = load_rules().disclosure
    after = next_month(period.last)
    day = rules.quarterly_deadline_day if cadence == "quarterly" else rules.monthly_deadline_day
    return date(int(after[:4]), int(after[5:7]), day)


def periods_owed(cadence: str, start: str, today: date) -> list[Period]:
    """Every month or quarter from the books' start that has ended by today."""
    out, month = [], start
    while True:
        label = month if cadence == "monthly" else f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
        period = parse_period(label)
        if period.last_day >= today:
            return out
        if not out or out[-1].label != period.label:
            out.append(period)
        month = next_month(month)


def due_list(views: Views, code: str, start: str, today: date) -> list[Due]:
    """Every period each board of `code` owes by `today`, with its state."""
    rows = views.query("SELECT name, cadence FROM v_boards WHERE collective = ? ORDER BY name", (code,))
    found = {(b, p): (n, s, (at or "")[:10]) for b, p, n, s, at in views.query(
        "SELECT board, period, number, status, published_at FROM v_disclosures WHERE collective = ? ORDER BY number", (code,))}
    out = []
    for board, cadence in rows:
        if cadence == "adhoc":
            continue
        for period in periods_owed(cadence, start, today):
            deadline = deadline_of(period, cadence)
            number, state, published_on = found.get((board, period.label), ("", "", ""))
            if state == "published":
                kind = "published" if published_on <= deadline.isoformat() else "published_late"
            elif state in ("draft", "approved"):
                kind = "drafted" if today <= deadline else "overdue"
            else:
                kind = "due" if today <= deadline else "overdue"
            out.append(Due(board, period.label, deadline, kind, number, published_on))
    return out
