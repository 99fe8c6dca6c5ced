"""A collective (村/组/乡镇集体经济组织): its profile, its people and its sub-accounts.

One aggregate per collective holds all three, because every command needs
them together and they change rarely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from sanzi_ledger.chart import Account, Chart
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import collective_id
from sanzi_ledger.text import NAME_CHARS_MAX, clean_text

Level = Literal["village", "group", "township"]
LEVELS: tuple[str, ...] = ("village", "group", "township")
Role = Literal["accountant", "cashier", "supervisor", "auditor", "head"]
ROLES: tuple[str, ...] = ("accountant", "cashier", "supervisor", "auditor", "head")
# Who may do what: one place for every role rule.
POSTERS = frozenset({"accountant", "cashier"})
BOOKKEEPERS = frozenset({"accountant"})
MEMBER_ADMINS = frozenset({"head", "accountant"})

# Codes: a 统一社会信用代码 (18) or an administrative-division code (12), or a
# shorter local code; upper-case letters and digits only.
_CODE = re.compile(r"^[0-9A-Z]{2,18}$")
ACCOUNTS_OPENED_MAX = 2000


class CollectiveRegistered(CollectiveEvent):
    TOPIC = "collective.Registered.v1"
    name: str
    township: str
    county: str
    level: str
    chart: str
    start_period: str


class MemberAdded(CollectiveEvent):
    TOPIC = "collective.MemberAdded.v1"
    name: str
    role: str


class AccountOpened(CollectiveEvent):
    TOPIC = "collective.AccountOpened.v1"
    code: str
    name: str
    parent: str
    account_class: str
    side: str


class DisclosureNumbered(CollectiveEvent):
    """Disclosure numbers are gap-free per collective and disclosed year (GK-2025-001…)."""

    TOPIC = "collective.DisclosureNumbered.v1"
    year: int
    seq: int
    number: str


@dataclass(frozen=True)
class Collective:
    version: int
    code: str
    name: str
    township: str
    county: str
    level: str
    chart: str
    start_period: str
    members: dict[str, str] = field(default_factory=dict)  # name -> role
    sub_accounts: dict[str, Account] = field(default_factory=dict)
    disclosures: dict[int, int] = field(default_factory=dict)  # year -> numbers issued

    def has_children(self, code: str) -> bool:
        if not self.sub_accounts:
            return False
        return any(sub.code != code and sub.code.startswith(code) for sub in self.sub_accounts.values())

    def account(self, chart: Chart, code: str) -> Account | None:
        return chart.get(code) or self.sub_accounts.get(code)


def apply(state: Collective | None, event: Event) -> Collective | None:
    if isinstance(event, CollectiveRegistered):
        return Collective(
            version=event.originator_version, code=event.collective, name=event.name,
            township=event.township, county=event.county, level=event.level,
            chart=event.chart, start_period=event.start_period,
        )
    assert state is not None, event
    if isinstance(event, MemberAdded):
        return _replace(state, event, members={**state.members, event.name: event.role})
    if isinstance(event, DisclosureNumbered):
        return _replace(state, event, disclosures={**state.disclosures, event.year: event.seq})
    if isinstance(event, AccountOpened):
        account = Account(event.code, event.name, event.account_class, event.side)  # type: ignore[arg-type]
        return _replace(state, event, sub_accounts={**state.sub_accounts, event.code: account})
    raise AssertionError(event)


def _replace(state: Collective, event: Event, **changes: object) -> Collective:
    return replace(state, version=event.originator_version, **changes)


def register(
    state: Collective | None, *, code: str, name: str, township: str, county: str,
    level: str, chart: str, start_period: str, operator: str, now: datetime,
) -> list[Event]:
    code = code.strip()
    if not _CODE.match(code):
        raise Refusal("collective.code_format", field="code", value=code, record="集体经济组织")
    if state is not None:
        raise Refusal("collective.duplicate", field="code", value=code, record="集体经济组织")
    if level not in LEVELS:
        raise Refusal("collective.level", field="level", value=level, record=code, allowed="|".join(LEVELS))
    return [
        CollectiveRegistered(
            originator_id=collective_id(code), originator_version=1, timestamp=now,
            operator=operator, collective=code,
            name=clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record=code),
            township=clean_text(township, field="township", chars_max=NAME_CHARS_MAX, record=code),
            county=clean_text(county, field="county", chars_max=NAME_CHARS_MAX, record=code),
            level=level, chart=chart, start_period=start_period,
        )
    ]


def require_role(state: Collective, operator: str, roles: frozenset[str], *, action: str) -> None:
    """The operator must be a registered member holding one of `roles`."""
    role = state.members.get(operator)
    if role is None:
        raise Refusal("member.unknown_operator", field="operator", value=operator, record=state.code, action=action)
    if role not in roles:
        raise Refusal(
            "member.wrong_role", field="operator", value=operator, record=state.code,
            role=role, action=action, allowed="/".join(sorted(roles)),
        )


def add_member(state: Collective, *, name: str, role: str, operator: str, now: datetime) -> list[Event]:
    name = clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record=state.code)
    if role not in ROLES:
        raise Refusal("member.role", field="role", value=role, record=name, allowed="|".join(ROLES))
    # The first member bootstraps the roster: it must be the operator, as head
    # or accountant, or nobody could ever add the next one. After that only a
    # head or an accountant may add people.
    if not state.members:
        if name != operator.strip() or role not in MEMBER_ADMINS:
            raise Refusal("member.first_must_be_operator", field="name", value=name, record=state.code,
                          operator=operator, allowed="/".join(sorted(MEMBER_ADMINS)))
    else:
        require_role(state, operator, MEMBER_ADMINS, action="member add")
    if name in state.members:
        raise Refusal("member.duplicate", field="name", value=name, record=state.code, role=state.members[name])
    return [
        MemberAdded(
            originator_id=collective_id(state.code), originator_version=state.version + 1,
            timestamp=now, operator=operator, collective=state.code, name=name, role=role,
        )
    ]


def open_account(
    state: Collective, chart: Chart, *, code: str, name: str, operator: str, now: datetime,
) -> list[Event]:
    """Open a detailed sub-account (二级/三级科目) under an existing account."""
    require_role(state, operator, BOOKKEEPERS, action="account add")
    code = code.strip()
    digits = chart.sub_code_digits
    record = f"科目 {code}"
    if not code.isascii() or not code.isdigit() or len(code) <= 3 or (len(code) - 3) % digits:
        raise Refusal("account.code_format", field="code", value=code, record=record, digits=digits)
    parent_code = code[:-digits]
    parent = state.account(chart, parent_code)
    if parent is None:
        raise Refusal("account.no_parent", field="code", value=code, record=record, parent=parent_code)
    if state.account(chart, code) is not None:
        raise Refusal("account.duplicate", field="code", value=code, record=record)
    if len(state.sub_accounts) >= ACCOUNTS_OPENED_MAX:
        raise Refusal("account.too_many", field="code", value=code, record=record, limit=ACCOUNTS_OPENED_MAX)
    return [
        AccountOpened(
            originator_id=collective_id(state.code), originator_version=state.version + 1,
            timestamp=now, operator=operator, collective=state.code, code=code,
            name=clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record=record),
            parent=parent_code, account_class=parent.account_class, side=parent.side,
        )
    ]


def number_disclosure(state: Collective, *, year: int, operator: str, now: datetime) -> DisclosureNumbered:
    from sanzi_ledger.domain.disclosures import disclosure_number

    seq = state.disclosures.get(year, 0) + 1
    return DisclosureNumbered(
        originator_id=collective_id(state.code), originator_version=state.version + 1, timestamp=now,
        operator=operator, collective=state.code, year=year, seq=seq, number=disclosure_number(year, seq),
    )
