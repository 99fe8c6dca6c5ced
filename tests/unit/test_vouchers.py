"""Vouchers: double entry, numbered by their month, corrected only by red reversal."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.periods import PeriodState, VoucherNumbered
from sanzi_ledger.domain.vouchers import (
    ATTACHMENTS_MAX,
    LINES_MAX,
    Line,
    Voucher,
    VoucherPosted,
    VoucherReversed,
)
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import voucher_id
from sanzi_ledger.money import AMOUNT_FEN_MAX
from tests.unit.builders import ACCOUNTANT, CASHIER, CODE, NOW, TODAY

DAY = date(2025, 3, 5)


def D(account: str, fen: int) -> Line:
    return Line(account=account, side="debit", amount_fen=fen)


def C(account: str, fen: int) -> Line:
    return Line(account=account, side="credit", amount_fen=fen)


RENT = [D("101", 120000), C("501", 120000)]


def _post(
    village: Collective, chart: Chart, lines: list[Line], *, period: PeriodState | None = None,
    day: date = DAY, **options,
) -> list:
    return vouchers.post(
        village, chart, period, day=day, summary=options.pop("summary", "收到鱼塘承包费"), lines=lines,
        operator=options.pop("operator", CASHIER), now=NOW, today=options.pop("today", TODAY), **options,
    )


def _refusal(village: Collective, chart: Chart, lines: list[Line], **options) -> Refusal:
    with pytest.raises(Refusal) as caught:
        _post(village, chart, lines, **options)
    return caught.value


def _posted(village: Collective, chart: Chart, lines: list[Line] = RENT, **options) -> tuple[Voucher, PeriodState]:
    numbered, posted = _post(village, chart, lines, **options)
    return vouchers.apply(None, posted), periods.apply(options.get("period"), numbered)


def _reverse(village: Collective, chart: Chart, original: Voucher | None, period: PeriodState | None, *,
             number: str = "记-2025-03-0001", day: date = date(2025, 3, 10), reason: str = "金额记错") -> list:
    return vouchers.reverse(
        village, chart, original, period, number=number, day=day, reason=reason,
        operator=ACCOUNTANT, now=NOW, today=TODAY,
    )


# ---- posting -----------------------------------------------------------------


def test_post_numbers_the_voucher_in_its_month_and_records_it(village: Collective, chart: Chart) -> None:
    numbered, posted = _post(village, chart, RENT, attachments=2, resolution="村民代表会议决议〔2025〕3号")
    assert isinstance(numbered, VoucherNumbered) and isinstance(posted, VoucherPosted)
    assert numbered.number == posted.number == "记-2025-03-0001"
    assert posted.originator_id == voucher_id(CODE, "记-2025-03-0001")
    assert (posted.month, posted.date, posted.kind, posted.originator_version) == ("2025-03", DAY, "ordinary", 1)
    assert posted.lines == tuple(RENT)
    assert (posted.attachments, posted.resolution, posted.operator) == (2, "村民代表会议决议〔2025〕3号", CASHIER)


def test_post_takes_the_next_number_of_an_open_month(village: Collective, chart: Chart) -> None:
    _, period = _posted(village, chart)
    numbered, posted = _post(village, chart, RENT, period=period)
    assert (numbered.seq, posted.number) == (2, "记-2025-03-0002")


def test_voucher_refuses_unbalanced_lines_naming_both_totals_and_the_difference(village: Collective, chart: Chart) -> None:
    refusal = _refusal(village, chart, [D("101", 120000), C("501", 100000), C("504", 50)])
    assert refusal.code == "voucher.unbalanced"
    assert refusal.params == {"debit": "1,200.00", "credit": "1,000.50", "difference": "199.50"}
    assert "debit 1,200.00, credit 1,000.50, difference 199.50" in refusal.render("en")
    assert "借方合计 1,200.00，贷方合计 1,000.50，相差 199.50" in refusal.render("zh")


def test_voucher_refuses_more_credit_than_debit_with_a_positive_difference(village: Collective, chart: Chart) -> None:
    refusal = _refusal(village, chart, [D("101", 100), C("501", 123456789)])
    assert refusal.params["difference"] == "1,234,566.89"


def test_voucher_refuses_an_account_in_neither_chart_nor_sub_accounts(village: Collective, chart: Chart) -> None:
    refusal = _refusal(village, chart, [D("101", 100), C("599", 100)])
    assert (refusal.code, refusal.field, refusal.value) == ("voucher.account_unknown", "credit[1]", "599")  # the first credit line
    assert "2024" in refusal.render("en")


def test_voucher_refuses_an_account_that_has_sub_accounts(village: Collective, chart: Chart) -> None:
    refusal = _refusal(village, chart, [D("102", 100), C("501", 100)])
    assert (refusal.code, refusal.field, refusal.value) == ("voucher.account_not_leaf", "debit[1]", "102")
    assert "银行存款" in refusal.render("zh")


def test_voucher_accepts_an_opened_leaf_sub_account(village: Collective, chart: Chart) -> None:
    _, posted = _post(village, chart, [D("102001", 100), C("501", 100)])
    assert posted.lines[0].account == "102001"


@pytest.mark.parametrize("fen", [0, -100])
def test_voucher_refuses_zero_and_negative_amounts_naming_the_line(village: Collective, chart: Chart, fen: int) -> None:
    refusal = _refusal(village, chart, [D("101", 100), C("501", 100), C("504", fen)])
    assert (refusal.code, refusal.field) == ("money.not_positive", "credit[2]")  # the second credit line


def test_voucher_refuses_a_total_above_the_money_limit(village: Collective, chart: Chart) -> None:
    half = AMOUNT_FEN_MAX // 2 + 1
    refusal = _refusal(village, chart, [D("101", half), D("102001", half), C("501", 2 * half)])
    assert refusal.code == "money.too_large"


@pytest.mark.parametrize(
    ("lines", "missing"),
    [([D("101", 100), D("102001", 100)], "credit"), ([C("501", 100)], "debit"), ([], "debit")],
)
def test_voucher_refuses_lines_without_both_sides(
    village: Collective, chart: Chart, lines: list[Line], missing: str,
) -> None:
    refusal = _refusal(village, chart, lines)
    assert (refusal.code, refusal.field) == ("voucher.side_missing", missing)


def test_voucher_accepts_exactly_the_line_limit(village: Collective, chart: Chart) -> None:
    lines = [D("101", 1)] * (LINES_MAX // 2) + [C("501", 1)] * (LINES_MAX // 2)
    _, posted = _post(village, chart, lines)
    assert len(posted.lines) == LINES_MAX


def test_voucher_refuses_more_lines_than_the_limit(village: Collective, chart: Chart) -> None:
    lines = [D("101", 1)] * (LINES_MAX // 2 + 1) + [C("501", 1)] * (LINES_MAX // 2)
    refusal = _refusal(village, chart, lines)
    assert (refusal.code, refusal.value, refusal.params["limit"]) == ("voucher.too_many_lines", LINES_MAX + 1, LINES_MAX)


def test_voucher_refuses_a_business_date_after_today_naming_today(village: Collective, chart: Chart) -> None:
    refusal = _refusal(village, chart, RENT, day=TODAY + timedelta(days=1))
    assert refusal.code == "voucher.future_date"
    assert TODAY.isoformat() in refusal.render("en")


def test_voucher_accepts_a_business_date_of_today(village: Collective, chart: Chart) -> None:
    _, posted = _post(village, chart, RENT, day=TODAY)
    assert posted.date == TODAY


@pytest.mark.parametrize("attachments", [-1, ATTACHMENTS_MAX + 1])
def test_voucher_refuses_attachments_outside_the_limit(village: Collective, chart: Chart, attachments: int) -> None:
    refusal = _refusal(village, chart, RENT, attachments=attachments)
    assert (refusal.code, refusal.field) == ("voucher.attachments", "attachments")


def test_voucher_accepts_the_attachment_limit(village: Collective, chart: Chart) -> None:
    assert _post(village, chart, RENT, attachments=ATTACHMENTS_MAX)[1].attachments == ATTACHMENTS_MAX


@pytest.mark.parametrize(("summary", "code"), [("  ", "text.empty"), ("租金\u202e", "text.control_chars"), ("租" * 201, "text.too_long")])
def test_voucher_refuses_a_bad_summary(village: Collective, chart: Chart, summary: str, code: str) -> None:
    refusal = _refusal(village, chart, RENT, summary=summary)
    assert (refusal.code, refusal.field) == (code, "summary")


def test_voucher_refuses_posting_into_a_closed_month(village: Collective, chart: Chart) -> None:
    closed = PeriodState(version=3, collective=CODE, month="2025-03", voucher_count=2, closed=True)
    assert _refusal(village, chart, RENT, period=closed).code == "period.closed"


def test_voucher_refuses_a_date_before_the_books_start(village: Collective, chart: Chart) -> None:
    assert _refusal(village, chart, RENT, day=date(2024, 12, 31)).code == "period.before_start"


# ---- reversal (红字冲销) ---------------------------------------------------------


def test_reverse_posts_a_red_voucher_with_negated_amounts_on_the_same_sides(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart, [D("101", 120000), C("501", 100000), C("504", 20000)])
    numbered, red, reversed_ = _reverse(village, chart, original, period)
    assert red.kind == "reversal" and red.reverses == "记-2025-03-0001"
    assert red.number == numbered.number == "记-2025-03-0002"
    assert [(l.account, l.side, l.amount_fen) for l in red.lines] == [
        ("101", "debit", -120000), ("501", "credit", -100000), ("504", "credit", -20000),
    ]
    assert red.reason == "金额记错"
    assert red.summary.startswith("冲销记-2025-03-0001")
    assert isinstance(reversed_, VoucherReversed)
    assert reversed_.originator_id == original.posted.originator_id
    assert reversed_.originator_version == original.version + 1
    assert (reversed_.number, reversed_.reversed_by) == ("记-2025-03-0001", "记-2025-03-0002")
    assert vouchers.apply(original, reversed_).reversed_by == "记-2025-03-0002"


def test_a_voucher_and_its_reversal_cancel_account_by_account(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    _, red, _ = _reverse(village, chart, original, period)
    net = Counter()
    for line in (*original.posted.lines, *red.lines):
        net[(line.account, line.side)] += line.amount_fen
    assert set(net.values()) == {0}


def test_reverse_refuses_an_unknown_voucher(village: Collective, chart: Chart) -> None:
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, None, None, number="记-2025-03-0099")
    assert (caught.value.code, caught.value.value) == ("voucher.unknown", "记-2025-03-0099")


def test_reverse_refuses_to_reverse_a_reversal_naming_its_original(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    numbered, red, _ = _reverse(village, chart, original, period)
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, vouchers.apply(None, red), periods.apply(period, numbered), number=red.number)
    assert caught.value.code == "voucher.reverse_reversal"
    assert caught.value.params["original"] == "记-2025-03-0001"


def test_reverse_refuses_a_second_reversal_naming_the_first(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    numbered, _, reversed_ = _reverse(village, chart, original, period)
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, vouchers.apply(original, reversed_), periods.apply(period, numbered))
    assert caught.value.code == "voucher.already_reversed"
    assert caught.value.params["by"] == "记-2025-03-0002"


def test_reverse_refuses_a_year_end_closing_voucher(village: Collective, chart: Chart) -> None:
    closing, period = _posted(village, chart, [D("501", 100), C("321", 100)], kind="closing", summary="结转本年收益")
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, closing, period)
    assert caught.value.code == "voucher.reverse_closing"


def test_reverse_refuses_a_date_before_the_originals(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, original, period, day=DAY - timedelta(days=1))
    assert caught.value.code == "voucher.reversal_before_original"
    assert caught.value.params["original"] == DAY.isoformat()


def test_reverse_may_be_dated_the_same_day_as_the_original(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    assert _reverse(village, chart, original, period, day=DAY)[1].date == DAY


def test_reverse_requires_a_reason(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, original, period, reason=" ")
    assert (caught.value.code, caught.value.field) == ("text.empty", "reason")


def test_reverse_into_a_closed_month_is_refused(village: Collective, chart: Chart) -> None:
    original, _ = _posted(village, chart)
    closed = PeriodState(version=2, collective=CODE, month="2025-03", voucher_count=1, closed=True)
    with pytest.raises(Refusal) as caught:
        _reverse(village, chart, original, closed)
    assert caught.value.code == "period.closed"


def test_apply_refuses_a_reversal_of_a_voucher_never_posted_loudly(village: Collective, chart: Chart) -> None:
    original, period = _posted(village, chart)
    _, _, reversed_ = _reverse(village, chart, original, period)
    with pytest.raises(AssertionError):
        vouchers.apply(None, reversed_)


LEAVES = ["101", "102001", "102002", "112", "113", "151", "211", "241", "501", "503", "513"]
sided_lines = st.lists(
    st.tuples(st.sampled_from(LEAVES), st.integers(min_value=1, max_value=10**9)), min_size=1, max_size=6,
)


@settings(max_examples=100)
@given(debits=sided_lines, credits=sided_lines)
def test_any_balanced_voucher_posts_and_its_reversal_cancels_it(
    village: Collective, chart: Chart, debits: list, credits: list,
) -> None:
    # Make the credit side balance the debit side by adjusting its first line.
    total = sum(fen for _, fen in debits)
    rest = sum(fen for _, fen in credits[1:])
    if total - rest <= 0:
        credits = [(credits[0][0], total)]
    else:
        credits = [(credits[0][0], total - rest), *credits[1:]]
    lines = [D(a, f) for a, f in debits] + [C(a, f) for a, f in credits]
    original, period = _posted(village, chart, lines)
    _, red, _ = _reverse(village, chart, original, period)
    signed = Counter()
    for line in (*original.posted.lines, *red.lines):
        signed[line.account] += line.amount_fen if line.side == "debit" else -line.amount_fen
    assert all(value == 0 for value in signed.values())


@settings(max_examples=100)
@given(debit=st.integers(min_value=1, max_value=10**11), credit=st.integers(min_value=1, max_value=10**11))
def test_voucher_posts_if_and_only_if_debits_equal_credits(
    village: Collective, chart: Chart, debit: int, credit: int,
) -> None:
    lines = [D("101", debit), C("501", credit)]
    if debit == credit:
        assert _post(village, chart, lines)[1].lines == tuple(lines)
    else:
        assert _refusal(village, chart, lines).code == "voucher.unbalanced"
