"""Assets (资产, with a book value) and resources (资源, with an area in 亩).

An asset's registration posts its purchase (Dr 151/161/121, Cr bank) unless
it is already in the books (建账时已入账); its disposal needs a resolution and
posts the proceeds against its book value. A resource carries no book value.

Both hold what is leased out, so two leases can never overlap: a resource by
area (the leased area in any period never exceeds its area), an asset whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods, postings, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.fixed_point import FixedPointError, parse_hundredths
from sanzi_ledger.ids import item_id
from sanzi_ledger.money import check_positive, format_yuan
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    REFERENCE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)

RESOURCE_TYPES = ("耕地", "林地", "草地", "园地", "滩涂", "水面", "四荒地", "建设用地")
ASSET_CATEGORIES = {  # category -> the account its book value sits in
    "房屋建筑物": postings.FIXED_ASSETS, "机器设备": postings.FIXED_ASSETS, "交通工具": postings.FIXED_ASSETS,
    "农业基础设施": postings.FIXED_ASSETS, "公益设施": postings.FIXED_ASSETS, "其他固定资产": postings.FIXED_ASSETS,
    "无形资产": postings.INTANGIBLE, "库存物资": postings.STOCK,
}
AREA_CMU_MAX = 100_000_000_00  # 1 亿亩, in 0.01 亩
_KIND_ZH = {"asset": "资产", "resource": "资源"}


class AssetAdded(CollectiveEvent):
    TOPIC = "asset.Added.v1"
    number: str
    name: str
    category: str
    account: str
    value_fen: int
    acquired: date
    location: str
    voucher: str  # "" when the asset was already in the books


class AssetDisposed(CollectiveEvent):
    TOPIC = "asset.Disposed.v1"
    number: str
    date: date
    amount_fen: int
    reason: str
    resolution: str
    voucher: str


class ResourceAdded(CollectiveEvent):
    TOPIC = "resource.Added.v1"
    number: str
    name: str
    type: str
    area_cmu: int  # area in 0.01 亩
    location: str


class ItemLeased(CollectiveEvent):
    """Recorded on the asset or resource: this lease holds this area for this term."""

    TOPIC = "item.Leased.v1"
    number: str  # the asset or resource
    lease: str
    area_cmu: int  # 0 for an asset (leased whole)
    start: date
    end: date


class ItemReleased(CollectiveEvent):
    TOPIC = "item.Released.v1"
    number: str
    lease: str
    date: date  # the lease's last day; the item is free from the next day


@dataclass(frozen=True)
class Holding:
    """Held from `start` through `end`: both days included (an end date is a last day)."""

    lease: str
    area_cmu: int
    start: date
    end: date


@dataclass(frozen=True)
class Item:
    """An asset or a resource, as the lease rules see it."""

    version: int
    kind: str  # "asset" | "resource"
    number: str
    name: str
    type: str  # resource type or asset category
    area_cmu: int
    value_fen: int
    account: str
    disposed: bool = False
    holdings: tuple[Holding, ...] = ()


def apply(state: Item | None, event: Event) -> Item | None:
    if isinstance(event, AssetAdded):
        return Item(event.originator_version, "asset", event.number, event.name, event.category, 0, event.value_fen, event.account)
    if isinstance(event, ResourceAdded):
        return Item(event.originator_version, "resource", event.number, event.name, event.type, event.area_cmu, 0, "")
    assert state is not None, event
    version = event.originator_version
    if isinstance(event, AssetDisposed):
        return replace(state, version=version, disposed=True)
    if isinstance(event, ItemLeased):
        holding = Holding(event.lease, event.area_cmu, event.start, event.end)
        return replace(state, version=version, holdings=(*state.holdings, holding))
    if isinstance(event, ItemReleased):
        holdings = tuple(
            replace(h, end=min(h.end, event.date)) if h.lease == event.lease else h for h in state.holdings
        )
        return replace(state, version=version, holdings=holdings)
    raise AssertionError(event)


def add_asset(
    state: Item | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, name: str, category: str, value_fen: int, acquired: date, location: str,
    via: str | None, operator: str, now: datetime, today: date,
) -> list[Event]:
    """Register an asset; `via` (bank/cash/account) posts its purchase, None means
    it is already in the books."""
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="资产")
    record = f"资产 {number}"
    if state is not None:
        raise Refusal("item.duplicate", field="number", value=number, record=collective.code, kind=_KIND_ZH[state.kind])
    if category not in ASSET_CATEGORIES:
        raise Refusal("asset.category", field="category", value=category, record=record, allowed="、".join(ASSET_CATEGORIES))
    check_positive(value_fen, field="value", record=record)
    if acquired > today:
        raise Refusal("voucher.future_date", field="acquired", value=acquired.isoformat(), record=record, today=today.isoformat())
    name = clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record=record)
    account = ASSET_CATEGORIES[category]
    events: list[Event] = []
    voucher = ""
    if via is not None:
        numbered, posted = vouchers.post(
            collective, chart, period, day=acquired, summary=f"购入{name}（{number}）"[:SUMMARY_CHARS_MAX],
            lines=postings.payment(via, account, value_fen), source=f"asset:{number}",
            operator=operator, now=now, today=today,
        )
        events += [numbered, posted]
        voucher = numbered.number
    events.append(AssetAdded(
        originator_id=item_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number, name=name, category=category, account=account,
        value_fen=value_fen, acquired=acquired,
        location=clean_text(location, field="location", chars_max=SUMMARY_CHARS_MAX, required=False, record=record),
        voucher=voucher,
    ))
    return events


def dispose_asset(
    state: Item | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, day: date, amount_fen: int, reason: str, resolution: str, via: str,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    """处置: proceeds in, book value out; a gain to 504, a loss to 515. Needs a resolution."""
    if state is None or state.kind != "asset":
        raise Refusal("asset.unknown", field="number", value=number, record=collective.code)
    record = f"资产 {number}"
    if state.disposed:
        raise Refusal("asset.disposed", field="number", value=number, record=record)
    resolution = clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record)
    if not resolution:
        raise Refusal("asset.dispose_needs_resolution", field="resolution", value="", record=record)
    if amount_fen < 0:
        raise Refusal("money.not_positive", field="amount", value=format_yuan(amount_fen), record=record)
    if any(h.end >= day for h in state.holdings):
        raise Refusal("asset.leased", field="number", value=number, record=record)
    reason = clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record)
    lines = [vouchers.Line(account=state.account, side="credit", amount_fen=state.value_fen)]
    if amount_fen:
        lines.append(vouchers.Line(account=postings.money_account(via), side="debit", amount_fen=amount_fen))
    difference = amount_fen - state.value_fen
    if difference > 0:
        lines.append(vouchers.Line(account=postings.OTHER_INCOME, side="credit", amount_fen=difference))
    elif difference < 0:
        lines.append(vouchers.Line(account=postings.OTHER_EXPENSE, side="debit", amount_fen=-difference))
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"处置{state.name}（{number}）"[:SUMMARY_CHARS_MAX], lines=lines,
        resolution=resolution, source=f"asset:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, AssetDisposed(
        originator_id=item_id(collective.code, number), originator_version=state.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, date=day, amount_fen=amount_fen,
        reason=reason, resolution=resolution, voucher=numbered.number,
    )]


def add_resource(
    state: Item | None, collective: Collective, *, number: str, name: str, type: str, area_cmu: int,
    location: str, operator: str, now: datetime,
) -> list[Event]:
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="资源")
    record = f"资源 {number}"
    if state is not None:
        raise Refusal("item.duplicate", field="number", value=number, record=collective.code, kind=_KIND_ZH[state.kind])
    if type not in RESOURCE_TYPES:
        raise Refusal("resource.type", field="type", value=type, record=record, allowed="、".join(RESOURCE_TYPES))
    if not 0 < area_cmu <= AREA_CMU_MAX:
        raise Refusal("resource.area", field="area", value=format_area(area_cmu), record=record)
    return [ResourceAdded(
        originator_id=item_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number,
        name=clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record=record), type=type, area_cmu=area_cmu,
        location=clean_text(location, field="location", chars_max=SUMMARY_CHARS_MAX, required=False, record=record),
    )]


def leased_area(item: Item, start: date, end: date) -> int:
    """The most area held by other leases on any day from `start` through `end`."""
    overlapping = [h for h in item.holdings if h.start <= end and start <= h.end]
    # The peak is reached on the first day of some holding (or on `start`).
    points = {start, *(h.start for h in overlapping if h.start > start)}
    return max((sum(h.area_cmu for h in overlapping if h.start <= p <= h.end) for p in points), default=0)


def hold(item: Item | None, collective: Collective, *, number: str, lease: str, area_cmu: int | None,
         start: date, end: date, operator: str, now: datetime) -> ItemLeased:
    """The asset or resource side of signing a lease: refuse overlap, else hold."""
    if item is None:
        raise Refusal("lease.item_unknown", field="item", value=number, record=f"租赁 {lease}")
    record = f"租赁 {lease}"
    if item.kind == "asset":
        if item.disposed:
            raise Refusal("asset.disposed", field="item", value=number, record=record)
        if area_cmu:
            raise Refusal("lease.asset_area", field="area", value=format_area(area_cmu), record=record)
        clash = next((h for h in item.holdings if h.start <= end and start <= h.end), None)
        if clash:
            raise Refusal("lease.overlap_asset", field="item", value=number, record=record, other=clash.lease,
                          start=clash.start.isoformat(), end=clash.end.isoformat())
        area = 0
    else:
        area = item.area_cmu if area_cmu is None else area_cmu
        if area <= 0:
            raise Refusal("resource.area", field="area", value=format_area(area), record=record)
        if area > item.area_cmu:
            raise Refusal("lease.area_exceeds", field="area", value=format_area(area), record=record,
                          total=format_area(item.area_cmu))
        taken = leased_area(item, start, end)
        if taken + area > item.area_cmu:
            raise Refusal("lease.overlap_area", field="area", value=format_area(area), record=record,
                          total=format_area(item.area_cmu), taken=format_area(taken), free=format_area(item.area_cmu - taken))
    return ItemLeased(
        originator_id=item_id(collective.code, number),
        originator_version=item.version + 1, timestamp=now, operator=operator, collective=collective.code,
        number=number, lease=lease, area_cmu=area, start=start, end=end,
    )


def parse_area(text: str, *, field: str = "area", record: str | None = None) -> int:
    """亩 as typed ("12.5", "1,200") -> 0.01 亩."""
    try:
        area = parse_hundredths(text)
    except FixedPointError as error:
        if error.problem == "decimals":
            raise Refusal("area.too_many_decimals", field=field, value=text, record=record) from None
        if error.problem == "format":
            raise Refusal("area.format", field=field, value=text, record=record) from None
        area = AREA_CMU_MAX + 1
    if not 0 < area <= AREA_CMU_MAX:
        raise Refusal("resource.area", field=field, value=text, record=record)
    return area


def format_area(area_cmu: int) -> str:
    whole, part = divmod(abs(area_cmu), 100)
    return f"{'-' if area_cmu < 0 else ''}{whole}.{part:02d}"
