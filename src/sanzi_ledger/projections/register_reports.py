"""What the registers show as of a day: arrears, status, idle area, aging, usage.

Status and arrears depend on the day asked about, so they are computed here
from the stored schedules and settlements, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sanzi_ledger.domain.debts import AGING_BUCKETS, aging_bucket
from sanzi_ledger.domain.schedules import Instalment, Standing, standing
from sanzi_ledger.periods import Period
from sanzi_ledger.projections.views import Views


def _schedules(views: Views, collective: str, kind: str) -> dict[str, tuple[Instalment, ...]]:
    out: dict[str, list[Instalment]] = {}
    for record, due, amount in views.query(
        "SELECT record, due, amount_fen FROM v_schedules WHERE collective = ? AND record LIKE ? ORDER BY record, seq",
        (collective, f"{kind}:%"),
    ):
        out.setdefault(record.split(":", 1)[1], []).append(Instalment(due=date.fromisoformat(due), amount_fen=int(amount)))
    return {number: tuple(items) for number, items in out.items()}


def _settled_by(views: Views, collective: str, kind: str, as_of: date) -> dict[str, int]:
    """Money collected or paid per record up to the end of `as_of` (not later payments)."""
    rows = views.query(
        "SELECT record, SUM(amount_fen) FROM v_register_moves WHERE collective = ? AND record LIKE ? AND date <= ?"
        " GROUP BY record", (collective, f"{kind}:%", as_of.isoformat()),
    )
    return {record.split(":", 1)[1]: int(total) for record, total in rows}


def _status(end: date, closed_on: str | None, standing_: Standing, as_of: date) -> str:
    """End and termination dates are last days: a record is over the day after.
    Money still owed keeps it on the overdue list (清收) even once it is over."""
    if standing_.arrears_fen:
        return "overdue"
    if closed_on and date.fromisoformat(closed_on) < as_of:
        return "terminated"
    if end < as_of:
        return "expired"
    return "active"


@dataclass(frozen=True)
class ContractRow:
    number: str
    kind: str
    direction: str
    party: str
    party_id: str
    amount_fen: int
    start: str
    end: str
    settled_fen: int
    next_due: date | None
    next_due_fen: int
    arrears_fen: int
    days_overdue: int
    status: str
    last_review: str
    resolution: str
    method: str


def contracts(views: Views, collective: str, as_of: date) -> list[ContractRow]:
    schedules = _schedules(views, collective, "contract")
    settled_by = _settled_by(views, collective, "contract", as_of)
    rows = []
    for (number, kind, direction, party, party_id, amount, start, end, settled, terminated, review, resolution,
         method) in views.query(
        "SELECT number, kind, direction, party, party_id, amount_fen, start, end_date, settled_fen, terminated_on,"
        " last_review, resolution, method FROM v_contracts WHERE collective = ? ORDER BY number", (collective,),
    ):
        settled = settled_by.get(number, 0)
        s = standing(schedules.get(number, ()), settled, as_of)
        rows.append(ContractRow(
            number, kind, direction, party, party_id, int(amount), start, end, settled, s.next_due, s.next_due_fen,
            s.arrears_fen, s.days_overdue(as_of), _status(date.fromisoformat(end), terminated, s, as_of), review,
            resolution, method,
        ))
    return rows


@dataclass(frozen=True)
class LeaseRow:
    number: str
    item: str
    item_type: str
    area_cmu: int
    lessee: str
    lessee_id: str
    rent_fen: int
    per: str
    start: str
    end: str
    total_fen: int
    collected_fen: int
    arrears_fen: int
    days_overdue: int
    next_due: date | None
    status: str
    days_to_end: int
    ended_on: str | None = None  # ended early: its last day


def leases(views: Views, collective: str, as_of: date) -> list[LeaseRow]:
    schedules = _schedules(views, collective, "lease")
    collected_by = _settled_by(views, collective, "lease", as_of)
    rows = []
    for (number, item, item_type, area, lessee, lessee_id, rent, per, start, end, total, collected,
         ended) in views.query(
        "SELECT number, item, item_type, area_cmu, lessee, lessee_id, rent_fen, per, start, end_date, total_fen,"
        " collected_fen, ended_on FROM v_leases WHERE collective = ? ORDER BY number", (collective,),
    ):
        collected = collected_by.get(number, 0)
        # A lease ended early owes only the instalments due by its last day.
        owed = tuple(i for i in schedules.get(number, ()) if not ended or i.due <= date.fromisoformat(ended))
        s = standing(owed, collected, as_of)
        end_day = date.fromisoformat(ended or end)
        rows.append(LeaseRow(
            number, item, item_type, int(area), lessee, lessee_id, int(rent), per, start, end, int(total),
            collected, s.arrears_fen, s.days_overdue(as_of), s.next_due,
            _status(end_day, ended, s, as_of), (end_day - as_of).days, ended,
        ))
    return rows


@dataclass(frozen=True)
class ResourceRow:
    number: str
    name: str
    type: str
    area_cmu: int
    leased_cmu: int
    location: str

    @property
    def idle_cmu(self) -> int:
        return self.area_cmu - self.leased_cmu


def resources(views: Views, collective: str, as_of: date) -> list[ResourceRow]:
    """Each resource with the area let on `as_of` (a lease holds from its start through its last day)."""
    day = as_of.isoformat()
    rows = views.query(
        "SELECT r.number, r.name, r.type, r.area_cmu, r.location, COALESCE(SUM(CASE WHEN l.start <= ?"
        " AND ? <= COALESCE(l.ended_on, l.end_date) THEN l.area_cmu ELSE 0 END), 0)"
        " FROM v_resources r LEFT JOIN v_leases l ON l.collective = r.collective AND l.item = r.number"
        " WHERE r.collective = ? GROUP BY r.number, r.name, r.type, r.area_cmu, r.location ORDER BY r.number",
        (day, day, collective),
    )
    return [ResourceRow(n, name, t, int(area), int(leased), loc) for n, name, t, area, loc, leased in rows]


def assets(views: Views, collective: str) -> list[tuple]:
    return views.query(
        "SELECT number, name, category, account, value_fen, acquired, location, disposed_on, disposal_fen, voucher"
        " FROM v_assets WHERE collective = ? ORDER BY number", (collective,),
    )


@dataclass(frozen=True)
class DebtRow:
    number: str
    direction: str
    party: str
    party_id: str
    amount_fen: int
    date: str
    due: str | None
    account: str
    origin: str
    settled_fen: int
    written_off_fen: int
    outstanding_fen: int


def debts(views: Views, collective: str, as_of: date | None = None) -> list[DebtRow]:
    """Debts with what was outstanding at the end of `as_of` (default: now)."""
    day = (as_of or date.max).isoformat()
    rows = views.query(
        "SELECT d.number, d.direction, d.party, d.party_id, d.amount_fen, d.date, d.due, d.account, d.origin,"
        " COALESCE(SUM(CASE WHEN m.kind = 'settle' AND m.date <= ? THEN m.amount_fen ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN m.kind = 'write_off' AND m.date <= ? THEN m.amount_fen ELSE 0 END), 0)"
        " FROM v_debts d LEFT JOIN v_register_moves m ON m.collective = d.collective AND m.record = 'debt:' || d.number"
        " WHERE d.collective = ? AND d.date <= ?"
        " GROUP BY d.number, d.direction, d.party, d.party_id, d.amount_fen, d.date, d.due, d.account, d.origin"
        " ORDER BY d.number",
        (day, day, collective, day),
    )
    return [DebtRow(n, dr, p, pid, int(a), d, due, acct, o, int(s), int(w), int(a) - int(s) - int(w))
            for n, dr, p, pid, a, d, due, acct, o, s, w in rows]


def aging(views: Views, collective: str, as_of: date) -> dict[str, dict[str, int]]:
    """Outstanding by direction and age bucket (by the debt's date) on `as_of`."""
    table = {d: {label: 0 for label, _, _ in AGING_BUCKETS} for d in ("receivable", "payable")}
    for row in debts(views, collective, as_of):
        if row.outstanding_fen:
            table[row.direction][aging_bucket(date.fromisoformat(row.date), as_of)] += row.outstanding_fen
    return table


def debt_work(views: Views, collective: str, period: Period) -> dict[str, int]:
    """清收债权 (receivables collected) and 化解债务 (payables settled or written off) in a period."""
    out = {"receivable_collected": 0, "receivable_written_off": 0, "payable_settled": 0, "payable_written_off": 0}
    for direction, kind, total in views.query(
        "SELECT d.direction, m.kind, SUM(m.amount_fen) FROM v_register_moves m JOIN v_debts d"
        " ON m.collective = d.collective AND m.record = 'debt:' || d.number"
        " WHERE m.collective = ? AND m.date >= ? AND m.date <= ? GROUP BY d.direction, m.kind",
        (collective, period.first_day.isoformat(), period.last_day.isoformat()),
    ):
        if direction == "receivable":
            out["receivable_collected" if kind == "settle" else "receivable_written_off"] += int(total)
        else:
            out["payable_settled" if kind == "settle" else "payable_written_off"] += int(total)
    return out


@dataclass(frozen=True)
class SubsidyRow:
    number: str
    program: str
    source: str
    earmarked: bool
    purposes: str
    received_fen: int
    spent_fen: int
    returned_fen: int

    @property
    def balance_fen(self) -> int:
        return self.received_fen - self.spent_fen - self.returned_fen

    @property
    def usage_permille(self) -> int:
        """Spent / received, in ‰ (integers only: money never becomes a float)."""
        return self.spent_fen * 1000 // self.received_fen if self.received_fen else 0


def subsidies(views: Views, collective: str) -> list[SubsidyRow]:
    return [
        SubsidyRow(n, p, s, bool(e), pur, int(r), int(sp), int(rt))
        for n, p, s, e, pur, r, sp, rt in views.query(
            "SELECT number, program, source, earmarked, purposes, received_fen, spent_fen, returned_fen"
            " FROM v_subsidies WHERE collective = ? ORDER BY number", (collective,),
        )
    ]


def moves(views: Views, collective: str, record: str) -> list[tuple]:
    return views.query(
        "SELECT date, kind, amount_fen, note, voucher FROM v_register_moves WHERE collective = ? AND record = ?"
        " ORDER BY position", (collective, record),
    )


def expiring_within(rows: list[LeaseRow] | list[ContractRow], as_of: date, days: int) -> list:
    limit = as_of + timedelta(days=days)
    return [r for r in rows if r.status in ("active", "overdue") and as_of <= date.fromisoformat(r.end) <= limit]
