"""Public disclosure on a real store: 定点、定时、定内容, review then publish, never changed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sanzi_ledger.commands import books
from sanzi_ledger.commands import disclosure as cmd
from sanzi_ledger.commands import registers as reg
from sanzi_ledger.errors import Refusal
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import statements
from sanzi_ledger.publish.document import Document
from tests.support import ACCOUNTANT, CODE, SUPERVISOR, new_ledger, post, snapshot

BOARD = "村委会公开栏"


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    cmd.add_board(ledger, cmd.AddBoard(name=BOARD, location="村委会大院东侧公开栏", cadence="monthly"))
    post(ledger, "2025-01-02", {"102": 10_000_000}, {"301": 10_000_000}, summary="期初余额")
    post(ledger, "2025-01-06", {"102": 4_860_000}, {"501": 4_860_000}, summary="收到土地承包费")
    post(ledger, "2025-01-15", {"513": 128_650}, {"101": 128_650}, summary="支付办公用品费")
    reg.add_debt(ledger, reg.AddDebt(number="ZQ-01", direction="receivable", party="张三", party_id="11010519491231002X",
                                     amount_fen=1_200_000, day=date(2025, 1, 10), via="bank"))
    books.close_period(ledger, books.ClosePeriod(month="2025-01"))
    yield ledger
    ledger.close()


def as_operator(led, who: str):
    led.operator = who
    return led


def draft(led, period: str = "2025-01", **kwargs) -> str:
    return cmd.draft(as_operator(led, ACCOUNTANT), cmd.DraftDisclosure(board=BOARD, period=period, **kwargs)).id


def approve(led, number: str) -> None:
    cmd.review(as_operator(led, SUPERVISOR), cmd.ReviewDisclosure(number=number, approved=True, opinion="核对无误，同意公开"))


def publish(led, number: str, out) -> cmd.Outcome:
    return cmd.publish(as_operator(led, ACCOUNTANT), cmd.PublishDisclosure(number=number, out=str(out)))


def document(led, number: str) -> Document:
    from sanzi_ledger.domain import disclosures

    state = led.app.load(disclosures.disclosure_id(CODE, number), disclosures.apply)
    return Document.model_validate(state.drafted.document)


def test_income_and_expense_item_by_item_tie_to_the_income_statement(led):
    number = draft(led)
    section = next(s for s in document(led, number).sections if s.key == "income_expense")
    income = statements.income_statement(led.views, led.chart("2024"), CODE, parse_period("2025-01"))
    lines = {r.line: r.amount for r in income.rows}
    assert section.totals[4] == lines["经营收入"] + lines["加：补助收入"] + lines["其他收入"] + lines["加：投资收益"]
    assert section.totals[5] == lines["管理费用"]
    assert [row[2] for row in section.rows] == ["收到土地承包费", "支付办公用品费"]


def test_a_period_with_nothing_says_so_instead_of_publishing_nothing(led, tmp_path):
    books.close_period(as_operator(led, ACCOUNTANT), books.ClosePeriod(month="2025-02"))
    number = draft(led, "2025-02")
    sections = {s.key: s for s in document(led, number).sections}
    assert sections["income_expense"].rows == () and sections["income_expense"].note == "本期无发生额"
    assert sections["debts"].rows  # the receivable is still owed, so the debt table is not empty


def test_identifiers_are_masked_in_the_document(led):
    number = draft(led)
    text = json.dumps(document(led, number).model_dump(mode="json"), ensure_ascii=False)
    assert "11010519491231002X" not in text and "110105********002X" in text


def test_review_then_publish_once_and_the_board_records_it(led, tmp_path):
    number = draft(led)
    with pytest.raises(Refusal) as refused:
        publish(led, number, tmp_path / "out")
    assert refused.value.code == "disclosure.not_approved"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    approve(led, number)
    outcome = publish(led, number, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert {f"{number}.html", f"{number}.xlsx", f"{number}.pdf", f"{number}.json"} <= set(files)
    assert not [f for f in files if f.startswith(".sanzi-publish-")]
    data = json.loads((tmp_path / "out" / f"{number}.json").read_text("utf-8"))
    assert data["content_hash"] == outcome.extra["content_hash"] == document(led, number).content_hash()
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        publish(led, number, tmp_path / "again")
    assert refused.value.code == "disclosure.published"
    assert snapshot(led) == before


def test_a_published_period_is_corrected_by_a_new_disclosure_never_edited(led, tmp_path):
    first = draft(led)
    approve(led, first)
    publish(led, first, tmp_path / "a")
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        draft(led)
    assert (refused.value.code, refused.value.field) == ("disclosure.already_published", "corrects")
    assert snapshot(led) == before
    second = draft(led, corrects=first, other=("更正：1月办公用品费发票号码",))
    assert document(led, second).corrects == first and "更正" in document(led, second).title
    approve(led, second)
    publish(led, second, tmp_path / "b")
    rows = led.views.query("SELECT number, status, corrects FROM v_disclosures ORDER BY number")
    assert rows == [(first, "published", ""), (second, "published", first)]


@pytest.mark.parametrize(("case", "act", "code"), [
    ("open month", lambda led, tmp: draft(led, "2025-02"), "disclosure.period_open"),
    ("unknown board", lambda led, tmp: cmd.draft(as_operator(led, ACCOUNTANT), cmd.DraftDisclosure(board="不存在", period="2025-01")), "board.unknown"),
    ("quarter on a monthly board", lambda led, tmp: draft(led, "2025-Q1"), "disclosure.period_cadence"),
    ("own draft", lambda led, tmp: cmd.review(as_operator(led, ACCOUNTANT), cmd.ReviewDisclosure(number="GK-2025-001", approved=True, opinion="x")), "member.wrong_role"),
    ("publish a file over", lambda led, tmp: publish(led, "GK-2025-001", tmp / "notafolder.txt"), "publish.out_not_folder"),
    ("publish into a missing parent", lambda led, tmp: publish(led, "GK-2025-001", tmp / "no" / "such" / "dir"), "publish.out_unwritable"),
])
def test_bad_disclosure_commands_are_refused_and_write_nothing(led, tmp_path, case, act, code):
    number = draft(led)
    assert number == "GK-2025-001"  # numbered within the disclosed year
    (tmp_path / "notafolder.txt").write_text("x")
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        act(led, tmp_path)
    assert refused.value.code == code and refused.value.field
    assert snapshot(led) == before


def test_a_supervisor_cannot_review_their_own_draft(led):
    number = draft(led)
    from sanzi_ledger.domain import disclosures

    state = led.app.load(disclosures.disclosure_id(CODE, number), disclosures.apply)
    collective = led.collective()
    with pytest.raises(Refusal) as refused:
        disclosures.review(state, collective, number=number, approved=True, opinion="x", operator=ACCOUNTANT, now=led.now())
    assert refused.value.code == "disclosure.own_draft"


def test_a_rejected_draft_cannot_be_published(led, tmp_path):
    number = draft(led)
    cmd.review(as_operator(led, SUPERVISOR), cmd.ReviewDisclosure(number=number, approved=False, opinion="缺少发票"))
    with pytest.raises(Refusal) as refused:
        publish(led, number, tmp_path / "out")
    assert refused.value.code == "disclosure.not_approved"


def test_status_shows_due_overdue_and_published_against_the_deadline(led, tmp_path):
    number = draft(led)
    approve(led, number)
    publish(led, number, tmp_path / "out")
    items = {d.period: d for d in cmd.status(led, today=date(2025, 3, 5))}
    assert items["2025-01"].state == "published_late"  # published today (2026), after 2025-02-10
    assert items["2025-02"].state == "due" and items["2025-02"].deadline == date(2025, 3, 10)
    later = {d.period: d.state for d in cmd.status(led, today=date(2025, 3, 11))}
    assert later["2025-02"] == "overdue"


def test_verify_a_published_file_and_a_digest_and_detect_a_changed_file(led, tmp_path):
    number = draft(led)
    approve(led, number)
    outcome = publish(led, number, tmp_path / "out")
    html = tmp_path / "out" / f"{number}.html"
    assert cmd.verify(led, str(html)).matches
    assert cmd.verify(led, str(tmp_path / "out" / f"{number}.json")).matches
    assert cmd.verify(led, outcome.extra["digest"][:16]).matches
    html.write_text(html.read_text("utf-8").replace("收到土地承包费", "收到土地承包费（已改）"), "utf-8")
    assert not cmd.verify(led, str(html)).matches
    assert not cmd.verify(led, "0123456789abcdef0123").matches


def test_a_history_rewritten_before_a_publication_is_caught_by_the_seal_on_the_board(sqlite_url, tmp_path):
    """A full-knowledge attacker edits an old event and recomputes every later link: the
    chain alone verifies, but the digest printed on the board no longer matches."""
    import sqlite3

    from sanzi_ledger.commands.ledger import open_ledger
    from sanzi_ledger.integrity.chain import GENESIS, link
    from sanzi_ledger.integrity.verify import verify_chain

    led = new_ledger(sqlite_url)
    cmd.add_board(led, cmd.AddBoard(name=BOARD, location="村委会大院东侧公开栏", cadence="monthly"))
    post(led, "2025-01-06", {"102": 4_860_000}, {"501": 4_860_000}, summary="收到土地承包费")
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    number = draft(led)
    approve(led, number)
    digest = publish(led, number, tmp_path / "out").extra["digest"]
    led.close()

    db = sqlite3.connect(sqlite_url)
    rows = db.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid").fetchall()
    target = next(r for r in rows if b"4860000" in r[4])
    db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (target[4].replace(b"4860000", b"486000"), target[0]))
    previous = GENESIS
    for position, (rowid, originator, version, topic, state) in enumerate(
            db.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"), start=1):
        previous = link(previous, position, originator, version, topic, state)
        db.execute("UPDATE sanzi_chain SET hash = ? WHERE position = ?", (previous, position))
    db.commit()
    db.close()

    led = open_ledger(sqlite_url)
    try:
        assert verify_chain(led.app, led.views).ok  # consistent forgery: the chain alone cannot tell
        verdict = cmd.verify(led, digest[:16])
        assert not verdict.matches and verdict.number == number and "改写" in verdict.detail
    finally:
        led.close()


@pytest.mark.parametrize(("case", "kwargs", "code", "field"), [
    ("duplicate name", {"name": BOARD, "location": "别处", "cadence": "monthly"}, "board.duplicate", "name"),
    ("unknown cadence", {"name": "新栏", "location": "村口", "cadence": "weekly"}, "board.cadence", "cadence"),
    ("unknown content", {"name": "新栏", "location": "村口", "cadence": "monthly", "sections": ("gossip",)}, "board.section", "content"),
    ("channel not a URL", {"name": "新栏", "location": "村口", "cadence": "monthly", "channel": "javascript:alert(1)"}, "board.channel", "channel"),
    ("no place", {"name": "新栏", "location": "  ", "cadence": "monthly"}, "text.empty", "location"),
])
def test_bad_boards_are_refused_by_field_and_write_nothing(led, case, kwargs, code, field):
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        cmd.add_board(as_operator(led, ACCOUNTANT), cmd.AddBoard(**kwargs))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert snapshot(led) == before
