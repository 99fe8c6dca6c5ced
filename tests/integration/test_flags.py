"""The flags rules engine on a real store: SQLite and PostgreSQL run every case.

Flags are projections: each rule fires on a crafted ledger and stops firing
after the event that fixes it; thresholds come from the township's config
file; evaluating never raises, flag ids are unique and every ref points at a
stored event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands import disclosure as disclose
from sanzi_ledger.commands import registers as cmd
from sanzi_ledger.config import load_rules
from sanzi_ledger.domain import subsidies, vouchers
from sanzi_ledger.ids import subsidy_id
from sanzi_ledger.periods import parse_period
from sanzi_ledger.rules import CATALOGUE, evaluate
from tests.integration.test_registers import (
    CREDIT_CODE,
    add_debt,
    add_resource,
    collect_rent,
    end_lease,
    receive,
    settle_contract,
    settle_debt,
    sign_contract,
    sign_lease,
    spend,
)
from tests.support import ACCOUNTANT, CASHIER, CODE, SUPERVISOR, lines, new_ledger, post

D = date.fromisoformat
AUDITOR = "孙审计"
BOARD = "村务公开栏"


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    setup.add_member(ledger, setup.AddMember(name=AUDITOR, role="auditor"))
    yield ledger
    ledger.close()


def flags(led, today: str, rule: str | None = None, **kw) -> dict[str, object]:
    """The flags on `today`, by id (only `rule`'s, if given)."""
    found = evaluate(led.views, CODE, today=D(today), **kw)
    return {f.id: f for f in found if rule is None or f.rule == rule}


def as_operator(led, who: str):
    led.operator = who
    return led


def reverse(led, number: str, day: str) -> None:
    books.reverse_voucher(as_operator(led, ACCOUNTANT), books.ReverseVoucher(number=number, reason="更正", day=D(day)))


# -- contracts and leases -------------------------------------------------------------


def test_rent_overdue_turns_yellow_at_three_months_red_at_twelve_and_clears_on_collection(led):
    add_resource(led, "ZY-01")
    sign_lease(led, "ZL-01", "ZY-01", "2025-01-01", "2026-12-31", rent_fen=1_000_000, resolution="东村决〔2025〕1号")
    assert flags(led, "2025-03-31", "R01") == {}  # under three months
    yellow = flags(led, "2025-04-02", "R01")
    assert list(yellow) == ["R01:ZL-01:2025-01-01"]
    flag = yellow["R01:ZL-01:2025-01-01"]
    assert (flag.severity, flag.since, flag.subject) == ("yellow", D("2025-01-01"), "ZL-01:2025-01-01")
    assert "10,000.00" in flag.explanation and "3 个月" in flag.explanation and flag.refs[0].startswith("#")
    assert flags(led, "2026-01-01", "R01")["R01:ZL-01:2025-01-01"].severity == "red"
    collect_rent(as_operator(led, CASHIER), "ZL-01", 1_000_000, "2025-04-01")
    assert flags(led, "2025-04-02", "R01") == {}
    assert flags(led, "2026-04-02", "R01").keys() == {"R01:ZL-01:2026-01-01"}  # the next year's rent is a new flag


def test_lease_expiring_then_expired_until_it_is_ended(led):
    add_resource(led, "ZY-01")
    sign_lease(led, "ZL-01", "ZY-01", resolution="东村决〔2025〕1号")
    collect_rent(as_operator(led, CASHIER), "ZL-01", 10_000, "2025-01-05")
    assert flags(led, "2025-09-01", "R03") == {}
    assert flags(led, "2025-10-15", "R03").keys() == {"R03:ZL-01"}
    expired = flags(led, "2026-01-05", "R05")
    assert expired.keys() == {"R05:ZL-01"} and expired["R05:ZL-01"].since == D("2026-01-01")
    end_lease(as_operator(led, ACCOUNTANT), "ZL-01", "2025-12-31")
    assert flags(led, "2026-01-05", "R05") == {}


def test_a_lease_without_a_resolution_is_red_while_it_runs(led):
    add_resource(led, "ZY-01")
    sign_lease(led, "ZL-01", "ZY-01")
    assert flags(led, "2025-06-01", "R12")["R12:ZL-01"].severity == "red"
    end_lease(led, "ZL-01", "2025-06-30")
    assert flags(led, "2025-07-01", "R12") == {}


def test_contract_overdue_expiring_expired_and_its_fixes(led):
    sign_contract(led, "HT-01", amount_fen=2_000_000, start=D("2025-01-01"), end=D("2025-12-31"))
    assert flags(led, "2025-05-01", "R02").keys() == {"R02:HT-01:2025-01-01"}
    assert flags(led, "2025-11-01", "R04").keys() == {"R04:HT-01"}
    assert flags(led, "2026-01-02", "R06").keys() == {"R06:HT-01"}
    settle_contract(as_operator(led, CASHIER), "HT-01", 2_000_000, "2025-02-01")
    cmd.terminate_contract(as_operator(led, ACCOUNTANT), cmd.TerminateContract(number="HT-01", day=D("2025-12-31"), reason="到期"))
    assert flags(led, "2025-05-01", "R02") == {} and flags(led, "2026-01-02", "R06") == {}


def test_a_letting_contract_without_a_resolution_is_cleared_by_an_amendment_with_one(led):
    sign_contract(led, "HT-01", resolution="", start=D("2025-01-01"), end=D("2027-12-31"))
    assert flags(led, "2025-03-01", "R13").keys() == {"R13:HT-01"}
    cmd.amend_contract(led, cmd.AmendContract(number="HT-01", reason="补正民主程序", resolution="东村决〔2025〕3号"))
    assert flags(led, "2025-03-01", "R13") == {}


def test_a_long_contract_with_a_flat_price_and_farmland_past_the_second_round(led):
    schedule = tuple(cmd.Instalment(due=D(f"{y}-01-01"), amount_fen=100_000) for y in range(2025, 2031))
    sign_contract(led, "HT-01", amount_fen=600_000, start=D("2025-01-01"), end=D("2030-12-31"), schedule=schedule,
                  subject="东片耕地 50 亩")
    now = flags(led, "2025-03-01")
    assert {"R09:HT-01", "R11:HT-01"} <= now.keys()
    assert "2028-12-31" in now["R11:HT-01"].explanation
    cmd.amend_contract(led, cmd.AmendContract(number="HT-01", end=D("2028-12-31"), reason="依法调整期限",
                                              resolution="东村决〔2025〕4号"))
    assert not {"R09:HT-01", "R11:HT-01"} & flags(led, "2025-03-01").keys()  # four years now, and within the limit


def test_works_contract_needs_an_audit_and_turns_red_once_paid(led):
    from sanzi_ledger.commands import audits

    sign_contract(led, "GC-01", kind="工程", party="临安建工有限公司", party_id=CREDIT_CODE, amount_fen=9_000_000,
                  start=D("2025-03-01"), end=D("2025-09-30"))
    assert flags(led, "2025-03-10", "R24")["R24:GC-01"].severity == "yellow"
    settle_contract(as_operator(led, ACCOUNTANT), "GC-01", 1_000_000, "2025-03-15", direction="expense")
    today = led.today().isoformat()
    assert flags(led, today, "R24")["R24:GC-01"].severity == "red"
    number = audits.open_audit(as_operator(led, AUDITOR), audits.OpenAudit(kind="专项", scope="GC-01 村道硬化工程结算审计")).id
    assert "R24:GC-01" in flags(led, today, "R24")  # an audit still open has not concluded
    audits.close_audit(led, audits.CloseAudit(audit=number, conclusion="结算属实"))
    assert flags(led, today, "R24") == {}


def test_a_contract_reviewed_by_its_own_signer_until_someone_else_reviews_it(led):
    sign_contract(led, "HT-01")
    cmd.review_contract(led, cmd.ReviewContract(number="HT-01", result="规范"))
    assert flags(led, "2025-03-20", "R61").keys() == {"R61:HT-01"}
    cmd.review_contract(as_operator(led, SUPERVISOR), cmd.ReviewContract(number="HT-01", result="规范", note="复核"))
    assert flags(led, "2025-03-20", "R61") == {}


# -- cash and spending ---------------------------------------------------------------


def test_cash_above_the_limit_on_a_day_clears_when_deposited_the_same_day(led):
    post(led, "2025-03-03", {"101": 800_000}, {"102": 800_000}, summary="提取现金")
    over = flags(led, "2025-03-10", "R21")
    assert over.keys() == {"R21:2025-03-03"} and "8,000.00" in over["R21:2025-03-03"].explanation
    deposit = post(led, "2025-03-03", {"102": 500_000}, {"101": 500_000}, summary="现金送存银行")
    assert flags(led, "2025-03-10", "R21") == {}
    assert flags(led, "2025-03-10", "R22") == {}  # money to the bank is not a cash payment
    assert deposit


def test_a_cash_payment_above_the_limit_clears_when_reversed(led):
    number = post(led, "2025-03-05", {"513": 150_000}, {"101": 150_000}, summary="现金支付办公用品")
    assert flags(led, "2025-03-10", "R22")[f"R22:{number}"].refs[0] == number
    reverse(led, number, "2025-03-06")
    assert flags(led, "2025-03-10", "R22") == {}


def test_spending_at_the_approval_tier_needs_a_resolution(led):
    bare = post(led, "2025-03-05", {"514": 2_000_000}, {"102": 2_000_000}, summary="支付村道维修")
    outcome = books.post_voucher(led, books.PostVoucher(day=D("2025-03-06"), summary="支付河道清淤",
                                                        lines=lines({"514": 3_000_000}, {"102": 3_000_000}),
                                                        resolution="东村决〔2025〕5号"))
    post(led, "2025-03-08", {"513": 3_000_000}, {"152": 3_000_000}, summary="计提折旧")  # pays nobody: not spending
    assert flags(led, "2025-03-10", "R23").keys() == {f"R23:{bare}"}
    reverse(led, bare, "2025-03-07")
    assert flags(led, "2025-03-10", "R23") == {} and outcome.voucher


def test_a_subsidy_spend_or_a_repayment_at_the_tier_clears_with_its_approval(led):
    cmd.receive_subsidy(led, cmd.ReceiveSubsidy(number="BZ-01", program="村级组织运转经费", source="县",
                                                amount_fen=9_000_000, day=D("2025-03-01")))
    bare = cmd.spend_subsidy(led, cmd.SpendSubsidy(number="BZ-01", amount_fen=2_500_000, day=D("2025-03-05"),
                                                   purpose="村道维修", payee="临安路桥公司")).voucher
    approved = cmd.spend_subsidy(led, cmd.SpendSubsidy(number="BZ-01", amount_fen=2_500_000, day=D("2025-03-06"),
                                                       purpose="村道维修", payee="临安路桥公司",
                                                       resolution="东村决〔2025〕6号")).voucher
    cmd.add_debt(led, cmd.AddDebt(number="ZW-01", direction="payable", party="临安农村信用社", amount_fen=5_000_000,
                                  day=D("2025-03-01"), account="221", origin="村道建设借款"))
    repaid = cmd.settle_debt(led, cmd.SettleDebt(number="ZW-01", amount_fen=3_000_000, day=D("2025-03-07"),
                                                 resolution="东村决〔2025〕7号")).voucher
    assert flags(led, "2025-03-10", "R23").keys() == {f"R23:{bare}"}
    assert approved and repaid
    row = led.views.query("SELECT resolution FROM v_vouchers WHERE collective = ? AND number = ?", (CODE, approved))
    assert row == [("东村决〔2025〕6号",)]


def test_a_cashier_keeping_the_books_is_flagged(led):
    number = post(as_operator(led, CASHIER), "2025-03-05", {"513": 50_000}, {"152": 50_000}, summary="计提折旧")
    assert flags(led, "2025-03-10", "R63").keys() == {f"R63:{number}"}
    reverse(led, number, "2025-03-06")
    assert flags(led, "2025-03-10", "R63") == {}


# -- subsidies and debts ---------------------------------------------------------------


def test_earmarked_subsidy_idle_for_six_months_clears_when_spent(led):
    receive(as_operator(led, CASHIER), "BZ-01", 5_000_000, day="2025-01-10")
    assert flags(led, "2025-07-09", "R31") == {}
    assert flags(led, "2025-07-10", "R31").keys() == {"R31:BZ-01"}
    spend(led, "BZ-01", 1_000_000, day="2025-07-05")
    assert flags(led, "2025-08-01", "R31") == {}
    assert flags(led, "2026-01-05", "R31")["R31:BZ-01"].since == D("2025-07-05")


def _record_as_if_allowed_then(led, number: str, amount_fen: int, purpose: str) -> None:
    """A spend an older rule let through (or an import wrote): decided on an aggregate
    that allowed it, saved like any event. The rules must see what the views hold."""
    state = led.app.load(subsidy_id(CODE, number), subsidies.apply)
    lenient = replace(state, purposes=(*state.purposes, purpose), received_fen=state.received_fen + amount_fen)
    collective = led.collective(CODE)
    events = subsidies.spend(lenient, collective, led.chart(collective.chart), led.period(CODE, "2025-05"),
                             number=number, amount_fen=amount_fen, day=D("2025-05-01"), purpose=purpose, payee="某公司",
                             via="bank", account=None, operator=ACCOUNTANT, now=led.now(), today=led.today())
    led.app.record(events)
    led.catch_up()


def test_earmarked_money_spent_on_another_purpose_or_beyond_its_balance(led):
    receive(as_operator(led, CASHIER), "BZ-01", 1_000_000, day="2025-03-01")
    _record_as_if_allowed_then(led, "BZ-01", 1_500_000, "办公经费")
    now = flags(led, "2025-06-01")
    (wrong,) = [f for f in now.values() if f.rule == "R32"]
    assert wrong.severity == "red" and "办公经费" in wrong.explanation and wrong.refs == (wrong.subject,)
    assert now["R33:BZ-01"].severity == "red" and "5,000.00" in now["R33:BZ-01"].explanation
    receive(as_operator(led, CASHIER), "BZ-01", 500_000, day="2025-05-20")
    assert "R33:BZ-01" not in flags(led, "2025-06-01")


def test_old_receivable_is_flagged_after_three_years_until_collected(led):
    add_debt(led, "ZQ-01", amount_fen=300_000, day="2021-06-01", via=None)
    assert flags(led, "2024-05-31", "R41") == {}
    old = flags(led, "2025-03-01", "R41")
    assert old.keys() == {"R41:ZQ-01"} and old["R41:ZQ-01"].since == D("2024-06-01")
    settle_debt(as_operator(led, CASHIER), "ZQ-01", 300_000, "2025-02-01")
    assert flags(led, "2025-03-01", "R41") == {}


def test_debt_growth_over_the_year_and_the_debt_ratio(led):
    post(led, "2025-01-05", {"102": 10_000_000}, {"201": 10_000_000}, summary="借入款项")
    assert flags(led, "2025-06-01", "R43").keys() == {"R43:2025"}  # all assets borrowed: 100%
    post(led, "2025-02-05", {"102": 10_000_000}, {"301": 10_000_000}, summary="股东投入")
    assert flags(led, "2025-06-01", "R43") == {}  # 50%
    post(led, "2026-02-01", {"102": 2_000_000}, {"201": 2_000_000}, summary="再借入")
    grown = flags(led, "2026-03-01", "R42")
    assert grown.keys() == {"R42:2026"} and "20%" in grown["R42:2026"].explanation
    post(led, "2026-02-15", {"201": 1_500_000}, {"102": 1_500_000}, summary="归还借款")
    assert flags(led, "2026-03-01", "R42") == {}


# -- books, disclosure, duties -----------------------------------------------------------


def test_a_month_left_open_and_a_back_dated_voucher(led):
    number = post(led, "2025-01-05", {"513": 10_000}, {"102": 10_000})
    assert flags(led, "2025-02-15", "R51") == {}
    assert flags(led, "2025-02-16", "R51").keys() == {"R51:2025-01"}
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    assert flags(led, "2025-02-16", "R51") == {}
    today = led.today().isoformat()
    late = flags(led, today, "R54")  # recorded now, long after 2025-01-05
    assert late.keys() == {f"R54:{number}"} and late[f"R54:{number}"].refs == (number, late[f"R54:{number}"].refs[1])


def test_a_disclosure_overdue_is_red_published_late_is_yellow_and_a_thin_year_is_red(led, tmp_path):
    disclose.add_board(led, disclose.AddBoard(name=BOARD, location="村委会大院东侧", cadence="quarterly"))
    post(led, "2025-01-05", {"102": 100_000}, {"501": 100_000})
    for month in ("2025-01", "2025-02", "2025-03"):
        books.close_period(led, books.ClosePeriod(month=month))
    assert flags(led, "2025-04-15", "R52") == {}
    assert flags(led, "2025-04-16", "R52")[f"R52:{BOARD}:2025-Q1"].severity == "red"
    number = disclose.draft(led, disclose.DraftDisclosure(board=BOARD, period="2025-Q1")).id
    disclose.review(as_operator(led, SUPERVISOR), disclose.ReviewDisclosure(number=number, approved=True, opinion="同意"))
    disclose.publish(as_operator(led, ACCOUNTANT), disclose.PublishDisclosure(number=number, out=str(tmp_path / "out")))
    assert flags(led, "2025-04-16", "R52")[f"R52:{BOARD}:2025-Q1"].severity == "yellow"  # published today, late
    assert flags(led, "2026-01-05", "R53").keys() == {"R53:2025"}
    assert "1 期" in flags(led, "2026-01-05", "R53")["R53:2025"].explanation


def test_a_reviewer_who_recorded_vouchers_of_the_period_is_flagged(led):
    disclose.add_board(led, disclose.AddBoard(name=BOARD, location="村委会大院东侧", cadence="monthly"))
    collective = led.collective(CODE)
    # An entry recorded under the supervisor's name (an import, or an older rule).
    events = vouchers.post(collective, led.chart(collective.chart), led.period(CODE, "2025-01"), day=D("2025-01-08"),
                           summary="代记支出", lines=lines({"513": 10_000}, {"102": 10_000}), operator=SUPERVISOR,
                           now=led.now(), today=led.today())
    led.app.record(events)
    books.close_period(as_operator(led, ACCOUNTANT), books.ClosePeriod(month="2025-01"))
    number = disclose.draft(led, disclose.DraftDisclosure(board=BOARD, period="2025-01")).id
    assert flags(led, "2025-02-05", "R62") == {}
    disclose.review(as_operator(led, SUPERVISOR), disclose.ReviewDisclosure(number=number, approved=True, opinion="同意"))
    found = flags(led, led.today().isoformat(), "R62")
    assert found.keys() == {f"R62:{number}:{SUPERVISOR}"}
    assert found[f"R62:{number}:{SUPERVISOR}"].refs == (events[0].number,)


# -- thresholds ------------------------------------------------------------------------


def test_a_townships_config_file_changes_the_outcome(led, tmp_path, monkeypatch):
    add_resource(led, "ZY-01", area_cmu=10_000)  # 100 亩
    sign_lease(led, "ZL-01", "ZY-01", rent_fen=5_000_000, resolution="东村决〔2025〕1号")  # 500 元/亩/年
    payment = post(led, "2025-03-05", {"513": 150_000}, {"101": 150_000}, summary="现金支付")
    assert flags(led, "2025-03-10", "R07") == {}  # no reference price by default: silent
    assert f"R22:{payment}" in flags(led, "2025-03-10", "R22")
    # Thresholds passed in win over the file.
    lenient = replace(load_rules().flags, backdate_days=100_000)
    assert flags(led, led.today().isoformat(), "R54") and flags(led, led.today().isoformat(), "R54", thresholds=lenient) == {}
    config = tmp_path / "township.toml"
    config.write_text("[flags]\ncash_payment_max_yuan = 2000\n\n[flags.reference_price]\n\"耕地\" = 800\n", encoding="utf-8")
    monkeypatch.setenv("SANZI_CONFIG", str(config))
    load_rules.cache_clear()
    try:
        now = flags(led, "2025-03-10")
        assert f"R22:{payment}" not in now
        assert now["R07:ZL-01"].severity == "yellow" and "500.00" in now["R07:ZL-01"].explanation
        config.write_text("[flags.reference_price]\n\"耕地\" = 1200\n", encoding="utf-8")
        load_rules.cache_clear()
        assert flags(led, "2025-03-10")["R07:ZL-01"].severity == "red"  # under half the reference
    finally:
        load_rules.cache_clear()


def test_a_period_limits_transaction_flags_and_evaluates_state_at_its_end(led):
    march = post(led, "2025-03-05", {"513": 150_000}, {"101": 150_000}, summary="现金支付")
    april = post(led, "2025-04-05", {"513": 150_000}, {"101": 150_000}, summary="现金支付")
    q1 = flags(led, "2025-12-31", "R22", period=parse_period("2025-Q1"))
    assert q1.keys() == {f"R22:{march}"}
    assert flags(led, "2025-12-31", "R22").keys() == {f"R22:{march}", f"R22:{april}"}


# -- invariants ------------------------------------------------------------------------


def mixed_history(led) -> None:
    """A bit of everything, several rules firing at once."""
    add_resource(led, "ZY-01")
    sign_lease(led, "ZL-01", "ZY-01", "2025-01-01", "2026-12-31")
    sign_contract(led, "HT-01", resolution="", end=D("2031-12-31"),
                  schedule=tuple(cmd.Instalment(due=D(f"{y}-01-01"), amount_fen=100_000) for y in range(2025, 2032)),
                  amount_fen=700_000)
    sign_contract(led, "GC-01", kind="工程", party="临安建工有限公司", party_id=CREDIT_CODE, amount_fen=9_000_000,
                  start=D("2025-03-01"), end=D("2025-09-30"))
    receive(as_operator(led, CASHIER), "BZ-01", 5_000_000, day="2025-01-10")
    add_debt(as_operator(led, ACCOUNTANT), "ZQ-01", amount_fen=300_000, day="2021-06-01", via=None)
    post(led, "2025-02-03", {"101": 800_000}, {"102": 800_000})
    post(led, "2025-02-05", {"513": 2_500_000}, {"101": 500_000, "102": 2_000_000})
    post(as_operator(led, CASHIER), "2025-02-07", {"513": 50_000}, {"152": 50_000})
    as_operator(led, ACCOUNTANT)


def test_evaluate_is_deterministic_and_every_rule_fires_somewhere_in_a_mixed_history(led):
    mixed_history(led)
    first = evaluate(led.views, CODE, today=D("2025-08-01"))
    assert first == evaluate(led.views, CODE, today=D("2025-08-01"))
    order = [(("red", "yellow").index(f.severity), f.rule, f.subject) for f in first]
    assert order == sorted(order)
    fired = {f.rule for f in first}
    assert {"R01", "R02", "R09", "R13", "R21", "R22", "R23", "R24", "R31", "R41", "R51", "R54", "R63"} <= fired
    assert fired <= CATALOGUE.keys()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    period=st.none() | st.sampled_from(["2025-01", "2025-Q2", "2025", "2026", "2019-03"]),
    limits=st.lists(st.integers(min_value=0, max_value=10**7), min_size=8, max_size=8),
)
def test_evaluate_never_raises_ids_are_unique_and_refs_point_at_stored_events(led, day, period, limits):
    if not led.views.query("SELECT 1 FROM v_leases"):
        mixed_history(led)
    base = load_rules().flags
    thresholds = replace(
        base, overdue_months_yellow=limits[0] % 24, overdue_months_red=limits[1] % 36, expiring_days=limits[2] % 400,
        cash_limit_fen=limits[3], cash_payment_max_fen=limits[4], approval_tier_fen=limits[5],
        backdate_days=limits[6] % 1000, subsidy_idle_months=limits[7] % 24, reference_price_fen={"耕地": limits[0] + 1},
    )
    found = evaluate(led.views, CODE, today=day, period=parse_period(period) if period else None, thresholds=thresholds)
    assert len({f.id for f in found}) == len(found)
    head = led.app.head()
    numbers = {n for (n,) in led.views.query("SELECT number FROM v_vouchers")}
    for flag in found:
        assert flag.id == f"{flag.rule}:{flag.subject}" and flag.severity in ("red", "yellow") and flag.collective == CODE
        assert flag.title == CATALOGUE[flag.rule].title and flag.explanation
        for ref in flag.refs:
            if ref.startswith("#"):
                assert 1 <= int(ref[1:]) <= head
            else:
                assert ref in numbers, ref


def test_an_unknown_collective_has_no_flags(led):
    assert evaluate(led.views, "NOPE", today=D("2025-01-01")) == []
