"""The books as a plain-text double-entry ledger: beancount 3, or hledger's journal.

Plain text outlives programs (vouchers are kept 30 years, domain.md §7), and
two independent tools can then re-add our books: `bean-check` and `hledger`.

Account names (docs/export.md). Beancount's grammar wants a root type
(Assets, Liabilities, Equity, Income, Expenses) and components that start with
an upper-case letter or a digit and hold only letters, digits and "-"; CJK
characters count as letters (beancount 3). So an account is

    Assets:330185101201:112-应收款:112001-应收承包费
    <root>:<collective code>:<code>-<name>[:<sub code>-<name>...]

the chart class giving the root (资产 and 成本 -> Assets, 负债 -> Liabilities,
所有者权益 -> Equity, 损益 -> Income when its normal side is credit, else
Expenses), the collective's code always first (the same account keeps the same
name whether the file holds one collective or all), one component per level of
the chart, and a name stripped of what the grammar refuses (brackets, spaces,
punctuation: 生产(劳务)成本 -> 401-生产劳务成本). The code keeps names unique.

Signs: a debit is a positive posting, a credit a negative one; a reversal's
red lines are negative debits and credits, as stored.

What is written, in order: options; per collective, an `open` for every
account of its chart and every sub-account, dated at its books' start; every
voucher (ordinary, 红字冲销 and 年终结转) as a transaction in log order, read
from the event log itself; and per collective a `balance` assertion for every
account it ever posted to, taken from the trial-balance view, dated the day
after its last month with movement. So `bean-check` (or `hledger check`)
re-adds the log's postings and proves they equal what our views say.

Streaming: events are read a page at a time and written as they come; what is
held is the account names and closing balances, never the vouchers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TextIO

from sanzi_ledger.chart import Account, Chart, load_chart
from sanzi_ledger.money import json_yuan
from sanzi_ledger.periods import next_month
from sanzi_ledger.projections.runner import TRACKING_NAME

if TYPE_CHECKING:
    from sanzi_ledger.commands.ledger import Ledger

CURRENCY = "CNY"
POSTED_TOPIC = "voucher.Posted.v1"
# Opening balances migrated from the 2004 chart move the books without a voucher.
MIGRATED_TOPIC = "import.OpeningMigrated.v1"
PAGE_EVENTS = 2_000
ROOTS = {"asset": "Assets", "cost": "Assets", "liability": "Liabilities", "equity": "Equity"}
DIALECTS = ("beancount", "hledger")


def root_of(account: Account) -> str:
    """The beancount root type of a first-level account of the chart."""
    if account.account_class == "profit_loss":
        return "Income" if account.side == "credit" else "Expenses"
    return ROOTS[account.account_class]


def component(code: str, name: str) -> str:
    """One account component: the code (a digit first, as the grammar wants), a
    dash, and the name with everything but letters, digits and dashes dropped."""
    kept = "".join(ch for ch in name if ch == "-" or unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd")
    return f"{code}-{kept}" if kept else code


@dataclass(frozen=True)
class Collective:
    code: str
    name: str
    chart: Chart
    start: date  # the first day of its books
    sub_accounts: dict[str, tuple[str, str]]  # code -> (name, parent code)

    def account_name(self, code: str) -> str:
        """Full account name of a chart account or sub-account of this collective."""
        parts = []
        current = code
        while current in self.sub_accounts:
            name, parent = self.sub_accounts[current]
            parts.append(component(current, name))
            current = parent
        first = self.chart.get(current)
        assert first is not None, (self.code, code)  # a voucher names only accounts the books hold
        parts.append(component(first.code, first.name))
        return ":".join([root_of(first), self.code, *reversed(parts)])

    def account_codes(self) -> list[str]:
        return sorted({*self.chart.accounts, *self.sub_accounts})


def collectives(led: Ledger, only: str | None) -> list[Collective]:
    where, params = ("WHERE code = ?", (only,)) if only else ("", ())
    rows = led.views.query(f"SELECT code, name, chart, start_period FROM v_collectives {where} ORDER BY code", params)
    subs: dict[str, dict[str, tuple[str, str]]] = {}
    where = "WHERE collective = ?" if only else ""
    for collective, code, name, parent in led.views.query(f"SELECT collective, code, name, parent FROM v_accounts {where}", params):
        subs.setdefault(collective, {})[code] = (name, parent)
    return [
        Collective(code, name, load_chart(chart), date.fromisoformat(f"{start}-01"), subs.get(code, {}))
        for code, name, chart, start in rows
    ]


def closing_balances(led: Ledger, only: str | None) -> tuple[int, dict[str, tuple[date, dict[str, int]]]]:
    """The views' position and, per collective, (assertion date, net debit per
    posted account), read in ONE statement so they are one snapshot (on
    PostgreSQL each statement has its own) even while others are posting."""
    tracking = led.projector.tracking_table
    where, params = ("WHERE collective = ?", [only]) if only else ("", [])
    rows = led.views.query(
        f"SELECT (SELECT notification_id FROM {tracking} WHERE application_name = ?), collective, account, MAX(month),"
        " SUM(debit_fen + close_debit_fen - credit_fen - close_credit_fen)"
        f" FROM v_account_month {where} GROUP BY collective, account",
        [TRACKING_NAME, *params],
    )
    if not rows:
        return led.projector.position(), {}
    position = int(rows[0][0])
    out: dict[str, tuple[date, dict[str, int]]] = {}
    for _, collective, account, month, net in rows:
        last, balances = out.get(collective, (date.min, {}))
        balances[account] = int(net)
        out[collective] = (max(last, date.fromisoformat(f"{next_month(month)}-01")), balances)
    return position, out


# -- the two text formats ----------------------------------------------------------


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


class Beancount:
    def header(self, title: str) -> str:
        return f"option \"title\" {_quoted(title)}\noption \"operating_currency\" \"{CURRENCY}\"\n\n"

    def open(self, day: date, account: str) -> str:
        return f"{day.isoformat()} open {account} {CURRENCY}\n"

    def transaction(self, day: date, summary: str, meta: dict[str, str], postings: list[tuple[str, int]]) -> str:
        lines = [f"{day.isoformat()} * {_quoted(summary)}"]
        lines += [f"  {key}: {_quoted(value)}" for key, value in meta.items() if value]
        lines += [f"  {account}  {json_yuan(fen)} {CURRENCY}" for account, fen in postings]
        return "\n".join(lines) + "\n\n"

    def balances(self, day: date, balances: list[tuple[str, int]]) -> str:
        return "".join(f"{day.isoformat()} balance {account}  {json_yuan(fen)} {CURRENCY}\n" for account, fen in balances)


class Hledger:
    """hledger's journal: the same accounts and postings; tags in a comment; the
    closing balances as assertions on zero postings of one last entry."""

    def header(self, title: str) -> str:
        return f"; {title}\ncommodity 1000.00 {CURRENCY}\n\n"

    def open(self, day: date, account: str) -> str:
        return f"account {account}\n"

    def transaction(self, day: date, summary: str, meta: dict[str, str], postings: list[tuple[str, int]]) -> str:
        # ";" starts a comment and "|" splits payee from note in a description.
        text = summary.replace(";", "；").replace("|", "｜").replace("\n", " ")
        tags = ", ".join(f"{key}:{value.replace(',', '，')}" for key, value in meta.items() if value)
        lines = [f"{day.isoformat()} * {text}" + (f"  ; {tags}" if tags else "")]
        lines += [f"    {account}  {json_yuan(fen)} {CURRENCY}" for account, fen in postings]
        return "\n".join(lines) + "\n\n"

    def balances(self, day: date, balances: list[tuple[str, int]]) -> str:
        if not balances:
            return ""
        lines = [f"{day.isoformat()} 期末余额核对 (sanzi trial balance)"]
        lines += [f"    {account}  0 {CURRENCY} = {json_yuan(fen)} {CURRENCY}" for account, fen in balances]
        return "\n".join(lines) + "\n\n"


@dataclass(frozen=True)
class ExportSummary:
    collectives: int
    vouchers: int
    position: int  # the log position the file reflects


def book_events(led: Ledger, stop: int) -> Iterator:
    """Every event that moves the books (vouchers, migrated openings) up to `stop`, in log order, a page at a time."""
    after = 0
    while after < stop:
        page = led.app.recorder.select_notifications(
            start=after, limit=PAGE_EVENTS, stop=stop, topics=(POSTED_TOPIC, MIGRATED_TOPIC), inclusive_of_start=False,
        )
        if not page:
            return
        for notification in page:
            yield led.app.mapper.to_domain_event(notification)
        after = page[-1].id


def write_ledger(led: Ledger, fp: TextIO, *, collective: str | None = None, dialect: str = "beancount") -> ExportSummary:
    """Write the books of `collective` (or of every collective) to `fp`.

    The caller has caught the views up; the file reflects the log up to the
    views' position at the moment the closing balances are read."""
    assert dialect in DIALECTS, dialect
    fmt = Beancount() if dialect == "beancount" else Hledger()
    # Balances (and the position they stand at) first: the views only grow, so the
    # accounts read next include every account a voucher up to that position names.
    position, closing = closing_balances(led, collective)
    books = collectives(led, collective)
    by_code = {c.code: c for c in books}
    title = books[0].name if len(books) == 1 else f"三资台账（{len(books)} 个集体经济组织）"
    fp.write(f"; sanzi-ledger export, log position {position}. Accounts: <root>:<collective>:<code>-<name>; docs/export.md\n")
    fp.write(fmt.header(title))
    for c in books:
        fp.write(f"; {c.code} {c.name}\n")
        fp.write("".join(fmt.open(c.start, c.account_name(code)) for code in c.account_codes()))
        fp.write("\n")
    names: dict[tuple[str, str], str] = {}
    vouchers = 0

    def account(c: Collective, code: str) -> str:
        if (c.code, code) not in names:
            names[c.code, code] = c.account_name(code)
        return names[c.code, code]

    for event in book_events(led, position):
        c = by_code.get(event.collective)
        if c is None:
            continue  # another collective (-c)

        if event.TOPIC == MIGRATED_TOPIC:
            # On the books' first day (the accounts open then), as the opening balances it is.
            postings = [(account(c, line.new_code), line.debit_fen - line.credit_fen) for line in event.lines
                        if line.debit_fen != line.credit_fen]
            meta = {"collective": c.code, "kind": "opening", "source": f"{event.from_chart}→{event.to_chart} {event.file_name}",
                    "sha256": event.sha256, "operator": event.operator}
            fp.write(fmt.transaction(c.start, f"期初余额（{event.balance_date.isoformat()} {event.from_chart} 科目余额表迁移）",
                                     meta, postings))
            continue
        postings = [(account(c, line.account), line.amount_fen if line.side == "debit" else -line.amount_fen)
                    for line in event.lines]
        meta = {"voucher": event.number, "collective": c.code, "kind": event.kind if event.kind != "ordinary" else "",
                "reverses": event.reverses, "reason": event.reason, "source": event.source,
                "resolution": event.resolution, "operator": event.operator}
        fp.write(fmt.transaction(event.date, event.summary, meta, postings))
        vouchers += 1
    for c in books:
        if c.code in closing:
            day, balances = closing[c.code]
            # A balance assertion holds at the start of its day: never before the opening entries on c.start.
            day = max(day, c.start + timedelta(days=1))
            fp.write(f"; {c.code}: closing balances from the trial balance at log position {position}\n")
            fp.write(fmt.balances(day, [(c.account_name(code), fen) for code, fen in sorted(balances.items())]))
    return ExportSummary(len(books), vouchers, position)

