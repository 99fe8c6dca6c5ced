"""The collective aggregate: profile, people (one role each) and sub-accounts."""

from __future__ import annotations

import pytest

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import collectives
from sanzi_ledger.domain.collectives import (
    BOOKKEEPERS,
    MEMBER_ADMINS,
    POSTERS,
    AccountOpened,
    Collective,
    CollectiveRegistered,
    MemberAdded,
)
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import collective_id
from tests.unit.builders import (
    ACCOUNTANT,
    CASHIER,
    CODE,
    HEAD,
    NOW,
    SUPERVISOR,
    fold,
    registered,
    with_accounts,
    with_members,
)


def _register(state: Collective | None = None, **changes: str) -> list:
    args = dict(
        code=CODE, name="东山村股份经济合作社", township="东山镇", county="临安区",
        level="village", chart="2024", start_period="2025-01", operator=ACCOUNTANT,
    )
    args.update(changes)
    return collectives.register(state, now=NOW, **args)


def _add(state: Collective, name: str, role: str, operator: str) -> Collective:
    return fold(collectives.apply, collectives.add_member(state, name=name, role=role, operator=operator, now=NOW), state)


def _open(state: Collective, chart: Chart, code: str, *, name: str = "明细", operator: str = ACCOUNTANT) -> Collective:
    events = collectives.open_account(state, chart, code=code, name=name, operator=operator, now=NOW)
    return fold(collectives.apply, events, state)


def test_register_records_one_event_at_version_one_with_a_deterministic_id() -> None:
    [event] = _register(code=" 330100001 ", name=" 东山村 ")
    assert isinstance(event, CollectiveRegistered)
    assert event.originator_id == collective_id("330100001")
    assert (event.originator_version, event.collective, event.name) == (1, "330100001", "东山村")
    state = collectives.apply(None, event)
    assert (state.version, state.code, state.start_period, state.members) == (1, "330100001", "2025-01", {})


@pytest.mark.parametrize("code", ["a1", "X", "1" * 19, "33-0100", "3301 0001", "３３０１", "", "东山村"])
def test_register_refuses_a_code_that_is_not_2_to_18_upper_case_letters_or_digits(code: str) -> None:
    with pytest.raises(Refusal) as caught:
        _register(code=code)
    assert (caught.value.code, caught.value.field) == ("collective.code_format", "code")


@pytest.mark.parametrize("code", ["AB", "1" * 18, "91330100MA2XXXXX1X"])
def test_register_accepts_local_and_credit_codes(code: str) -> None:
    [event] = _register(code=code)
    assert event.collective == code


def test_register_refuses_a_code_already_registered() -> None:
    with pytest.raises(Refusal) as caught:
        _register(registered())
    assert caught.value.code == "collective.duplicate"


def test_register_refuses_an_unknown_level_listing_the_allowed_ones() -> None:
    with pytest.raises(Refusal) as caught:
        _register(level="city")
    assert caught.value.code == "collective.level"
    assert "village|group|township" in caught.value.render("en")


def test_register_refuses_an_empty_name() -> None:
    with pytest.raises(Refusal) as caught:
        _register(name="  ")
    assert (caught.value.code, caught.value.field) == ("text.empty", "name")


def test_the_first_member_is_the_operator_as_head_or_accountant() -> None:
    state = _add(registered(), ACCOUNTANT, "accountant", operator=ACCOUNTANT)
    assert state.members == {ACCOUNTANT: "accountant"}
    assert state.version == 2


@pytest.mark.parametrize(("name", "role", "operator"), [
    ("陌生人", "cashier", "not a member"),  # someone else: nobody could add the next member
    (CASHIER, "cashier", CASHIER),  # oneself, but in a role that cannot add people
])
def test_the_first_member_refuses_a_roster_that_would_lock_everyone_out(name: str, role: str, operator: str) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.add_member(registered(), name=name, role=role, operator=operator, now=NOW)
    assert (caught.value.code, caught.value.field, caught.value.value) == ("member.first_must_be_operator", "name", name)


def test_after_the_first_member_a_non_member_may_not_add_people() -> None:
    state = _add(registered(), ACCOUNTANT, "accountant", operator=ACCOUNTANT)
    with pytest.raises(Refusal) as caught:
        collectives.add_member(state, name=CASHIER, role="cashier", operator="路人", now=NOW)
    assert (caught.value.code, caught.value.value) == ("member.unknown_operator", "路人")


@pytest.mark.parametrize("role", ["cashier", "supervisor", "auditor"])
def test_after_the_first_member_only_a_head_or_accountant_may_add_people(role: str) -> None:
    state = with_members(registered(), (ACCOUNTANT, "accountant"), ("某人", role))
    with pytest.raises(Refusal) as caught:
        collectives.add_member(state, name="新人", role="cashier", operator="某人", now=NOW)
    assert caught.value.code == "member.wrong_role"
    assert caught.value.params["role"] == role


@pytest.mark.parametrize("admin", [(ACCOUNTANT, "accountant"), (HEAD, "head")])
def test_a_head_or_accountant_may_add_people(admin: tuple[str, str]) -> None:
    state = with_members(registered(), admin)
    state = _add(state, "新人", "supervisor", operator=admin[0])
    assert state.members["新人"] == "supervisor"


def test_add_member_refuses_a_duplicate_name_naming_the_existing_role() -> None:
    state = with_members(registered(), (ACCOUNTANT, "accountant"), (CASHIER, "cashier"))
    with pytest.raises(Refusal) as caught:
        collectives.add_member(state, name=f" {CASHIER} ", role="supervisor", operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "member.duplicate"
    assert caught.value.params["role"] == "cashier"


def test_add_member_refuses_an_unknown_role() -> None:
    with pytest.raises(Refusal) as caught:
        collectives.add_member(registered(), name="某人", role="boss", operator="某人", now=NOW)
    assert caught.value.code == "member.role"


def test_add_member_events_carry_the_next_version() -> None:
    state = with_members(registered(), (ACCOUNTANT, "accountant"))
    [event] = collectives.add_member(state, name=CASHIER, role="cashier", operator=ACCOUNTANT, now=NOW)
    assert isinstance(event, MemberAdded)
    assert event.originator_version == state.version + 1 == 3
    assert event.originator_id == collective_id(CODE)


def test_role_sets_keep_money_and_books_apart() -> None:
    assert BOOKKEEPERS == {"accountant"}
    assert POSTERS == {"accountant", "cashier"}
    assert MEMBER_ADMINS == {"accountant", "head"}
    assert "supervisor" not in POSTERS | BOOKKEEPERS and "auditor" not in POSTERS | BOOKKEEPERS


def test_require_role_names_the_role_needed_and_the_role_held(village: Collective) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.require_role(village, CASHIER, BOOKKEEPERS, action="period close")
    refusal = caught.value
    assert refusal.code == "member.wrong_role"
    assert refusal.params["allowed"] == "accountant"
    assert "period close needs accountant" in refusal.render("en")
    assert "操作员角色为 出纳，结账 需要 会计" in refusal.render("zh")


def test_require_role_passes_a_member_holding_one_of_the_roles(village: Collective) -> None:
    collectives.require_role(village, CASHIER, POSTERS, action="voucher post")
    collectives.require_role(village, ACCOUNTANT, POSTERS, action="voucher post")


def test_require_role_refuses_an_unregistered_operator(village: Collective) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.require_role(village, "外人", POSTERS, action="voucher post")
    assert caught.value.code == "member.unknown_operator"
    assert "voucher post" in caught.value.render("en")


def test_open_account_opens_a_sub_account_inheriting_class_and_side(village: Collective, chart: Chart) -> None:
    [event] = collectives.open_account(village, chart, code="113001", name="一组", operator=ACCOUNTANT, now=NOW)
    assert isinstance(event, AccountOpened)
    assert (event.parent, event.account_class, event.side) == ("113", "asset", "either")
    assert event.originator_version == village.version + 1
    state = collectives.apply(village, event)
    assert state.account(chart, "113001").name == "一组"


def test_open_account_opens_a_third_level_under_an_opened_sub_account(village: Collective, chart: Chart) -> None:
    state = _open(village, chart, "102001001", name="农行一号")
    assert state.sub_accounts["102001001"].side == "debit"


@pytest.mark.parametrize("role_holder", [CASHIER, HEAD, SUPERVISOR])
def test_open_account_requires_the_accountant(village: Collective, chart: Chart, role_holder: str) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.open_account(village, chart, code="112001", name="张三", operator=role_holder, now=NOW)
    assert caught.value.code == "member.wrong_role"


@pytest.mark.parametrize("code", ["112", "11200", "1120011", "112abc", "１１２００１", "112-01", "1"])
def test_open_account_refuses_a_code_that_is_not_parent_plus_three_digits(
    village: Collective, chart: Chart, code: str,
) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.open_account(village, chart, code=code, name="x", operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "account.code_format"
    assert caught.value.params["digits"] == 3


@pytest.mark.parametrize(("code", "parent"), [("999001", "999"), ("112003001", "112003")])
def test_open_account_refuses_a_missing_parent_naming_it(village: Collective, chart: Chart, code: str, parent: str) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.open_account(village, chart, code=code, name="x", operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "account.no_parent"
    assert caught.value.params["parent"] == parent


def test_open_account_refuses_a_code_already_opened(village: Collective, chart: Chart) -> None:
    with pytest.raises(Refusal) as caught:
        collectives.open_account(village, chart, code="102001", name="again", operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "account.duplicate"


def test_a_parent_with_sub_accounts_has_children_and_its_leaves_do_not(village: Collective, chart: Chart) -> None:
    assert village.has_children("102")
    assert not village.has_children("102001")
    assert not village.has_children("101")
    deeper = _open(village, chart, "102001001")
    assert deeper.has_children("102001")
    assert not deeper.has_children("102002")


def test_an_account_is_found_in_the_chart_or_among_opened_sub_accounts(village: Collective, chart: Chart) -> None:
    assert village.account(chart, "101").name == "库存现金"
    assert village.account(chart, "102001").name == "农行基本户"
    assert village.account(chart, "102003") is None


def test_apply_refuses_an_event_before_registration_loudly(chart: Chart) -> None:
    state = with_accounts(with_members(registered(), (ACCOUNTANT, "accountant")), chart, ("101001", "现金明细"))
    [event] = collectives.add_member(state, name="甲", role="cashier", operator=ACCOUNTANT, now=NOW)
    with pytest.raises(AssertionError):
        collectives.apply(None, event)
