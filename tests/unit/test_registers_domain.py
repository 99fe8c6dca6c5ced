"""The 三资 registers' domain rules: schedules, holdings, identifiers, and the
decide functions of contracts, assets, leases, debts and subsidies.

Pure: states are built by folding the events the decide functions return
(tests/unit/builders.py). Postings are checked against domain.md §2.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sanzi_ledger.chart import load_chart
from sanzi_ledger.config import TermRules, load_rules
from sanzi_ledger.domain import assets, contracts, debts, leases, postings, subsidies
from sanzi_ledger.domain.assets import (
    AssetAdded,
    AssetDisposed,
    ItemLeased,
    ItemReleased,
)
from sanzi_ledger.domain.contracts import ContractSettled, ContractSigned
from sanzi_ledger.domain.debts import DebtAdded, DebtSettled, DebtWrittenOff
from sanzi_ledger.domain.leases import LeaseCollected, LeaseEnded, LeaseSigned
from sanzi_ledger.domain.periods import VoucherNumbered
from sanzi_ledger.domain.schedules import (
    Instalment,
    add_months,
    check_schedule,
    check_term,
    periodic,
    standing,
)
from sanzi_ledger.domain.subsidies import SubsidyReceived, SubsidyReturned, SubsidySpent
from sanzi_ledger.domain.vouchers import VoucherPosted
from sanzi_ledger.errors import Refusal
from sanzi_ledger.identifiers import (
    check_party_id,
    credit_code_valid,
    mask_id,
    resident_id_valid,
)
from sanzi_ledger.ids import item_id, lease_id
from tests.unit.builders import (
    ACCOUNTANT,
    CASHIER,
    CODE,
    NOW,
    fold,
    registered,
    with_members,
)

CHART = load_chart("2024")
# A village whose 102 银行存款 is a leaf, so `via=bank` posts to 102 itself.
PLAIN = with_members(registered(), (ACCOUNTANT, "accountant"), (CASHIER, "cashier"))
TODAY = date(2025, 12, 31)  # the domain's "today": every 2025 business date is in the past
RULES = TermRules(lease_years_max=20, wasteland_years_max=50, farmland_end_max=date(2028, 12, 31))
RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"
JAN1, DEC31 = date(2025, 1, 1), date(2025, 12, 31)


# ---- helpers -------------------------------------------------------------------


def refused(act) -> Refusal:
    with pytest.raises(Refusal) as caught:
        act()
    return caught.value


def entries(events) -> list[tuple[str, str, int]]:
    """The one voucher among `events`, as sorted (Dr|Cr, account, fen) entries."""
    posted = [e for e in events if isinstance(e, VoucherPosted)]
    assert len(posted) == 1, events
    return sorted(("Dr" if line.side == "debit" else "Cr", line.account, line.amount_fen) for line in posted[0].lines)


def own(events, *types):
    """The register's own events (the voucher's events belong to other aggregates)."""
    return [e for e in events if isinstance(e, types)]


def due(*items: tuple[str, int]) -> tuple[Instalment, ...]:
    return tuple(Instalment(due=date.fromisoformat(d), amount_fen=f) for d, f in items)


def resource(number: str = "ZY-01", *, type: str = "林地", area_cmu: int = 10_000) -> assets.Item:
    events = assets.add_resource(None, PLAIN, number=number, name="后山", type=type, area_cmu=area_cmu, location="东山",
                                 operator=ACCOUNTANT, now=NOW)
    return fold(assets.apply, events)


def asset(number: str = "ZC-01", *, value_fen: int = 8_000_000, category: str = "房屋建筑物") -> assets.Item:
    events = assets.add_asset(None, PLAIN, CHART, None, number=number, name="村部仓库", category=category,
                              value_fen=value_fen, acquired=date(2025, 2, 1), location="", via=None,
                              operator=ACCOUNTANT, now=NOW, today=TODAY)
    return fold(assets.apply, events)


def holding(item: assets.Item, lease: str, area_cmu: int | None, start: str, end: str) -> assets.Item:
    held = assets.hold(item, PLAIN, number=item.number, lease=lease, area_cmu=area_cmu, start=date.fromisoformat(start),
                       end=date.fromisoformat(end), operator=ACCOUNTANT, now=NOW)
    return assets.apply(item, held)


def sign_lease(item: assets.Item | None, state: leases.Lease | None = None, **changes) -> list:
    kwargs = {"number": "ZL-01", "item_number": item.number if item else "ZY-99", "area_cmu": None, "lessee": "张三",
              "lessee_id": "", "rent_fen": 120_000, "per": "year", "start": JAN1, "end": DEC31, "schedule": (),
              "method": "协商", "resolution": "", "signed_on": JAN1, "terms": RULES,
              "operator": ACCOUNTANT, "now": NOW, "today": TODAY}
    kwargs.update(changes)
    return leases.sign(state, item, PLAIN, **kwargs)


def signed_lease(item: assets.Item, **changes) -> tuple[leases.Lease, assets.Item]:
    signed, held = sign_lease(item, **changes)
    return leases.apply(None, signed), assets.apply(item, held)


def collect(lease: leases.Lease, amount_fen: int, *, day: date = date(2025, 3, 1), via: str = "bank",
            account: str | None = None) -> list:
    return leases.collect(lease, PLAIN, CHART, None, number=lease.signed.number, amount_fen=amount_fen, day=day,
                          via=via, account=account, operator=CASHIER, now=NOW, today=TODAY)


def sign_contract(state: contracts.Contract | None = None, **changes) -> list:
    kwargs = {"number": "HT-01", "kind": "发包", "direction": None, "party": "东山果业合作社", "party_id": CREDIT_CODE,
              "amount_fen": 1_000_000, "start": JAN1, "end": DEC31, "schedule": (), "subject": "果园发包",
              "method": "公开招标", "resolution": "村民代表会议决议〔2025〕1号", "signed_on": JAN1,
              "lease_years_max": RULES.lease_years_max, "operator": ACCOUNTANT, "now": NOW, "today": TODAY}
    kwargs.update(changes)
    return contracts.sign(state, PLAIN, **kwargs)


def contract(**changes) -> contracts.Contract:
    return fold(contracts.apply, sign_contract(**changes))


def settle_contract(state: contracts.Contract, amount_fen: int, *, direction: str | None = None,
                    day: date = date(2025, 3, 1), via: str = "bank", account: str | None = None) -> list:
    return contracts.settle(state, PLAIN, CHART, None, number=state.number, direction=direction or state.signed.direction,
                            amount_fen=amount_fen, day=day, via=via, account=account,
                            operator=CASHIER, now=NOW, today=TODAY)


def add_debt(state: debts.Debt | None = None, **changes) -> list:
    kwargs = {"number": "ZQ-01", "direction": "receivable", "party": "王五", "party_id": RESIDENT_ID,
              "amount_fen": 500_000, "day": date(2025, 2, 1), "due": date(2025, 12, 1), "account": None,
              "origin": "借款", "via": "bank", "operator": ACCOUNTANT, "now": NOW, "today": TODAY}
    kwargs.update(changes)
    return debts.add(state, PLAIN, CHART, None, **kwargs)


def debt(**changes) -> debts.Debt:
    return fold(debts.apply, own(add_debt(**changes), DebtAdded))


def settle_debt(state: debts.Debt | None, amount_fen: int, *, day: date = date(2025, 4, 1)) -> list:
    return debts.settle(state, PLAIN, CHART, None, number=state.added.number if state else "ZQ-404", amount_fen=amount_fen, day=day,
                        via="bank", operator=CASHIER, now=NOW, today=TODAY)


def write_off(state: debts.Debt, amount_fen: int, *, resolution: str = "村民代表会议决议〔2025〕7号",
              day: date = date(2025, 6, 1)) -> list:
    return debts.write_off(state, PLAIN, CHART, None, number=state.added.number, amount_fen=amount_fen, day=day,
                           reason="债务人死亡无财产", resolution=resolution, operator=ACCOUNTANT, now=NOW, today=TODAY)


def receive(state: subsidies.Subsidy | None = None, **changes) -> list:
    kwargs = {"number": "BZ-01", "program": "高标准农田建设", "source": "县", "amount_fen": 1_000_000,
              "day": date(2025, 3, 1), "earmarked": True, "purposes": ("道路硬化", "水渠修缮"), "via": "bank",
              "operator": CASHIER, "now": NOW, "today": TODAY}
    kwargs.update(changes)
    return subsidies.receive(state, PLAIN, CHART, None, **kwargs)


def subsidy(**changes) -> subsidies.Subsidy:
    return fold(subsidies.apply, own(receive(**changes), SubsidyReceived))


def spend(state: subsidies.Subsidy | None, amount_fen: int, *, purpose: str = "道路硬化", account: str | None = None) -> list:
    return subsidies.spend(state, PLAIN, CHART, None, number=state.number if state else "BZ-404", amount_fen=amount_fen, day=date(2025, 4, 1),
                           purpose=purpose, payee="东山建筑队", via="bank", account=account,
                           operator=CASHIER, now=NOW, today=TODAY)


# ---- schedules -----------------------------------------------------------------


@pytest.mark.parametrize(("per", "dues"), [
    ("year", ["2025-03-01", "2026-03-01", "2027-03-01"]),
    ("quarter", ["2025-03-01", "2025-06-01", "2025-09-01", "2025-12-01", "2026-03-01", "2026-06-01", "2026-09-01",
                 "2026-12-01", "2027-03-01", "2027-06-01", "2027-09-01", "2027-12-01"]),
    ("term", ["2025-03-01"]),
])
def test_periodic_schedule_falls_due_at_the_start_of_each_period_before_the_end(per, dues):
    schedule = periodic(date(2025, 3, 1), date(2028, 3, 1), 50_000, per, record="租赁 ZL-01")
    assert [i.due.isoformat() for i in schedule] == dues
    assert {i.amount_fen for i in schedule} == {50_000}


def test_monthly_schedule_has_one_instalment_per_month_of_the_term():
    schedule = periodic(JAN1, DEC31, 10_000, "month", record="租赁 ZL-01")
    assert [i.due for i in schedule] == [date(2025, m, 1) for m in range(1, 13)]


def test_monthly_schedule_clamps_to_month_end_without_drifting():
    schedule = periodic(date(2025, 1, 31), date(2025, 6, 1), 10_000, "month", record="租赁 ZL-01")
    assert [i.due.isoformat() for i in schedule] == ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31"]


def test_month_arithmetic_clamps_leap_days():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_periodic_schedule_refuses_an_unknown_period_and_a_non_positive_rent():
    refusal = refused(lambda: periodic(JAN1, DEC31, 10_000, "week", record="租赁 ZL-01"))
    assert (refusal.code, refusal.field) == ("schedule.per", "per")
    refusal = refused(lambda: periodic(JAN1, DEC31, 0, "month", record="租赁 ZL-01"))
    assert (refusal.code, refusal.field) == ("money.not_positive", "rent")


def test_periodic_schedule_refuses_more_instalments_than_the_limit():
    refusal = refused(lambda: periodic(JAN1, date(2076, 1, 1), 100, "month", record="租赁 ZL-01"))
    assert (refusal.code, refusal.field) == ("schedule.too_many", "per")


def test_a_term_must_end_after_it_starts():
    check_term(JAN1, date(2025, 1, 2), record="合同")
    for end in (JAN1, date(2024, 12, 31)):
        refusal = refused(lambda end=end: check_term(JAN1, end, record="合同"))
        assert (refusal.code, refusal.field) == ("term.end_before_start", "end")


def test_a_schedule_names_the_instalment_outside_the_term():
    refusal = refused(lambda: check_schedule(due(("2025-01-01", 100), ("2026-01-05", 100)), start=JAN1, end=DEC31, record="合同"))
    assert (refusal.code, refusal.field) == ("schedule.outside_term", "due[2]")
    refusal = refused(lambda: check_schedule((), start=JAN1, end=DEC31, record="合同"))
    assert (refusal.code, refusal.field) == ("schedule.empty", "due")


QUARTERS = due(("2025-01-01", 1000), ("2025-04-01", 1000), ("2025-07-01", 1000), ("2025-10-01", 1000))


def test_standing_applies_money_to_the_oldest_instalment_first():
    s = standing(QUARTERS, 1500, date(2025, 7, 15))
    assert (s.due_fen, s.arrears_fen) == (3000, 1500)
    assert (s.oldest_unpaid, s.next_due, s.next_due_fen) == (date(2025, 4, 1), date(2025, 4, 1), 500)
    assert s.days_overdue(date(2025, 7, 15)) == 105


def test_standing_sorts_the_schedule_before_applying_money():
    shuffled = (QUARTERS[2], QUARTERS[0], QUARTERS[3], QUARTERS[1])
    assert standing(shuffled, 1500, date(2025, 7, 15)) == standing(QUARTERS, 1500, date(2025, 7, 15))


def test_standing_before_anything_is_due_shows_the_first_instalment_next():
    s = standing(QUARTERS, 0, date(2024, 12, 31))
    assert (s.due_fen, s.arrears_fen, s.oldest_unpaid) == (0, 0, None)
    assert (s.next_due, s.next_due_fen, s.days_overdue(date(2024, 12, 31))) == (date(2025, 1, 1), 1000, 0)


def test_standing_of_a_prepaid_schedule_has_no_arrears_and_points_at_the_first_uncovered_instalment():
    s = standing(QUARTERS, 2500, date(2025, 2, 1))
    assert (s.due_fen, s.arrears_fen, s.oldest_unpaid) == (1000, 0, None)
    assert (s.next_due, s.next_due_fen) == (date(2025, 7, 1), 500)


def test_standing_of_a_paid_schedule_has_nothing_next():
    s = standing(QUARTERS, 4000, date(2026, 1, 1))
    assert (s.arrears_fen, s.oldest_unpaid, s.next_due, s.next_due_fen) == (0, None, None, 0)


def test_an_instalment_due_today_is_not_yet_overdue_but_is_the_next_day():
    today = standing(QUARTERS, 1000, date(2025, 4, 1))
    assert (today.arrears_fen, today.oldest_unpaid, today.next_due) == (0, None, date(2025, 4, 1))
    tomorrow = standing(QUARTERS, 1000, date(2025, 4, 2))
    assert (tomorrow.arrears_fen, tomorrow.oldest_unpaid, tomorrow.days_overdue(date(2025, 4, 2))) == (1000, date(2025, 4, 1), 1)


# ---- holdings: the area a resource has let ------------------------------------------


def test_leased_area_of_a_free_resource_is_zero():
    assert assets.leased_area(resource(), JAN1, DEC31) == 0


def test_leased_area_is_the_peak_of_overlapping_holdings_not_their_sum():
    item = resource(area_cmu=10_000)
    item = holding(item, "A", 4000, "2025-01-01", "2025-07-01")
    item = holding(item, "B", 3000, "2025-03-01", "2025-12-31")
    item = holding(item, "C", 5000, "2025-08-01", "2025-12-31")
    assert assets.leased_area(item, JAN1, DEC31) == 8000  # B + C from 08-01; A + B is only 7000
    assert assets.leased_area(item, JAN1, date(2025, 7, 1)) == 7000
    assert assets.leased_area(item, date(2025, 1, 1), date(2025, 2, 28)) == 4000
    assert assets.leased_area(item, date(2025, 1, 1), date(2025, 3, 1)) == 7000  # B's first day counts


def test_leased_area_counts_a_holding_that_began_before_the_period():
    item = holding(resource(), "A", 6000, "2024-06-01", "2025-06-01")
    assert assets.leased_area(item, date(2025, 3, 1), DEC31) == 6000


def test_a_holding_includes_its_end_date_which_is_its_last_day():
    item = holding(resource(), "A", 6000, "2025-01-01", "2025-07-01")
    assert assets.leased_area(item, date(2025, 7, 2), DEC31) == 0
    assert assets.leased_area(item, date(2025, 7, 1), DEC31) == 6000


def test_a_release_frees_the_area_from_the_day_after_its_date():
    item = holding(resource(), "A", 6000, "2025-01-01", "2025-12-31")
    released = ItemReleased(originator_id=item_id(CODE, item.number), originator_version=item.version + 1,
                            timestamp=NOW, operator=ACCOUNTANT, collective=CODE, number=item.number, lease="A",
                            date=date(2025, 5, 1))
    item = assets.apply(item, released)
    assert assets.leased_area(item, date(2025, 5, 2), DEC31) == 0
    assert assets.leased_area(item, date(2025, 5, 1), DEC31) == 6000


# ---- identifiers -------------------------------------------------------------------


def test_the_sample_resident_id_and_credit_code_are_valid():
    assert resident_id_valid(RESIDENT_ID) and credit_code_valid(CREDIT_CODE)
    assert not credit_code_valid(RESIDENT_ID) and not resident_id_valid(CREDIT_CODE)


def test_every_single_digit_change_of_a_resident_id_breaks_its_check_digit():
    for position in range(17):
        for digit in "0123456789":
            if digit != RESIDENT_ID[position]:
                changed = RESIDENT_ID[:position] + digit + RESIDENT_ID[position + 1:]
                assert not resident_id_valid(changed), changed
    assert not resident_id_valid(RESIDENT_ID[:17] + "0")


def test_every_single_character_change_of_a_credit_code_breaks_its_check_character():
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(18):
        for ch in alphabet:
            if ch != CREDIT_CODE[position]:
                changed = CREDIT_CODE[:position] + ch + CREDIT_CODE[position + 1:]
                assert not credit_code_valid(changed), changed


@pytest.mark.parametrize("text", [
    "110105194902300027",  # 30 February
    "11010519491231002",  # 17 characters
    "11010519491231002X1",  # 19 characters
    "1101051949123100２X",  # a full-width digit
    "91350100M000100I43",  # I is not in the credit-code alphabet
])
def test_malformed_identifiers_are_neither_kind(text):
    assert not resident_id_valid(text) and not credit_code_valid(text)


def test_party_id_is_upper_cased_blank_is_absent_and_a_bad_one_is_refused_masked():
    assert check_party_id(" 11010519491231002x ") == RESIDENT_ID
    assert check_party_id("") == check_party_id(None) == check_party_id("  ") == ""
    refusal = refused(lambda: check_party_id("110105194912310021", field="lessee_id", record="租赁 ZL-01"))
    assert (refusal.code, refusal.field, refusal.value) == ("party.id_invalid", "lessee_id", "110105********0021")


def test_masking_shows_the_first_six_and_last_four_characters_only():
    assert mask_id(RESIDENT_ID) == "110105********002X"
    assert mask_id(CREDIT_CODE) == "913501********0Y43"
    assert mask_id("1234567890") == "**********"
    assert mask_id("13912345678") == "139123*5678"


# ---- postings ------------------------------------------------------------------------


def test_money_side_is_bank_cash_or_an_account_code():
    assert (postings.money_account("bank"), postings.money_account(" cash "), postings.money_account("102001")) == (
        "102", "101", "102001")
    for via in ("wire", "10", "１０２", ""):
        refusal = refused(lambda via=via: postings.money_account(via))
        assert (refusal.code, refusal.field) == ("posting.via", "via")


# ---- contracts -------------------------------------------------------------------------


def test_signing_a_contract_defaults_its_direction_and_schedule_from_its_kind():
    (signed,) = sign_contract()
    assert isinstance(signed, ContractSigned)
    assert (signed.direction, signed.party_id, signed.schedule) == ("income", CREDIT_CODE, due(("2025-01-01", 1_000_000)))
    (built,) = sign_contract(kind="工程", number="HT-02")
    assert built.direction == "expense"


def test_a_contract_schedule_is_sorted_and_must_total_the_amount():
    (signed,) = sign_contract(schedule=due(("2025-07-01", 500_000), ("2025-01-01", 500_000)))
    assert [i.due for i in signed.schedule] == [JAN1, date(2025, 7, 1)]
    refusal = refused(lambda: sign_contract(schedule=due(("2025-01-01", 500_000), ("2025-07-01", 400_000))))
    assert (refusal.code, refusal.field) == ("schedule.total_mismatch", "due")


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"kind": "赠与"}, "contract.kind", "kind"),
    ({"kind": "购销"}, "contract.direction", "direction"),
    ({"method": "抓阄"}, "contract.method", "method"),
    ({"end": JAN1}, "term.end_before_start", "end"),
    ({"end": date(2024, 6, 1)}, "term.end_before_start", "end"),
    ({"kind": "租赁", "end": date(2045, 1, 2)}, "term.lease_too_long", "end"),
    ({"party_id": "91350100M000100Y44"}, "party.id_invalid", "party_id"),
    ({"party_id": "110105194912310021"}, "party.id_invalid", "party_id"),
    ({"amount_fen": 0}, "money.not_positive", "amount"),
    ({"signed_on": TODAY + timedelta(days=1)}, "voucher.future_date", "date"),
    ({"party": " "}, "text.empty", "party"),
])
def test_contract_signing_refusals_name_the_field(changes, code, field):
    refusal = refused(lambda: sign_contract(**changes))
    assert (refusal.code, refusal.field) == (code, field)
    assert refusal.render("zh") and refusal.render("en")


def test_a_lease_contract_of_exactly_twenty_years_is_allowed():
    (signed,) = sign_contract(kind="租赁", end=date(2045, 1, 1))
    assert signed.end == date(2045, 1, 1)


def test_a_contract_number_is_registered_once():
    refusal = refused(lambda: sign_contract(contract()))
    assert (refusal.code, refusal.field, refusal.value) == ("contract.duplicate", "number", "HT-01")


def test_collecting_on_an_income_contract_posts_bank_to_operating_income_with_the_register_event():
    events = settle_contract(contract(), 300_000)
    assert [type(e) for e in events] == [VoucherNumbered, VoucherPosted, ContractSettled]
    assert entries(events) == [("Cr", "501", 300_000), ("Dr", "102", 300_000)]
    assert events[1].source == "contract:HT-01" and events[2].voucher == events[1].number
    assert events[1].resolution == "村民代表会议决议〔2025〕1号"


def test_collecting_in_cash_or_against_a_receivable_uses_those_accounts():
    assert entries(settle_contract(contract(), 300_000, via="cash", account="112")) == [
        ("Cr", "112", 300_000), ("Dr", "101", 300_000)]


@pytest.mark.parametrize(("kind", "direction", "debit"), [
    ("工程", None, "153"), ("服务", None, "513"), ("购销", "expense", "121"), ("其他", "expense", "515"),
])
def test_paying_an_expense_contract_debits_the_kinds_default_account(kind, direction, debit):
    state = contract(kind=kind, direction=direction, number="HT-09")
    assert entries(settle_contract(state, 200_000)) == [("Cr", "102", 200_000), ("Dr", debit, 200_000)]


def test_paying_a_rented_in_lease_contract_never_debits_operating_income():
    state = contract(kind="租赁", direction="expense", party="县农机站", party_id="")
    (debit,) = [account for side, account, _ in entries(settle_contract(state, 200_000)) if side == "Dr"]
    assert CHART.get(debit).side == "debit", f"an expense payment debited {debit}"


def test_contract_settlement_beyond_what_remains_is_refused_with_the_figures():
    state = contract()
    state = fold(contracts.apply, own(settle_contract(state, 600_000), ContractSettled), state)
    assert state.settled_fen == 600_000
    refusal = refused(lambda: settle_contract(state, 400_001))
    assert (refusal.code, refusal.field) == ("schedule.over_settlement", "amount")
    assert refusal.params == {"total": "10,000.00", "settled": "6,000.00", "outstanding": "4,000.00"}
    settle_contract(state, 400_000)  # exactly what remains is fine


@pytest.mark.parametrize(("act", "code", "field"), [
    (lambda c: settle_contract(c, 100, direction="expense"), "contract.wrong_direction", "direction"),
    (lambda c: settle_contract(c, 100, day=date(2024, 12, 31)), "schedule.before_signing", "date"),
    (lambda c: settle_contract(c, 0), "money.not_positive", "amount"),
    (lambda c: settle_contract(c, 100, via="支付宝"), "posting.via", "via"),
    (lambda c: settle_contract(c, 100, day=TODAY + timedelta(days=1)), "voucher.future_date", "date"),
])
def test_contract_settlement_refusals_name_the_field(act, code, field):
    refusal = refused(lambda: act(contract()))
    assert (refusal.code, refusal.field) == (code, field)


def test_a_terminated_contract_takes_no_more_money():
    state = contract()
    state = fold(contracts.apply, contracts.terminate(state, PLAIN, number="HT-01", day=date(2025, 6, 30), reason="违约",
                                                      operator=ACCOUNTANT, now=NOW), state)
    refusal = refused(lambda: settle_contract(state, 100))
    assert (refusal.code, refusal.field) == ("contract.terminated", "number")


def test_settling_an_unknown_contract_is_refused():
    refusal = refused(lambda: contracts.settle(None, PLAIN, CHART, None, number="HT-404", direction="income",
                                               amount_fen=1, day=JAN1, via="bank", account=None, operator=CASHIER,
                                               now=NOW, today=TODAY))
    assert (refusal.code, refusal.field) == ("contract.unknown", "number")


# ---- assets and resources ---------------------------------------------------------------


def test_buying_an_asset_posts_fixed_assets_against_the_bank():
    events = assets.add_asset(None, PLAIN, CHART, None, number="ZC-01", name="拖拉机", category="机器设备",
                              value_fen=8_000_000, acquired=date(2025, 2, 1), location="", via="bank",
                              operator=ACCOUNTANT, now=NOW, today=TODAY)
    assert [type(e) for e in events] == [VoucherNumbered, VoucherPosted, AssetAdded]
    assert entries(events) == [("Cr", "102", 8_000_000), ("Dr", "151", 8_000_000)]
    assert events[2].voucher == events[1].number and events[1].source == "asset:ZC-01"


def test_an_asset_already_in_the_books_posts_nothing_and_an_intangible_sits_in_161():
    (added,) = assets.add_asset(None, PLAIN, CHART, None, number="ZC-02", name="商标", category="无形资产",
                                value_fen=100_000, acquired=date(2025, 2, 1), location="", via=None,
                                operator=ACCOUNTANT, now=NOW, today=TODAY)
    assert (added.account, added.voucher) == ("161", "")


@pytest.mark.parametrize(("proceeds", "expected"), [
    (10_000_000, [("Cr", "151", 8_000_000), ("Cr", "504", 2_000_000), ("Dr", "102", 10_000_000)]),
    (3_000_000, [("Cr", "151", 8_000_000), ("Dr", "102", 3_000_000), ("Dr", "515", 5_000_000)]),
    (8_000_000, [("Cr", "151", 8_000_000), ("Dr", "102", 8_000_000)]),
    (0, [("Cr", "151", 8_000_000), ("Dr", "515", 8_000_000)]),
])
def test_disposal_takes_the_book_value_out_with_a_gain_to_504_or_a_loss_to_515(proceeds, expected):
    events = assets.dispose_asset(asset(), PLAIN, CHART, None, number="ZC-01", day=date(2025, 9, 1), amount_fen=proceeds,
                                  reason="危房拆除", resolution="村民代表会议决议〔2025〕9号", via="bank",
                                  operator=ACCOUNTANT, now=NOW, today=TODAY)
    assert entries(events) == expected
    assert isinstance(events[-1], AssetDisposed) and events[-1].amount_fen == proceeds


@pytest.mark.parametrize(("item", "resolution", "code", "field"), [
    ("free", " ", "asset.dispose_needs_resolution", "resolution"),
    ("leased", "决议〔2025〕9号", "asset.leased", "number"),
    ("disposed", "决议〔2025〕9号", "asset.disposed", "number"),
    ("missing", "决议〔2025〕9号", "asset.unknown", "number"),
])
def test_disposal_refusals_name_the_field(item, resolution, code, field):
    state = {"free": asset(), "leased": holding(asset(), "ZL-01", None, "2025-01-01", "2025-12-31"),
             "disposed": replace_disposed(asset()), "missing": None}[item]
    refusal = refused(lambda: assets.dispose_asset(
        state, PLAIN, CHART, None, number="ZC-01", day=date(2025, 9, 1), amount_fen=0, reason="拆除",
        resolution=resolution, via="bank", operator=ACCOUNTANT, now=NOW, today=TODAY))
    assert (refusal.code, refusal.field) == (code, field)


def replace_disposed(item: assets.Item) -> assets.Item:
    events = assets.dispose_asset(item, PLAIN, CHART, None, number=item.number, day=date(2025, 9, 1), amount_fen=0,
                                  reason="拆除", resolution="决议", via="bank", operator=ACCOUNTANT, now=NOW, today=TODAY)
    return assets.apply(item, own(events, AssetDisposed)[0])


@pytest.mark.parametrize(("act", "code", "field"), [
    (lambda: assets.add_asset(asset(), PLAIN, CHART, None, number="ZC-01", name="x", category="机器设备", value_fen=1,
                              acquired=JAN1, location="", via=None, operator=ACCOUNTANT, now=NOW, today=TODAY),
     "item.duplicate", "number"),
    (lambda: assets.add_asset(None, PLAIN, CHART, None, number="ZC-03", name="x", category="古董", value_fen=1,
                              acquired=JAN1, location="", via=None, operator=ACCOUNTANT, now=NOW, today=TODAY),
     "asset.category", "category"),
    (lambda: assets.add_resource(resource(), PLAIN, number="ZY-01", name="x", type="林地", area_cmu=1, location="",
                                 operator=ACCOUNTANT, now=NOW), "item.duplicate", "number"),
    (lambda: assets.add_resource(None, PLAIN, number="ZY-02", name="x", type="沙漠", area_cmu=1, location="",
                                 operator=ACCOUNTANT, now=NOW), "resource.type", "type"),
    (lambda: assets.add_resource(None, PLAIN, number="ZY-02", name="x", type="林地", area_cmu=0, location="",
                                 operator=ACCOUNTANT, now=NOW), "resource.area", "area"),
])
def test_register_entry_refusals_name_the_field(act, code, field):
    refusal = refused(act)
    assert (refusal.code, refusal.field) == (code, field)


def test_areas_are_typed_in_mu_and_kept_in_hundredths():
    assert assets.parse_area("1,200.25") == 120_025 and assets.format_area(120_025) == "1200.25"
    for text, code in (("12.345", "area.too_many_decimals"), ("十亩", "area.format"), ("0", "resource.area")):
        refusal = refused(lambda text=text: assets.parse_area(text))
        assert (refusal.code, refusal.field) == (code, "area")


# ---- leases ------------------------------------------------------------------------------


def test_signing_a_lease_holds_the_whole_resource_by_default_for_the_term():
    signed, held = sign_lease(resource(area_cmu=10_000))
    assert isinstance(signed, LeaseSigned) and isinstance(held, ItemLeased)
    assert (signed.area_cmu, signed.item_kind, signed.item_type) == (10_000, "resource", "林地")
    assert signed.schedule == due(("2025-01-01", 120_000))
    assert signed.originator_id == lease_id(CODE, "ZL-01") and held.originator_id == item_id(CODE, "ZY-01")
    assert (held.lease, held.area_cmu, held.start, held.end, held.originator_version) == ("ZL-01", 10_000, JAN1, DEC31, 2)


def test_an_asset_is_let_whole_and_held_on_its_own_aggregate():
    signed, held = sign_lease(asset(), per="quarter")
    assert (signed.item_kind, signed.area_cmu, held.originator_id) == ("asset", 0, item_id(CODE, "ZC-01"))
    assert len(signed.schedule) == 4


def test_two_leases_share_a_resource_when_their_areas_fit():
    item = resource(area_cmu=10_000)
    _, item = signed_lease(item, number="ZL-01", area_cmu=4000)
    signed, _ = sign_lease(item, number="ZL-02", area_cmu=6000)
    assert signed.area_cmu == 6000


def test_a_resource_let_in_turn_can_be_let_whole_each_time():
    item = resource(area_cmu=10_000)
    _, item = signed_lease(item, number="ZL-01", end=date(2025, 7, 1))
    signed, _ = sign_lease(item, number="ZL-02", start=date(2025, 7, 2))  # the day after ZL-01's last day
    assert signed.area_cmu == 10_000
    assert refused(lambda: sign_lease(item, number="ZL-03", start=date(2025, 7, 1))).code == "lease.overlap_area"


def lease_refusal_cases():
    def overlapping(item):
        _, item = signed_lease(item, number="ZL-00", area_cmu=6000)
        return item

    def asset_let(item):
        _, item = signed_lease(asset(), number="ZL-00", start=date(2025, 6, 1), end=date(2026, 6, 1))
        return item

    return [
        ("unknown item", lambda: sign_lease(None), "lease.item_unknown", "item"),
        ("end before start", lambda: sign_lease(resource(), end=date(2024, 12, 31)), "term.end_before_start", "end"),
        ("end on start", lambda: sign_lease(resource(), end=JAN1), "term.end_before_start", "end"),
        ("lease over 20 years", lambda: sign_lease(resource(), end=date(2045, 1, 2)), "term.lease_too_long", "end"),
        ("asset over 20 years", lambda: sign_lease(asset(), end=date(2045, 1, 2)), "term.lease_too_long", "end"),
        ("四荒地 over 50 years", lambda: sign_lease(resource(type="四荒地"), end=date(2075, 1, 2)), "term.lease_too_long", "end"),
        ("耕地 past the second round", lambda: sign_lease(resource(type="耕地"), end=date(2029, 1, 1)), "term.farmland_end", "end"),
        ("area beyond the resource", lambda: sign_lease(resource(area_cmu=10_000), area_cmu=10_001), "lease.area_exceeds", "area"),
        ("overlapping area", lambda: sign_lease(overlapping(resource(area_cmu=10_000)), area_cmu=4001), "lease.overlap_area", "area"),
        ("asset let twice", lambda: sign_lease(asset_let(None), start=date(2026, 5, 31), end=date(2026, 12, 31)), "lease.overlap_asset", "item"),
        ("area on an asset", lambda: sign_lease(asset(), area_cmu=100), "lease.asset_area", "area"),
        ("disposed asset", lambda: sign_lease(replace_disposed(asset())), "asset.disposed", "item"),
        ("bad lessee id", lambda: sign_lease(resource(), lessee_id="11010519491231002Y"), "party.id_invalid", "lessee_id"),
        ("no rent", lambda: sign_lease(resource(), rent_fen=0), "money.not_positive", "rent"),
        ("unknown period", lambda: sign_lease(resource(), per="week"), "schedule.per", "per"),
        ("due outside the term", lambda: sign_lease(resource(), schedule=due(("2026-01-01", 1))), "schedule.outside_term", "due[1]"),
        ("future signing", lambda: sign_lease(resource(), signed_on=TODAY + timedelta(days=1)), "voucher.future_date", "date"),
        ("duplicate number", lambda: sign_lease(resource(), leases.apply(None, sign_lease(resource())[0])), "lease.duplicate", "number"),
    ]


@pytest.mark.parametrize(("case", "act", "code", "field"), lease_refusal_cases(), ids=[c[0] for c in lease_refusal_cases()])
def test_lease_signing_refusals_name_the_field(case, act, code, field):
    refusal = refused(act)
    assert (refusal.code, refusal.field) == (code, field)
    assert refusal.render("zh") and refusal.render("en")


@pytest.mark.parametrize(("type", "end"), [
    ("林地", date(2045, 1, 1)), ("四荒地", date(2075, 1, 1)), ("耕地", date(2028, 12, 31)),
])
def test_terms_up_to_the_legal_limit_are_allowed(type, end):
    signed, _ = sign_lease(resource(type=type), end=end, per="term")
    assert signed.end == end


def test_term_limits_come_from_the_rules_passed_in():
    strict = TermRules(lease_years_max=5, wasteland_years_max=10, farmland_end_max=date(2026, 12, 31))
    refusal = refused(lambda: sign_lease(resource(), end=date(2030, 1, 2), terms=strict))
    assert (refusal.code, refusal.params) == ("term.lease_too_long", {"years": 5})
    refusal = refused(lambda: sign_lease(resource(type="耕地"), end=date(2027, 1, 1), terms=strict))
    assert (refusal.code, refusal.params) == ("term.farmland_end", {"limit": "2026-12-31"})


def test_default_term_limits_are_read_from_rules_toml_and_a_township_file_overrides_them(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SANZI_CONFIG", raising=False)
    assert load_rules().terms == RULES
    override = tmp_path / "township.toml"
    override.write_text('[terms]\nfarmland_end_max = "2057-12-31"\n', encoding="utf-8")
    terms = load_rules(str(override)).terms
    assert terms == TermRules(lease_years_max=20, wasteland_years_max=50, farmland_end_max=date(2057, 12, 31))


def test_collecting_rent_posts_bank_to_operating_income_with_the_register_event():
    lease, _ = signed_lease(resource(), resolution="决议〔2025〕2号")
    events = collect(lease, 60_000)
    assert [type(e) for e in events] == [VoucherNumbered, VoucherPosted, LeaseCollected]
    assert entries(events) == [("Cr", "501", 60_000), ("Dr", "102", 60_000)]
    assert (events[1].source, events[1].resolution, events[2].voucher) == ("lease:ZL-01", "决议〔2025〕2号", events[1].number)


def test_rent_that_settles_a_receivable_credits_112_and_cash_debits_101():
    lease, _ = signed_lease(resource())
    assert entries(collect(lease, 60_000, via="cash", account="112")) == [("Cr", "112", 60_000), ("Dr", "101", 60_000)]


def test_collecting_more_rent_than_the_schedule_holds_is_refused():
    lease, _ = signed_lease(resource(), per="quarter", rent_fen=30_000)
    lease = fold(leases.apply, own(collect(lease, 100_000), LeaseCollected), lease)
    refusal = refused(lambda: collect(lease, 20_001))
    assert (refusal.code, refusal.field) == ("schedule.over_settlement", "amount")
    assert refusal.params["outstanding"] == "200.00"


def test_rent_collected_before_the_signing_date_is_refused():
    lease, _ = signed_lease(resource(), signed_on=date(2025, 2, 1), start=date(2025, 2, 1))
    refusal = refused(lambda: collect(lease, 100, day=date(2025, 1, 31)))
    assert (refusal.code, refusal.field) == ("schedule.before_signing", "date")


def test_ending_a_lease_early_releases_its_holding_from_the_day_after():
    item = resource(area_cmu=10_000)
    lease, item = signed_lease(item, area_cmu=10_000)
    ended, released = leases.end(lease, item, PLAIN, number="ZL-01", day=date(2025, 7, 1), reason="承租方退租",
                                 operator=ACCOUNTANT, now=NOW)
    assert isinstance(ended, LeaseEnded) and isinstance(released, ItemReleased)
    assert (released.originator_id, released.lease, released.date) == (item_id(CODE, "ZY-01"), "ZL-01", date(2025, 7, 1))
    item = assets.apply(item, released)
    sign_lease(item, number="ZL-02", start=date(2025, 7, 2))  # free from the day after the last day
    refusal = refused(lambda: sign_lease(item, number="ZL-03", start=date(2025, 7, 1)))
    assert refusal.code == "lease.overlap_area"


@pytest.mark.parametrize(("day", "ended_first", "code", "field"), [
    (date(2024, 12, 31), False, "lease.end_outside_term", "date"),
    (date(2026, 1, 1), False, "lease.end_outside_term", "date"),
    (date(2025, 8, 1), True, "lease.ended", "number"),
])
def test_lease_ending_refusals_name_the_field(day, ended_first, code, field):
    item = resource()
    lease, item = signed_lease(item)
    if ended_first:
        ended, released = leases.end(lease, item, PLAIN, number="ZL-01", day=date(2025, 7, 1), reason="退租",
                                     operator=ACCOUNTANT, now=NOW)
        lease, item = leases.apply(lease, ended), assets.apply(item, released)
    refusal = refused(lambda: leases.end(lease, item, PLAIN, number="ZL-01", day=day, reason="退租",
                                         operator=ACCOUNTANT, now=NOW))
    assert (refusal.code, refusal.field) == (code, field)


# ---- debts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("direction", "account", "expected"), [
    ("receivable", None, [("Cr", "102", 500_000), ("Dr", "112", 500_000)]),
    ("payable", None, [("Cr", "211", 500_000), ("Dr", "102", 500_000)]),
    ("payable", "201", [("Cr", "201", 500_000), ("Dr", "102", 500_000)]),
])
def test_a_debt_that_moves_money_when_it_arises_posts_it(direction, account, expected):
    events = add_debt(direction=direction, account=account)
    assert entries(events) == expected
    assert isinstance(events[-1], DebtAdded) and events[-1].voucher == events[1].number


def test_a_debt_already_in_the_books_posts_nothing():
    (added,) = add_debt(via=None, direction="payable")
    assert (added.account, added.voucher) == ("211", "")


@pytest.mark.parametrize(("direction", "expected"), [
    ("receivable", [("Cr", "112", 200_000), ("Dr", "102", 200_000)]),
    ("payable", [("Cr", "102", 200_000), ("Dr", "211", 200_000)]),
])
def test_settling_a_debt_reverses_how_it_arose(direction, expected):
    events = settle_debt(debt(direction=direction), 200_000)
    assert entries(events) == expected and isinstance(events[-1], DebtSettled)


@pytest.mark.parametrize(("direction", "expected"), [
    ("receivable", [("Cr", "112", 100_000), ("Dr", "515", 100_000)]),
    ("payable", [("Cr", "504", 100_000), ("Dr", "211", 100_000)]),
])
def test_writing_off_a_receivable_goes_to_515_and_a_payable_to_504(direction, expected):
    events = write_off(debt(direction=direction), 100_000)
    assert entries(events) == expected
    assert events[1].resolution == events[-1].resolution == "村民代表会议决议〔2025〕7号"
    assert isinstance(events[-1], DebtWrittenOff)


def test_debt_outstanding_is_the_amount_less_settlements_and_write_offs():
    state = debt()
    state = fold(debts.apply, own(settle_debt(state, 200_000), DebtSettled), state)
    state = fold(debts.apply, own(write_off(state, 100_000), DebtWrittenOff), state)
    assert state.outstanding_fen == 200_000
    for act in (lambda: settle_debt(state, 200_001), lambda: write_off(state, 200_001)):
        refusal = refused(act)
        assert (refusal.code, refusal.field) == ("debt.over_settlement", "amount")
        assert refusal.params == {"amount": "5,000.00", "outstanding": "2,000.00"}


@pytest.mark.parametrize(("act", "code", "field"), [
    (lambda: write_off(debt(), 100, resolution=""), "debt.write_off_needs_resolution", "resolution"),
    (lambda: write_off(debt(), 100, resolution="   "), "debt.write_off_needs_resolution", "resolution"),
    (lambda: add_debt(debt()), "debt.duplicate", "number"),
    (lambda: add_debt(direction="gift"), "debt.direction", "direction"),
    (lambda: add_debt(due=date(2025, 1, 31)), "debt.due_before_date", "due_date"),
    (lambda: add_debt(party_id="11010519491231002"), "party.id_invalid", "party_id"),
    (lambda: add_debt(day=TODAY + timedelta(days=1)), "voucher.future_date", "date"),
    (lambda: settle_debt(debt(), 100, day=date(2025, 1, 31)), "schedule.before_signing", "date"),
    (lambda: settle_debt(None, 100), "debt.unknown", "number"),
])
def test_debt_refusals_name_the_field(act, code, field):
    refusal = refused(act)
    assert (refusal.code, refusal.field) == (code, field)


def test_a_write_off_dated_before_the_debt_arose_is_refused():
    refusal = refused(lambda: write_off(debt(day=date(2025, 5, 1)), 100, day=date(2025, 3, 1)))
    assert refusal.field == "date"


@pytest.mark.parametrize(("days", "bucket"), [(0, "1年以内"), (365, "1年以内"), (366, "1-3年"), (1095, "1-3年"),
                                              (1096, "3年以上"), (-5, "1年以内")])
def test_aging_buckets_by_days_since_the_debt_arose(days, bucket):
    assert debts.aging_bucket(JAN1, JAN1 + timedelta(days=days)) == bucket


# ---- subsidies -----------------------------------------------------------------------------


def test_earmarked_money_received_is_a_liability_and_general_money_is_income():
    assert entries(receive()) == [("Cr", "241", 1_000_000), ("Dr", "102", 1_000_000)]
    assert entries(receive(earmarked=False, purposes=(), program="村级运转经费")) == [
        ("Cr", "503", 1_000_000), ("Dr", "102", 1_000_000)]


def test_spending_earmarked_money_draws_down_241():
    events = spend(subsidy(), 300_000)
    assert entries(events) == [("Cr", "102", 300_000), ("Dr", "241", 300_000)]
    assert isinstance(events[-1], SubsidySpent) and events[-1].account == ""


def test_earmarked_money_that_builds_an_asset_moves_241_into_the_reserve():
    assert entries(spend(subsidy(), 300_000, account="153")) == [
        ("Cr", "102", 300_000), ("Cr", "311", 300_000), ("Dr", "153", 300_000), ("Dr", "241", 300_000)]


def test_general_money_spent_is_a_public_expense_or_the_account_given():
    general = subsidy(earmarked=False, purposes=(), program="村级运转经费")
    assert entries(spend(general, 100_000, purpose="办公")) == [("Cr", "102", 100_000), ("Dr", "514", 100_000)]
    assert entries(spend(general, 100_000, purpose="办公", account="513")) == [("Cr", "102", 100_000), ("Dr", "513", 100_000)]


@pytest.mark.parametrize(("earmarked", "debit"), [(True, "241"), (False, "503")])
def test_returning_unspent_money_reverses_its_receipt(earmarked, debit):
    state = subsidy(earmarked=earmarked, purposes=("道路硬化",) if earmarked else ())
    events = subsidies.give_back(state, PLAIN, CHART, None, number="BZ-01", amount_fen=50_000, day=date(2025, 5, 1),
                                 via="bank", operator=ACCOUNTANT, now=NOW, today=TODAY)
    assert entries(events) == [("Cr", "102", 50_000), ("Dr", debit, 50_000)]
    assert isinstance(events[-1], SubsidyReturned)


def test_receipts_of_one_program_add_up_and_spending_and_returns_draw_the_balance():
    state = subsidy()
    state = fold(subsidies.apply, own(receive(state, amount_fen=500_000, purposes=()), SubsidyReceived), state)
    state = fold(subsidies.apply, own(spend(state, 1_200_000), SubsidySpent), state)
    assert (state.received_fen, state.balance_fen, state.purposes, state.version) == (1_500_000, 300_000, ("道路硬化", "水渠修缮"), 3)
    refusal = refused(lambda: spend(state, 300_001, purpose="水渠修缮"))
    assert (refusal.code, refusal.field) == ("subsidy.overspent", "amount")
    assert refusal.params == {"received": "15,000.00", "balance": "3,000.00"}
    refusal = refused(lambda: subsidies.give_back(state, PLAIN, CHART, None, number="BZ-01", amount_fen=300_001,
                                                  day=date(2025, 5, 1), via="bank", operator=ACCOUNTANT, now=NOW, today=TODAY))
    assert (refusal.code, refusal.field) == ("subsidy.overspent", "amount")


@pytest.mark.parametrize(("act", "code", "field"), [
    (lambda: spend(subsidy(), 100, purpose="发放福利"), "subsidy.wrong_purpose", "purpose"),
    (lambda: spend(subsidy(), 1_000_001), "subsidy.overspent", "amount"),
    (lambda: receive(purposes=()), "subsidy.earmarked_needs_purpose", "purpose"),
    (lambda: receive(source="国际"), "subsidy.source", "source"),
    (lambda: receive(subsidy(), program="美丽乡村"), "subsidy.program_mismatch", "program"),
    (lambda: receive(subsidy(), earmarked=False), "subsidy.program_mismatch", "program"),
    (lambda: receive(amount_fen=-1), "money.not_positive", "amount"),
    (lambda: spend(None, 100), "subsidy.unknown", "number"),
])
def test_subsidy_refusals_name_the_field(act, code, field):
    refusal = refused(act)
    assert (refusal.code, refusal.field) == (code, field)


def test_general_money_may_be_spent_on_any_purpose_up_to_its_balance():
    general = subsidy(earmarked=False, purposes=(), program="村级运转经费")
    spend(general, 1_000_000, purpose="任何用途")
    refusal = refused(lambda: spend(general, 1_000_001, purpose="任何用途"))
    assert refusal.code == "subsidy.overspent"
