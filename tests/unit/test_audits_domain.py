"""Audit work in the domain: open, finding, rectify, close, as pure decide functions and folds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sanzi_ledger.domain import audits
from sanzi_ledger.domain.audits import FlagSnapshot, Reference
from sanzi_ledger.errors import Refusal
from tests.unit.builders import (
    ACCOUNTANT,
    CODE,
    HEAD,
    NOW,
    TODAY,
    fold,
    registered,
    with_members,
)

AUDITOR = "孙审计"
NUMBER = "SJ-2025-001"


@pytest.fixture
def village():
    return with_members(registered(), (ACCOUNTANT, "accountant"), (HEAD, "head"), (AUDITOR, "auditor"))


def opened(village, *, kind: str = "离任", person: str = HEAD, period_from: str = "2025-01", period_to: str = "2025-03"):
    events = audits.open_audit(None, village, number=NUMBER, kind=kind, scope="任期内财务收支", period_from=period_from,
                               period_to=period_to, person=person, operator=AUDITOR, now=NOW, today=TODAY)
    return fold(audits.apply, events)


def with_finding(state, village, text: str = "现金支付超过限额", **kwargs):
    events = audits.record_finding(state, village, number=NUMBER, text=text, severity=kwargs.get("severity"),
                                   flag=kwargs.get("flag"), references=kwargs.get("references", ()), operator=AUDITOR,
                                   now=NOW, today=TODAY)
    return fold(audits.apply, events, state)


def test_open_records_kind_scope_period_person_and_the_business_date(village):
    (event,) = audits.open_audit(None, village, number=NUMBER, kind="离任", scope=" 任期内财务收支 ", period_from="2025-01",
                                 period_to="2025-03", person=HEAD, operator=AUDITOR, now=NOW, today=TODAY)
    assert (event.TOPIC, event.number, event.kind, event.scope, event.person) == ("audit.Opened.v1", NUMBER, "离任", "任期内财务收支", HEAD)
    assert (event.period_from, event.period_to, event.opened_on, event.timestamp) == ("2025-01", "2025-03", TODAY, NOW)
    assert event.originator_id == audits.audit_id(CODE, NUMBER) and event.originator_version == 1


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"kind": "年度"}, "audit.kind", "kind"),
    ({"person": ""}, "text.empty", "person"),
    ({"person": AUDITOR}, "audit.own_tenure", "person"),
    ({"period_from": "2025-04"}, "audit.period_order", "period"),
    ({"period_from": "2024-12"}, "audit.before_books", "period"),
    ({"period_from": "2025-04", "period_to": "2025-06"}, "audit.period_future", "period"),
    ({"scope": "x" * 201}, "text.too_long", "scope"),
])
def test_open_refuses_bad_input_naming_the_field(village, changes, code, field):
    args = {"kind": "离任", "scope": "任期内财务收支", "period_from": "2025-01", "period_to": "2025-03", "person": HEAD, **changes}
    with pytest.raises(Refusal) as refused:
        audits.open_audit(None, village, number=NUMBER, operator=AUDITOR, now=NOW, today=TODAY, **args)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_special_audit_needs_no_person(village):
    state = opened(village, kind="专项", person="")
    assert state.opened.person == "" and state.closed is None


def test_findings_are_numbered_within_the_audit_and_keep_the_flag_as_it_read(village):
    flag = FlagSnapshot(id="cash.payment_over_limit:记-2025-02-0003", rule="cash.payment_over_limit", severity="red",
                        title="单笔现金支付超过限额", explanation="现金支付 6,200.00 元，超过 5,000.00 元", refs=("记-2025-02-0003",))
    state = with_finding(opened(village), village, flag=flag, references=(Reference(ref="记-2025-02-0003", kind="voucher"),))
    state = with_finding(state, village, text="合同未经村民代表会议决议", severity="yellow")
    first, second = state.findings[1].recorded, state.findings[2].recorded
    assert (first.finding, second.finding) == ("SJ-2025-001-01", "SJ-2025-001-02")
    assert first.severity == "red" and first.flag == flag  # the flag's severity by default
    assert second.severity == "yellow" and second.flag is None
    assert state.open_findings == ("SJ-2025-001-01", "SJ-2025-001-02")


def test_a_finding_without_a_flag_is_yellow_unless_said(village):
    state = with_finding(opened(village), village)
    assert state.findings[1].recorded.severity == "yellow"
    with pytest.raises(Refusal) as refused:
        with_finding(state, village, severity="orange")
    assert (refused.value.code, refused.value.field) == ("audit.severity", "severity")


def test_rectification_marks_the_finding_rectified_and_keeps_every_note(village):
    state = with_finding(with_finding(opened(village), village), village)
    for text in ("已收回现金，改为转账", "补充说明：已建立备用金制度"):
        state = fold(audits.apply, audits.rectify(state, village, finding="sj-2025-001-01", text=text, role="accountant",
                                                  operator=ACCOUNTANT, now=NOW, today=TODAY), state)
    found = state.findings[1]
    assert found.rectified and [r.text for r in found.rectifications] == ["已收回现金，改为转账", "补充说明：已建立备用金制度"]
    assert state.open_findings == ("SJ-2025-001-02",)


def test_rectify_refuses_an_unknown_finding_or_audit(village):
    state = with_finding(opened(village), village)
    with pytest.raises(Refusal) as refused:
        audits.rectify(state, village, finding="SJ-2025-001-07", text="x", role="head", operator=HEAD, now=NOW, today=TODAY)
    assert refused.value.code == "audit.finding_unknown"
    with pytest.raises(Refusal) as refused:
        audits.rectify(None, village, finding="SJ-2025-009-01", text="x", role="head", operator=HEAD, now=NOW, today=TODAY)
    assert refused.value.code == "audit.unknown"
    with pytest.raises(Refusal) as refused:
        audits.parse_finding_number("SJ-2025-001")
    assert refused.value.code == "audit.finding_format"


def test_close_names_the_unrectified_findings_and_then_takes_no_more_findings(village):
    state = with_finding(with_finding(opened(village), village), village)
    state = fold(audits.apply, audits.rectify(state, village, finding="SJ-2025-001-02", text="已整改", role="head",
                                              operator=HEAD, now=NOW, today=TODAY), state)
    (closed,) = audits.close(state, village, number=NUMBER, conclusion="财务收支基本真实", operator=AUDITOR,
                             now=NOW + timedelta(hours=1), today=TODAY)
    assert closed.open_findings == ("SJ-2025-001-01",) and closed.conclusion == "财务收支基本真实"
    state = fold(audits.apply, [closed], state)
    for attempt in (lambda: with_finding(state, village),
                    lambda: audits.close(state, village, number=NUMBER, conclusion="again", operator=AUDITOR, now=NOW, today=TODAY)):
        with pytest.raises(Refusal) as refused:
            attempt()
        assert refused.value.code == "audit.closed"
    # 整改 often follows the report: a rectification after closing is still recorded.
    after = audits.rectify(state, village, finding="SJ-2025-001-01", text="已补办决议", role="accountant",
                           operator=ACCOUNTANT, now=NOW + timedelta(days=10), today=TODAY + timedelta(days=10))
    assert fold(audits.apply, after, state).open_findings == ()


def test_close_needs_a_conclusion(village):
    with pytest.raises(Refusal) as refused:
        audits.close(opened(village), village, number=NUMBER, conclusion="  ", operator=AUDITOR, now=NOW, today=TODAY)
    assert (refused.value.code, refused.value.field) == ("text.empty", "conclusion")


def test_limits_on_findings_and_references(village, monkeypatch):
    monkeypatch.setattr(audits, "FINDINGS_MAX", 2)
    state = with_finding(with_finding(opened(village), village), village)
    with pytest.raises(Refusal) as refused:
        with_finding(state, village)
    assert refused.value.code == "audit.too_many_findings"
    many = tuple(Reference(ref=f"#{i}", kind="position") for i in range(1, audits.REFERENCES_MAX + 2))
    with pytest.raises(Refusal) as refused:
        with_finding(opened(village), village, references=many)
    assert refused.value.code == "audit.too_many_references"


@pytest.mark.parametrize("text", ["SJ-2025-1", "SJ-25-001", "GK-2025-001", "", "SJ-2025-001-01"])
def test_audit_numbers_have_one_shape(text):
    with pytest.raises(Refusal) as refused:
        audits.parse_audit_number(text)
    assert refused.value.code == "audit.number_format"


def test_numbers_and_ids():
    assert audits.audit_number(2025, 7) == "SJ-2025-007"
    assert audits.finding_number("SJ-2025-007", 3) == "SJ-2025-007-03"
    assert audits.parse_finding_number(" sj-2025-007-03 ") == ("SJ-2025-007", 3)
    assert audits.audit_id(CODE, "SJ-2025-001") != audits.audit_id(CODE, "SJ-2025-002")
