"""The 三资 registers on a real store: SQLite and PostgreSQL run every case.

Each family's life cycle goes through the command handlers; its register
report and the trial balance must tell the same story. Every refusal names
its field and leaves the events and the views exactly as they were.
"""

from __future__ import annotations

from datetime import date

import pytest

from sanzi_ledger.commands import books
from sanzi_ledger.commands import registers as cmd
from sanzi_ledger.config import load_rules
from sanzi_ledger.domain import assets
from sanzi_ledger.domain.schedules import Instalment
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import item_id
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import register_reports as reports
from sanzi_ledger.projections import trial_balance
from tests.support import CODE, new_ledger, post, snapshot

RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"
D = date.fromisoformat
JAN1, DEC31 = D("2025-01-01"), D("2025-12-31")


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    yield ledger
    ledger.close()


def balances(led) -> dict[str, int]:
    """Net debit (credit negative) of every first-level account at the end of 2025; the trial balance balances."""
    report = trial_balance.trial_balance(led.views, led.chart("2024"), CODE, parse_period("2025"))
    assert report.balanced
    return {r.code: r.closing_debit - r.closing_credit for r in report.rows}


def dues(*items: tuple[str, int]) -> tuple[Instalment, ...]:
    return tuple(Instalment(due=D(d), amount_fen=f) for d, f in items)


# -- command shorthands with an accountant's usual defaults ------------------------


def sign_contract(led, number="HT-01", **kw):
    args = {"kind": "发包", "party": "东山果业合作社", "party_id": CREDIT_CODE, "amount_fen": 100_000, "start": JAN1,
            "end": DEC31, "resolution": "村民代表会议决议〔2025〕1号", "signed_on": JAN1}
    return cmd.sign_contract(led, cmd.SignContract(number=number, **{**args, **kw}))


def settle_contract(led, number, amount_fen, day, direction="income", **kw):
    return cmd.settle_contract(led, cmd.SettleContract(number=number, direction=direction, amount_fen=amount_fen, day=D(day), **kw))


def add_resource(led, number, type="耕地", area_cmu=10_000):
    return cmd.add_resource(led, cmd.AddResource(number=number, name=f"{type}{number}", type=type, area_cmu=area_cmu))


def add_asset(led, number, value_fen=100_000, via=None, category="房屋建筑物", acquired="2025-02-01"):
    return cmd.add_asset(led, cmd.AddAsset(number=number, name=f"资产{number}", category=category, value_fen=value_fen,
                                           acquired=D(acquired), via=via))


def sign_lease(led, number, item, start="2025-01-01", end="2025-12-31", **kw):
    args = {"lessee": "张三", "lessee_id": RESIDENT_ID, "rent_fen": 10_000, "per": "year", "signed_on": JAN1}
    return cmd.sign_lease(led, cmd.SignLease(number=number, item=item, start=D(start), end=D(end), **{**args, **kw}))


def collect_rent(led, number, amount_fen, day, **kw):
    return cmd.collect_rent(led, cmd.CollectRent(number=number, amount_fen=amount_fen, day=D(day), **kw))


def end_lease(led, number, day):
    return cmd.end_lease(led, cmd.EndLease(number=number, day=D(day), reason="承租方退租"))


def add_debt(led, number, direction="receivable", amount_fen=50_000, day="2025-02-01", **kw):
    args = {"party": "王五", "party_id": RESIDENT_ID, "via": "bank"}
    return cmd.add_debt(led, cmd.AddDebt(number=number, direction=direction, amount_fen=amount_fen, day=D(day), **{**args, **kw}))


def settle_debt(led, number, amount_fen, day):
    return cmd.settle_debt(led, cmd.SettleDebt(number=number, amount_fen=amount_fen, day=D(day)))


def write_off(led, number, amount_fen, day="2025-06-01", resolution="村民代表会议决议〔2025〕7号"):
    return cmd.write_off_debt(led, cmd.WriteOffDebt(number=number, amount_fen=amount_fen, day=D(day), reason="无法收回",
                                                    resolution=resolution))


def receive(led, number, amount_fen, day="2025-03-01", earmarked=True, purposes=("道路硬化",), program="高标准农田建设", source="县"):
    return cmd.receive_subsidy(led, cmd.ReceiveSubsidy(number=number, program=program, source=source, amount_fen=amount_fen,
                                                       day=D(day), earmarked=earmarked, purposes=purposes))


def spend(led, number, amount_fen, purpose="道路硬化", day="2025-04-01", account=None):
    return cmd.spend_subsidy(led, cmd.SpendSubsidy(number=number, amount_fen=amount_fen, day=D(day), purpose=purpose,
                                                   payee="东山建筑队", account=account))


def lines_of(led, voucher: str) -> list[tuple[str, str, int]]:
    return sorted(led.views.query("SELECT side, account, amount_fen FROM v_voucher_lines WHERE number = ?", (voucher,)))


def row(rows, number):
    (found,) = [r for r in rows if r.number == number]
    return found


# -- life cycles -----------------------------------------------------------------------


def test_contract_life_cycle_register_and_books_agree(led):
    post(led, "2025-01-02", {"102": 10_000_000}, {"301": 10_000_000})
    sign_contract(led, "HT-01", amount_fen=1_000_000, schedule=dues(
        ("2025-01-01", 250_000), ("2025-04-01", 250_000), ("2025-07-01", 250_000), ("2025-10-01", 250_000)))
    sign_contract(led, "HT-02", kind="工程", party="东山建筑队", amount_fen=2_000_000,
                  schedule=dues(("2025-03-01", 800_000), ("2025-09-01", 1_200_000)))
    first = settle_contract(led, "HT-01", 250_000, "2025-01-05")
    settle_contract(led, "HT-01", 300_000, "2025-04-10", via="cash")
    paid = settle_contract(led, "HT-02", 800_000, "2025-03-05", direction="expense")
    cmd.review_contract(led, cmd.ReviewContract(number="HT-01", result="规范", note="程序完整"))

    assert lines_of(led, first.voucher) == [("credit", "501", 250_000), ("debit", "102", 250_000)]
    assert lines_of(led, paid.voucher) == [("credit", "102", 800_000), ("debit", "153", 800_000)]
    mid = reports.contracts(led.views, CODE, D("2025-07-15"))
    income, works = row(mid, "HT-01"), row(mid, "HT-02")
    assert (income.settled_fen, income.arrears_fen, income.days_overdue, income.status) == (550_000, 200_000, 14, "overdue")
    assert (income.next_due, income.next_due_fen, income.last_review, income.party_id) == (D("2025-07-01"), 200_000, "规范", CREDIT_CODE)
    assert (works.settled_fen, works.arrears_fen, works.next_due, works.status) == (800_000, 0, D("2025-09-01"), "active")
    assert row(reports.contracts(led.views, CODE, D("2025-03-31")), "HT-01").settled_fen == 250_000  # April's money not yet

    books_ = balances(led)
    assert -books_["501"] == sum(r.settled_fen for r in mid if r.direction == "income") == 550_000
    assert books_["153"] == sum(r.settled_fen for r in mid if r.direction == "expense") == 800_000
    assert (books_["101"], books_["102"]) == (300_000, 10_000_000 + 250_000 - 800_000)
    moves = reports.moves(led.views, CODE, "contract:HT-01")
    assert [(d, k, a) for d, k, a, _, _ in moves] == [("2025-01-05", "collect", 250_000), ("2025-04-10", "collect", 300_000)]
    assert moves[0][4] == first.voucher

    cmd.amend_contract(led, cmd.AmendContract(number="HT-01", amount_fen=1_200_000, reason="增加面积"))
    cmd.terminate_contract(led, cmd.TerminateContract(number="HT-02", day=D("2025-10-01"), reason="工程停建"))
    late = reports.contracts(led.views, CODE, D("2025-10-01"))
    # On 10-01 the instalment due that day is not yet overdue; from 10-02 it is.
    assert (row(late, "HT-01").amount_fen, row(late, "HT-01").arrears_fen) == (1_200_000, 750_000 - 550_000)
    assert row(reports.contracts(led.views, CODE, D("2025-10-02")), "HT-01").arrears_fen == 1_200_000 - 550_000
    assert row(late, "HT-02").status != "terminated"  # the termination date is its last day
    after = row(reports.contracts(led.views, CODE, D("2025-10-02")), "HT-02")
    # Over, but money due before the end is still owed: it stays on the overdue list (清收).
    assert (after.status, after.arrears_fen) == ("overdue", 1_200_000)  # the 09-01 instalment was never paid
    with pytest.raises(Refusal) as refused:
        settle_contract(led, "HT-02", 1, "2025-10-02", direction="expense")
    assert (refused.value.code, refused.value.field) == ("contract.terminated", "number")


def test_asset_life_cycle_register_and_books_agree(led):
    post(led, "2025-01-02", {"151": 50_000_000}, {"301": 50_000_000})  # the 村部 was in the books before
    add_asset(led, "ZC-01", value_fen=50_000_000, via=None)
    bought = add_asset(led, "ZC-02", value_fen=8_000_000, via="bank", category="机器设备")
    add_asset(led, "ZC-03", value_fen=300_000, via="cash", category="库存物资")
    assert lines_of(led, bought.voucher) == [("credit", "102", 8_000_000), ("debit", "151", 8_000_000)]
    disposed = cmd.dispose_asset(led, cmd.DisposeAsset(number="ZC-02", day=D("2025-09-01"), amount_fen=10_000_000,
                                                       reason="更新换代", resolution="村民代表会议决议〔2025〕9号"))
    assert lines_of(led, disposed.voucher) == [("credit", "151", 8_000_000), ("credit", "504", 2_000_000),
                                               ("debit", "102", 10_000_000)]
    rows = {r[0]: r for r in reports.assets(led.views, CODE)}
    assert rows["ZC-01"][3:] == ("151", 50_000_000, "2025-02-01", "", None, None, "")
    assert rows["ZC-02"][7:9] == ("2025-09-01", 10_000_000) and rows["ZC-02"][9] == bought.voucher
    books_ = balances(led)
    held = [r for r in rows.values() if r[7] is None]  # not disposed of
    assert books_["151"] == sum(r[4] for r in held if r[3] == "151") == 50_000_000
    assert books_["121"] == sum(r[4] for r in held if r[3] == "121") == 300_000
    assert (books_["504"], books_["101"], books_["102"]) == (-2_000_000, -300_000, 2_000_000)


def test_lease_life_cycle_register_and_books_agree(led):
    add_resource(led, "ZY-01", type="耕地", area_cmu=10_000)
    add_asset(led, "ZC-01")
    sign_lease(led, "ZL-01", "ZY-01", area_cmu=6_000, rent_fen=300_000, per="quarter", resolution="决议〔2025〕2号")
    sign_lease(led, "ZL-02", "ZC-01", start="2025-03-01", end="2026-02-28", rent_fen=50_000, per="month", lessee="李四",
               lessee_id=CREDIT_CODE, signed_on=D("2025-02-20"))
    first = collect_rent(led, "ZL-01", 300_000, "2025-01-10")
    collect_rent(led, "ZL-01", 300_000, "2025-04-10", via="cash")
    collect_rent(led, "ZL-02", 100_000, "2025-04-01")

    assert lines_of(led, first.voucher) == [("credit", "501", 300_000), ("debit", "102", 300_000)]
    rows = reports.leases(led.views, CODE, D("2025-07-15"))
    land, house = row(rows, "ZL-01"), row(rows, "ZL-02")
    assert (land.total_fen, land.collected_fen, land.arrears_fen, land.days_overdue) == (1_200_000, 600_000, 300_000, 14)
    assert (land.status, land.next_due, land.days_to_end, land.lessee_id, land.area_cmu) == (
        "overdue", D("2025-07-01"), 169, RESIDENT_ID, 6_000)
    assert (house.total_fen, house.collected_fen, house.arrears_fen, house.days_overdue) == (600_000, 100_000, 150_000, 75)
    assert (house.item_type, house.area_cmu) == ("房屋建筑物", 0)
    (res,) = reports.resources(led.views, CODE, D("2025-07-15"))
    assert (res.area_cmu, res.leased_cmu, res.idle_cmu) == (10_000, 6_000, 4_000)
    assert [r.number for r in reports.expiring_within(rows, D("2025-12-01"), 30)] == ["ZL-01"]

    books_ = balances(led)
    assert -books_["501"] == sum(r.collected_fen for r in rows) == 700_000
    assert (books_["101"], books_["102"]) == (300_000, 400_000)


def test_debt_life_cycle_register_and_books_agree(led):
    post(led, "2025-01-02", {"102": 1_000_000}, {"211": 1_000_000})  # an old payable, already in the books
    lent = add_debt(led, "ZQ-01", "receivable", 500_000, "2025-02-01")
    borrowed = add_debt(led, "ZQ-02", "payable", 300_000, "2025-02-10", party="县农商行", party_id=CREDIT_CODE)
    add_debt(led, "ZQ-03", "payable", 1_000_000, "2025-01-02", via=None, party="东山建筑队", party_id="")
    assert lines_of(led, lent.voucher) == [("credit", "102", 500_000), ("debit", "112", 500_000)]
    assert lines_of(led, borrowed.voucher) == [("credit", "211", 300_000), ("debit", "102", 300_000)]
    settle_debt(led, "ZQ-01", 200_000, "2025-03-01")
    gone = write_off(led, "ZQ-01", 100_000, "2025-06-01")
    settle_debt(led, "ZQ-02", 100_000, "2025-05-01")
    forgiven = write_off(led, "ZQ-03", 200_000, "2025-07-01")
    assert lines_of(led, gone.voucher) == [("credit", "112", 100_000), ("debit", "515", 100_000)]
    assert lines_of(led, forgiven.voucher) == [("credit", "504", 200_000), ("debit", "211", 200_000)]

    rows = reports.debts(led.views, CODE)
    assert [(r.number, r.settled_fen, r.written_off_fen, r.outstanding_fen) for r in rows] == [
        ("ZQ-01", 200_000, 100_000, 200_000), ("ZQ-02", 100_000, 0, 200_000), ("ZQ-03", 0, 200_000, 800_000)]
    assert row(reports.debts(led.views, CODE, D("2025-04-01")), "ZQ-01").outstanding_fen == 300_000
    books_ = balances(led)
    assert books_["112"] == sum(r.outstanding_fen for r in rows if r.direction == "receivable") == 200_000
    assert -books_["211"] == sum(r.outstanding_fen for r in rows if r.direction == "payable") == 1_000_000
    assert (books_["515"], books_["504"]) == (100_000, -200_000)
    assert reports.debt_work(led.views, CODE, parse_period("2025")) == {
        "receivable_collected": 200_000, "receivable_written_off": 100_000,
        "payable_settled": 100_000, "payable_written_off": 200_000}
    aging = reports.aging(led.views, CODE, D("2026-01-15"))
    assert aging["receivable"] == {"1年以内": 200_000, "1-3年": 0, "3年以上": 0}
    assert aging["payable"] == {"1年以内": 200_000, "1-3年": 800_000, "3年以上": 0}


def test_subsidy_life_cycle_register_and_books_agree(led):
    receive(led, "BZ-01", 1_000_000, "2025-03-01", purposes=("道路硬化", "水渠修缮"))
    receive(led, "BZ-01", 500_000, "2025-05-01", purposes=())
    road = spend(led, "BZ-01", 600_000, "道路硬化", "2025-05-10")
    canal = spend(led, "BZ-01", 300_000, "水渠修缮", "2025-06-10", account="153")
    cmd.return_subsidy(led, cmd.ReturnSubsidy(number="BZ-01", amount_fen=100_000, day=D("2025-11-30")))
    receive(led, "BZ-02", 200_000, "2025-04-01", earmarked=False, purposes=(), program="村级组织运转经费", source="省")
    spend(led, "BZ-02", 50_000, "办公用品", "2025-04-15")
    assert lines_of(led, road.voucher) == [("credit", "102", 600_000), ("debit", "241", 600_000)]
    assert lines_of(led, canal.voucher) == [("credit", "102", 300_000), ("credit", "311", 300_000),
                                            ("debit", "153", 300_000), ("debit", "241", 300_000)]

    rows = reports.subsidies(led.views, CODE)
    earmarked, general = row(rows, "BZ-01"), row(rows, "BZ-02")
    assert (earmarked.received_fen, earmarked.spent_fen, earmarked.returned_fen, earmarked.balance_fen) == (
        1_500_000, 900_000, 100_000, 500_000)
    assert (earmarked.earmarked, earmarked.purposes, earmarked.usage_permille) == (True, "道路硬化、水渠修缮", 600)
    assert (general.earmarked, general.balance_fen, general.usage_permille) == (False, 150_000, 250)
    books_ = balances(led)
    assert -books_["241"] == sum(r.balance_fen for r in rows if r.earmarked) == 500_000
    assert (books_["503"], books_["514"], books_["153"], books_["311"]) == (-200_000, 50_000, 300_000, -300_000)
    kinds = [(k, a, n) for _, k, a, n, _ in reports.moves(led.views, CODE, "subsidy:BZ-01")]
    assert kinds == [("receive", 1_000_000, ""), ("receive", 500_000, ""), ("spend", 600_000, "道路硬化｜东山建筑队"),
                     ("spend", 300_000, "水渠修缮｜东山建筑队"), ("return", 100_000, "")]


# -- refusals ---------------------------------------------------------------------------


def world(led) -> None:
    """One of each record, for the refusals to collide with."""
    add_resource(led, "ZY-GD", type="耕地", area_cmu=1_000)
    add_resource(led, "ZY-SH", type="四荒地", area_cmu=100_000)
    add_asset(led, "ZC-01")
    sign_lease(led, "ZL-01", "ZY-GD", area_cmu=600)
    sign_lease(led, "ZL-02", "ZC-01")
    sign_contract(led, "HT-01")
    add_debt(led, "ZQ-01")
    receive(led, "BZ-01", 100_000)


REFUSALS = [
    ("duplicate contract number", lambda led: sign_contract(led, "HT-01"), "contract.duplicate", "number"),
    ("duplicate lease number", lambda led: sign_lease(led, "ZL-01", "ZY-SH"), "lease.duplicate", "number"),
    ("duplicate asset number", lambda led: add_asset(led, "ZC-01"), "item.duplicate", "number"),
    ("duplicate resource number", lambda led: add_resource(led, "ZY-GD"), "item.duplicate", "number"),
    ("duplicate debt number", lambda led: add_debt(led, "ZQ-01"), "debt.duplicate", "number"),
    ("lease of an unknown item", lambda led: sign_lease(led, "ZL-09", "ZY-404"), "lease.item_unknown", "item"),
    ("overlapping area", lambda led: sign_lease(led, "ZL-09", "ZY-GD", "2025-06-01", "2026-05-31", area_cmu=401),
     "lease.overlap_area", "area"),
    ("area beyond the resource", lambda led: sign_lease(led, "ZL-09", "ZY-GD", "2026-01-01", "2026-12-31", area_cmu=1_001),
     "lease.area_exceeds", "area"),
    ("asset let twice", lambda led: sign_lease(led, "ZL-09", "ZC-01", "2025-12-01", "2026-11-30"), "lease.overlap_asset", "item"),
    ("lease ends before it starts", lambda led: sign_lease(led, "ZL-09", "ZY-SH", "2025-06-01", "2025-05-31"),
     "term.end_before_start", "end"),
    ("contract ends before it starts", lambda led: sign_contract(led, "HT-09", start=D("2025-06-01"), end=D("2025-06-01")),
     "term.end_before_start", "end"),
    ("debt due before it arose", lambda led: add_debt(led, "ZQ-09", due=D("2025-01-31")), "debt.due_before_date", "due_date"),
    ("over-collection of rent", lambda led: collect_rent(led, "ZL-01", 10_001, "2025-03-01"), "schedule.over_settlement", "amount"),
    ("over-settlement of a contract", lambda led: settle_contract(led, "HT-01", 100_001, "2025-03-01"),
     "schedule.over_settlement", "amount"),
    ("over-settlement of a debt", lambda led: settle_debt(led, "ZQ-01", 50_001, "2025-03-01"), "debt.over_settlement", "amount"),
    ("write-off beyond the outstanding", lambda led: write_off(led, "ZQ-01", 50_001), "debt.over_settlement", "amount"),
    ("overspending an earmarked subsidy", lambda led: spend(led, "BZ-01", 100_001), "subsidy.overspent", "amount"),
    ("earmarked subsidy on another purpose", lambda led: spend(led, "BZ-01", 1, purpose="发放福利"),
     "subsidy.wrong_purpose", "purpose"),
    ("write-off without a resolution", lambda led: write_off(led, "ZQ-01", 1, resolution=" "),
     "debt.write_off_needs_resolution", "resolution"),
    ("disposal without a resolution", lambda led: cmd.dispose_asset(led, cmd.DisposeAsset(
        number="ZC-01", day=D("2025-09-01"), amount_fen=0, reason="拆除", resolution="")),
     "asset.dispose_needs_resolution", "resolution"),
    ("lease over 20 years", lambda led: sign_lease(led, "ZL-09", "ZC-01", "2026-01-01", "2046-01-02"), "term.lease_too_long", "end"),
    ("四荒地 over 50 years", lambda led: sign_lease(led, "ZL-09", "ZY-SH", "2025-01-01", "2075-01-02"), "term.lease_too_long", "end"),
    ("耕地 past 2028-12-31", lambda led: sign_lease(led, "ZL-09", "ZY-GD", "2026-01-01", "2029-01-01", area_cmu=400),
     "term.farmland_end", "end"),
    ("lease contract over 20 years", lambda led: sign_contract(led, "HT-09", kind="租赁", end=D("2045-01-02")),
     "term.lease_too_long", "end"),
    ("malformed lessee ID", lambda led: sign_lease(led, "ZL-09", "ZY-SH", lessee_id="110105194912310021"),
     "party.id_invalid", "lessee_id"),
    ("malformed contract party ID", lambda led: sign_contract(led, "HT-09", party_id="91350100M000100Y4"),
     "party.id_invalid", "party_id"),
    ("malformed debt party ID", lambda led: add_debt(led, "ZQ-09", party_id="11010519491231002Y"), "party.id_invalid", "party_id"),
    ("future business date", lambda led: collect_rent(led, "ZL-01", 1, "2099-01-05"), "voucher.future_date", "date"),
    ("rent on an unknown lease", lambda led: collect_rent(led, "ZL-404", 1, "2025-03-01"), "lease.unknown", "number"),
]


@pytest.mark.parametrize(("case", "act", "code", "field"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_register_refusal_names_its_field_and_writes_nothing(led, case, act, code, field):
    world(led)
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        act(led)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.render("zh") and refused.value.render("en")
    assert snapshot(led) == before


def test_term_limits_follow_the_townships_config_file(led, tmp_path, monkeypatch):
    add_resource(led, "ZY-LD", type="林地")
    config = tmp_path / "township.toml"
    config.write_text("[terms]\nlease_years_max = 5\n", encoding="utf-8")
    monkeypatch.setenv("SANZI_CONFIG", str(config))
    load_rules.cache_clear()
    try:
        before = snapshot(led)
        with pytest.raises(Refusal) as refused:
            sign_lease(led, "ZL-01", "ZY-LD", "2025-01-01", "2031-01-01")
        assert (refused.value.code, refused.value.field, refused.value.params) == ("term.lease_too_long", "end", {"years": 5})
        assert snapshot(led) == before
        sign_lease(led, "ZL-01", "ZY-LD", "2025-01-01", "2030-01-01")
    finally:
        load_rules.cache_clear()


def test_roles_are_checked_before_a_register_command_writes(led):
    add_resource(led, "ZY-01")
    sign_lease(led, "ZL-01", "ZY-01")
    before = snapshot(led)
    led.operator = "赵监委"
    with pytest.raises(Refusal) as refused:
        collect_rent(led, "ZL-01", 100, "2025-03-01")
    assert (refused.value.code, refused.value.field) == ("member.wrong_role", "operator")
    led.operator = "王出纳"  # a cashier collects rent but does not sign leases
    with pytest.raises(Refusal) as refused:
        sign_lease(led, "ZL-02", "ZY-01", "2026-01-01", "2026-12-31")
    assert refused.value.code == "member.wrong_role"
    assert snapshot(led) == before
    collect_rent(led, "ZL-01", 100, "2025-03-01")


# -- holdings ---------------------------------------------------------------------------


def test_two_leases_share_a_resource_when_their_areas_fit_and_an_early_end_frees_the_area_the_day_after(led):
    add_resource(led, "ZY-01", type="林地", area_cmu=1_000)
    sign_lease(led, "ZL-A", "ZY-01", area_cmu=400)
    sign_lease(led, "ZL-B", "ZY-01", area_cmu=600)
    with pytest.raises(Refusal) as refused:
        sign_lease(led, "ZL-C", "ZY-01", "2025-07-01", "2025-12-31", area_cmu=1)
    assert refused.value.code == "lease.overlap_area" and refused.value.params["free"] == "0.00"

    end_lease(led, "ZL-A", "2025-07-01")  # 07-01 is ZL-A's last day
    leased = {day: reports.resources(led.views, CODE, D(day))[0].leased_cmu for day in ("2025-07-01", "2025-07-02")}
    assert leased == {"2025-07-01": 1_000, "2025-07-02": 600}
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        sign_lease(led, "ZL-C", "ZY-01", "2025-07-01", "2025-12-31", area_cmu=400)  # still held on 07-01
    assert (refused.value.code, refused.value.field) == ("lease.overlap_area", "area")
    assert snapshot(led) == before
    sign_lease(led, "ZL-C", "ZY-01", "2025-07-02", "2025-12-31", area_cmu=400)
    assert reports.resources(led.views, CODE, D("2025-07-02"))[0].leased_cmu == 1_000
    assert row(reports.leases(led.views, CODE, D("2025-07-01")), "ZL-A").status != "terminated"
    ended = row(reports.leases(led.views, CODE, D("2025-07-02")), "ZL-A")
    # ZL-A never paid: over from 07-02, but its unpaid rent keeps it on the overdue list.
    assert (ended.status, ended.arrears_fen > 0) == ("overdue", True)


def test_an_asset_cannot_take_the_number_of_a_resource_so_a_lease_names_one_item(led):
    add_resource(led, "X-1", type="林地", area_cmu=1_000)
    sign_lease(led, "ZL-01", "X-1")
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        add_asset(led, "X-1")
    assert (refused.value.code, refused.value.field) == ("item.duplicate", "number")
    assert snapshot(led) == before
    end_lease(led, "ZL-01", "2025-07-01")
    resource = led.app.load(item_id(CODE, "X-1"), assets.apply)
    assert resource.kind == "resource" and [h.end for h in resource.holdings] == [D("2025-07-01")]


def test_a_lease_ended_early_owes_no_rent_falling_due_after_its_end(led):
    add_resource(led, "ZY-01", type="林地")
    sign_lease(led, "ZL-01", "ZY-01", rent_fen=10_000, per="month")
    collect_rent(led, "ZL-01", 30_000, "2025-03-01")
    end_lease(led, "ZL-01", "2025-03-31")  # the last day of March: April's rent never falls due
    ended = row(reports.leases(led.views, CODE, D("2025-12-31")), "ZL-01")
    assert (ended.status, ended.arrears_fen, ended.days_overdue, ended.total_fen) == ("terminated", 0, 0, 30_000)
    with pytest.raises(Refusal) as refused:
        collect_rent(led, "ZL-01", 1, "2025-04-02")  # nothing more is owed
    assert refused.value.code == "schedule.over_settlement"


def test_on_its_last_day_a_lease_is_active_exactly_when_its_area_is_let(led):
    add_resource(led, "ZY-01", type="林地", area_cmu=1_000)
    sign_lease(led, "ZL-01", "ZY-01", "2025-01-01", "2025-06-30", per="term")
    collect_rent(led, "ZL-01", 10_000, "2025-01-05")
    day = D("2025-06-30")
    lease = row(reports.leases(led.views, CODE, day), "ZL-01")
    (land,) = reports.resources(led.views, CODE, day)
    assert (lease.status == "active") == (land.leased_cmu == 1_000), (lease.status, land.leased_cmu)


# -- vouchers posted by registers ------------------------------------------------------------


SOURCED = [
    ("rent", lambda led: collect_rent(led, "ZL-01", 5_000, "2025-03-01"), "lease:ZL-01"),
    ("contract money", lambda led: settle_contract(led, "HT-01", 5_000, "2025-03-01"), "contract:HT-01"),
    ("money lent", lambda led: add_debt(led, "ZQ-09"), "debt:ZQ-09"),
    ("debt settled", lambda led: settle_debt(led, "ZQ-01", 5_000, "2025-03-01"), "debt:ZQ-01"),
    ("subsidy received", lambda led: receive(led, "BZ-01", 5_000), "subsidy:BZ-01"),
    ("subsidy spent", lambda led: spend(led, "BZ-01", 5_000), "subsidy:BZ-01"),
    ("asset bought", lambda led: add_asset(led, "ZC-09", via="bank"), "asset:ZC-09"),
]


@pytest.mark.parametrize(("case", "act", "source"), SOURCED, ids=[c[0] for c in SOURCED])
def test_a_voucher_posted_by_a_register_cannot_be_reversed_alone(led, case, act, source):
    world(led)
    voucher = act(led).voucher
    assert led.views.query("SELECT source FROM v_vouchers WHERE number = ?", (voucher,)) == [(source,)]
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        books.reverse_voucher(led, books.ReverseVoucher(number=voucher, reason="想冲销", day=D("2025-11-30")))
    assert (refused.value.code, refused.value.field, refused.value.params) == ("voucher.reverse_sourced", "number", {"source": source})
    assert snapshot(led) == before
    typed = post(led, "2025-03-02", {"513": 100}, {"102": 100})  # a voucher typed by the accountant still can be
    books.reverse_voucher(led, books.ReverseVoucher(number=typed, reason="更正", day=D("2025-03-03")))


# -- replay ---------------------------------------------------------------------------------


def test_rebuilding_the_views_after_a_mixed_register_history_gives_identical_views(led):
    world(led)
    collect_rent(led, "ZL-01", 4_000, "2025-02-01")
    end_lease(led, "ZL-01", "2025-07-31")
    sign_lease(led, "ZL-03", "ZY-GD", "2025-08-01", "2025-12-31", area_cmu=1_000, per="month", rent_fen=1_000)
    settle_contract(led, "HT-01", 40_000, "2025-03-01")
    cmd.amend_contract(led, cmd.AmendContract(number="HT-01", end=D("2025-09-30"), reason="提前收回"))
    cmd.review_contract(led, cmd.ReviewContract(number="HT-01", result="程序不规范", note="补正"))
    settle_debt(led, "ZQ-01", 10_000, "2025-03-01")
    write_off(led, "ZQ-01", 5_000)
    receive(led, "BZ-01", 20_000, "2025-04-01", purposes=())
    spend(led, "BZ-01", 30_000, account="153")
    cmd.return_subsidy(led, cmd.ReturnSubsidy(number="BZ-01", amount_fen=1_000, day=D("2025-05-01")))
    end_lease(led, "ZL-02", "2025-06-30")
    cmd.dispose_asset(led, cmd.DisposeAsset(number="ZC-01", day=D("2025-07-01"), amount_fen=0, reason="拆除",
                                            resolution="决议〔2025〕5号"))
    books.close_period(led, books.ClosePeriod(month="2025-01"))

    incremental = led.projector.dump()
    for table in ("v_contracts", "v_schedules", "v_assets", "v_resources", "v_leases", "v_debts", "v_register_moves",
                  "v_subsidies"):
        assert incremental[table], table
    led.projector.rebuild(batch_events=4)  # small batches: many transactions
    assert led.projector.dump() == incremental
