"""Open exports on both backends: beancount re-adds our books to our trial balance; the JSONL
log's chain recomputes with the standard library alone."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data as bc_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanzi_ledger.commands import books as book_cmds
from sanzi_ledger.commands import setup
from sanzi_ledger.commands.ledger import Ledger, open_ledger
from sanzi_ledger.io.beancount import write_ledger
from sanzi_ledger.io.jsonl import write_events
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance
from tests.support import ACCOUNTANT, CODE, new_ledger, post, snapshot

BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def export(led: Ledger, folder: Path, *, collective: str | None = None, dialect: str = "beancount") -> Path:
    led.catch_up()
    path = folder / f"books-{collective or 'all'}.{dialect}"
    with open(path, "w", encoding="utf-8") as fp:
        write_ledger(led, fp, collective=collective, dialect=dialect)
    return path


def bean_balances(path: Path) -> dict[str, dict[str, int]]:
    """Per collective, net debit in fen of every account code and of its first-level
    account, as beancount adds them; the file must load without a single error."""
    entries, errors, _ = loader.load_file(str(path))
    assert not errors, [e.message for e in errors[:5]]
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        if isinstance(entry, bc_data.Transaction):
            for posting in entry.postings:
                _, collective, *levels = posting.account.split(":")
                fen = int(posting.units.number * 100)
                assert posting.units.number * 100 == Decimal(fen) and posting.units.currency == "CNY"
                for level in {levels[0], levels[-1]}:
                    out[collective][level.split("-")[0]] += fen
    return {c: {code: fen for code, fen in accounts.items() if fen} for c, accounts in out.items()}


def our_balances(led: Ledger, collective: str) -> dict[str, int]:
    """Net debit closing balance of every account (first-level and detailed) in our trial balance."""
    state = led.collective(collective)
    last = led.views.query("SELECT MAX(month) FROM v_account_month WHERE collective = ?", (collective,))[0][0]
    if last is None:
        return {}  # no voucher yet
    tb = trial_balance.trial_balance(led.views, led.chart(state.chart), collective, parse_period(last[:4]), detail=True)
    return {r.code: r.closing_debit - r.closing_credit for r in tb.rows if r.closing_debit != r.closing_credit}


def bean_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BEAN_CHECK, str(path)], check=False, capture_output=True, text=True, timeout=120)


def test_demo_village_exports_to_a_ledger_that_bean_check_accepts_and_that_adds_up_to_our_trial_balance(store_url, tmp_path):
    from sanzi_ledger.demo import DEMO_CODE, build_demo

    build_demo(store_url)
    led = open_ledger(store_url)
    try:
        path = export(led, tmp_path)
        assert bean_check(path).returncode == 0, bean_check(path).stderr
        assert bean_balances(path) == {DEMO_CODE: our_balances(led, DEMO_CODE)}
        text = path.read_text("utf-8")
        vouchers = led.views.query("SELECT COUNT(*), SUM(CASE WHEN kind = 'reversal' THEN 1 ELSE 0 END),"
                                   " SUM(CASE WHEN kind = 'closing' THEN 1 ELSE 0 END) FROM v_vouchers")[0]
        assert (text.count('  voucher: "'), text.count('kind: "reversal"'), text.count('kind: "closing"')) == tuple(vouchers)
        assert vouchers[1] >= 1 and vouchers[2] >= 2  # the demo has a 红字冲销 and a closed year
    finally:
        led.close()


def test_a_generated_county_exports_every_collective_and_each_one_alone(store_url, tmp_path):
    from benchmarks import generate

    villages = generate.plan_county(1_400, seed=7)
    assert len(villages) >= 2
    led = open_ledger(store_url, operator=generate.ACCOUNTANT, create=True)
    try:
        states = generate.setup_county(led, villages)
        generate.load_history(led, villages, states, seed=7)
        led.catch_up()
        before = snapshot(led)
        everything = export(led, tmp_path)
        assert bean_check(everything).returncode == 0, bean_check(everything).stderr
        added = bean_balances(everything)
        assert added == {v.code: our_balances(led, v.code) for v in villages}
        alone = export(led, tmp_path, collective=villages[1].code)
        assert bean_check(alone).returncode == 0
        assert bean_balances(alone) == {villages[1].code: added[villages[1].code]}
        assert villages[0].code not in alone.read_text("utf-8")
        assert snapshot(led) == before  # exporting writes nothing
    finally:
        led.close()


def test_a_summary_survives_quoting_and_a_changed_amount_fails_bean_check_at_the_closing_balance(sqlite_url, tmp_path):
    led = new_ledger(sqlite_url)
    try:
        summary = '收到"东山"合作社土地租金 C:\\租金; |备注'
        post(led, "2025-01-05", {"102": 1_200_000}, {"501": 1_200_000}, summary=summary)
        path = export(led, tmp_path)
        assert bean_check(path).returncode == 0
        entries, _, _ = loader.load_file(str(path))
        assert [e.narration for e in entries if isinstance(e, bc_data.Transaction)] == [summary]
        path.write_text(path.read_text("utf-8").replace("12000.00 CNY\n", "12100.00 CNY\n", 1).replace(
            "-12000.00 CNY\n", "-12100.00 CNY\n", 1), "utf-8")
        failed = bean_check(path)
        assert failed.returncode != 0 and "Balance failed" in failed.stderr
    finally:
        led.close()


class PostingWhileWriting(io.StringIO):
    """A file that, at the first write, lets another clerk post a voucher (another connection)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url, self.posted = url, False

    def write(self, text: str) -> int:
        if not self.posted:
            self.posted = True
            other = open_ledger(self.url, operator=ACCOUNTANT, collective=CODE)
            try:
                post(other, "2025-01-20", {"513": 50_000}, {"102": 50_000}, summary="别人同时记的一张凭证")
            finally:
                other.close()
        return super().write(text)


def test_a_voucher_posted_during_the_export_is_left_out_of_both_the_transactions_and_the_balances(store_url, tmp_path):
    led = new_ledger(store_url)
    try:
        post(led, "2025-01-05", {"102": 1_200_000}, {"501": 1_200_000})
        led.catch_up()
        fp = PostingWhileWriting(store_url)
        summary = write_ledger(led, fp)
        assert fp.posted and summary.vouchers == 1 and "别人同时记的" not in fp.getvalue()
        path = tmp_path / "during.bean"
        path.write_text(fp.getvalue(), "utf-8")
        assert bean_check(path).returncode == 0, bean_check(path).stderr
        assert bean_balances(path) == {CODE: {"102": 1_200_000, "501": -1_200_000}}
    finally:
        led.close()


# A sub-account name may hold anything the accountant typed (brackets, spaces, punctuation).
NAMES = st.text(alphabet=st.sampled_from("应收款张三（一组）() -/#、1２x"), min_size=1, max_size=12).filter(str.strip)
ENTRY = st.tuples(st.integers(1, 28), st.sampled_from(["101", "102", "112001", "513", "501", "241"]),
                  st.sampled_from(["102", "501", "112001", "211", "503"]), st.integers(1, 10**9), st.booleans())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, entries=st.lists(ENTRY, min_size=1, max_size=12))
def test_any_vouchers_and_reversals_add_up_in_beancount_as_in_our_trial_balance(name, entries):
    with tempfile.TemporaryDirectory() as folder:
        led = new_ledger(str(Path(folder) / "ledger.db"))
        try:
            setup.open_account(led, setup.OpenAccount(code="112001", name=name))
            for day, debit, credit, fen, reverse in entries:
                if debit == credit:
                    continue
                number = post(led, f"2025-03-{day:02d}", {debit: fen}, {credit: fen})
                if reverse:
                    book_cmds.reverse_voucher(led, book_cmds.ReverseVoucher(number=number, reason="录错", day=date(2025, 3, 28)))
            path = export(led, Path(folder))
            assert bean_check(path).returncode == 0, bean_check(path).stderr
            assert bean_balances(path).get(CODE, {}) == our_balances(led, CODE)
        finally:
            led.close()


# -- JSON Lines --------------------------------------------------------------------


def docs_checker() -> str:
    """The stdlib-only checker printed in docs/export.md: the test runs the documented code."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text("utf-8"), re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def run_checker(path: Path, folder: Path) -> subprocess.CompletedProcess:
    script = folder / "check_jsonl.py"
    script.write_text(docs_checker(), "utf-8")
    # -I -S: no site-packages, no environment: the standard library alone.
    return subprocess.run([sys.executable, "-I", "-S", str(script), str(path)], check=False, capture_output=True, text=True, timeout=120)


def test_jsonl_holds_every_event_in_log_order_and_the_stdlib_checker_recomputes_every_link(store_url, tmp_path):
    led = new_ledger(store_url)
    try:
        number = post(led, "2025-01-05", {"102": 1_200_000}, {"501": 1_200_000}, summary='收到"土地"租金\\')
        book_cmds.reverse_voucher(led, book_cmds.ReverseVoucher(number=number, reason="录错", day=date(2025, 1, 6)))
        buffer = io.StringIO()
        written = write_events(led.app, led.views, buffer)
        lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
        stored = led.app.recorder.select_notifications(start=1, limit=10**6)
        chain = led.views.query("SELECT position, notification_id, hash FROM sanzi_chain ORDER BY position")
        assert written.events == len(lines) == len(stored) == len(chain) and written.head == bytes(chain[-1][2]).hex()
        for line, notification, (position, notification_id, digest) in zip(lines, stored, chain, strict=True):
            assert line["position"] == position and line["notification_id"] == notification.id == notification_id
            assert line["chain_hash"] == bytes(digest).hex() and line["topic"] == notification.topic
            assert base64.b64decode(line["state_b64"]) == bytes(notification.state)
            assert line["payload"] == json.loads(bytes(notification.state))
            assert line["recorded_at"] == line["payload"]["timestamp"]
            assert line["originator_id"] == str(notification.originator_id)
            assert line["originator_version"] == notification.originator_version
        assert [line["position"] for line in lines] == list(range(1, len(lines) + 1))

        path = tmp_path / "events.jsonl"
        path.write_text(buffer.getvalue(), "utf-8")
        checked = run_checker(path, tmp_path)
        assert checked.returncode == 0, checked.stderr
        assert checked.stdout.strip() == f"ok: {len(lines)} events, head {written.head}"
    finally:
        led.close()


def test_the_stdlib_checker_names_the_first_event_whose_bytes_or_payload_were_changed(sqlite_url, tmp_path):
    led = new_ledger(sqlite_url)
    try:
        post(led, "2025-01-05", {"102": 1_200_000}, {"501": 1_200_000})
        buffer = io.StringIO()
        write_events(led.app, led.views, buffer)
    finally:
        led.close()
    lines = buffer.getvalue().splitlines()
    target = next(i for i, line in enumerate(lines) if '"voucher.Posted.v1"' in line)
    event = json.loads(lines[target])
    for change in ("bytes", "payload"):
        changed = dict(event)
        if change == "bytes":
            changed["state_b64"] = base64.b64encode(base64.b64decode(event["state_b64"]).replace(b"1200000", b"1300000")).decode()
        else:
            changed["payload"] = {**event["payload"], "summary": "别的摘要"}
        path = tmp_path / f"{change}.jsonl"
        path.write_text("\n".join([*lines[:target], json.dumps(changed, ensure_ascii=False), *lines[target + 1:]]) + "\n", "utf-8")
        failed = run_checker(path, tmp_path)
        assert failed.returncode == 1 and f"position {target + 1}: does not verify" in failed.stderr


def test_jsonl_of_an_empty_log_is_empty(sqlite_url):
    led = open_ledger(sqlite_url, create=True)
    try:
        buffer = io.StringIO()
        assert write_events(led.app, led.views, buffer).events == 0 and buffer.getvalue() == ""
    finally:
        led.close()


@pytest.mark.parametrize("dialect", ["beancount", "hledger"])
def test_an_empty_book_exports_its_accounts_and_no_transactions(sqlite_url, tmp_path, dialect):
    led = new_ledger(sqlite_url)
    try:
        text = export(led, tmp_path, dialect=dialect).read_text("utf-8")
        assert "101-库存现金" in text and "voucher" not in text
    finally:
        led.close()


def test_opening_balances_migrated_from_the_2004_chart_open_the_exported_books(store_url, tmp_path):
    from sanzi_ledger.io.importing import run_import
    from tests.integration.test_import import write_csv

    led = new_ledger(store_url, start="2024-01")
    try:
        old = write_csv(tmp_path / "old.csv", [
            ["101", "现金", "3,256.40", ""], ["102", "银行存款", "486,120.00", ""],
            ["202", "应付款", "", "40,000.00"], ["301", "资本", "", "449,376.40"],
        ], header=["科目编码", "科目名称", "借方余额", "贷方余额"])
        assert run_import(led, old, "opening-2004").ok
        (tmp_path / "opening").mkdir()
        opening_only = export(led, tmp_path / "opening")  # the books hold nothing but the migration yet
        assert bean_check(opening_only).returncode == 0, bean_check(opening_only).stderr
        post(led, "2024-02-03", {"513": 120_000}, {"102": 120_000})
        path = export(led, tmp_path)
        checked = bean_check(path)
        assert checked.returncode == 0, checked.stderr
        assert bean_balances(path) == {CODE: our_balances(led, CODE)}
        assert our_balances(led, CODE)["102"] == 48_612_000 - 120_000
        assert 'kind: "opening"' in path.read_text("utf-8")
    finally:
        led.close()
