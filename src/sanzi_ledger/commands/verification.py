"""`audit verify`: the chain from genesis, every seal, and every published table.

1. The hash chain (`integrity/verify.py`), collecting the seals, the signing
   keys, the drafts and the publications on the way (`integrity/seal_checks.py`).
2. Every seal against the verified chain, and every signature against the
   key its signer had registered when the seal was recorded.
3. Seals kept outside the machine (`--seal POSITION:HEAD`, typed from a board
   or a printed seal): the chain must still pass through each.
4. The views are not ahead of the log (after a cut tail they still remember
   the events that are gone).
5. Every published disclosure: its document rebuilt from the views as they
   were at its draft, in ONE scratch store advanced through the drafts in log
   order, hashes to the content hash recorded and published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity.chain import CHAIN_TABLE
from sanzi_ledger.integrity.seal_checks import (
    WATCHED,
    Published,
    SealCollector,
    check_external,
    check_seals,
)
from sanzi_ledger.integrity.verify import Problem, Verification, verify_chain

if TYPE_CHECKING:
    from sanzi_ledger.domain.collectives import Collective
    from sanzi_ledger.domain.disclosures import Board
    from sanzi_ledger.projections.views import Views

HEADS_PER_QUERY = 500
_EXTERNAL = re.compile(r"^\s*(\d{1,15})\s*:\s*([0-9a-fA-F]{16,64})\s*$")


@dataclass(frozen=True)
class ExternalSeal:
    position: int
    head: str  # hex prefix of the link at `position`, at least 16 digits


def parse_external(text: str) -> ExternalSeal:
    match = _EXTERNAL.match(text)
    if not match or int(match[1]) == 0:
        raise Refusal("verify.seal_format", field="seal", value=text)
    return ExternalSeal(int(match[1]), match[2].lower())


@dataclass(frozen=True)
class Report:
    chain: Verification
    seals: int  # seals in the ledger that hold
    signatures: int  # signatures that verify
    disclosures: int  # published tables that rebuild to their content hash
    external: int  # outside seals the chain still passes through
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_position(self) -> int | None:
        return min((p.position for p in self.problems), default=None)


def verify(led: Ledger, external: tuple[ExternalSeal, ...] = ()) -> Report:
    collector = SealCollector()
    chain = verify_chain(led.app, led.views, collector, WATCHED)
    heads = chain_heads(led, {s.chain_position for s in collector.seals} | {e.position for e in external}, chain.events)
    sealed = check_seals(collector.seals, heads)
    problems = [*chain.problems, *collector.problems, *sealed.problems]
    outside = 0
    for seal in external:
        problem = check_external(seal.position, seal.head, chain.events, chain.ok, heads.get(seal.position))
        if problem is None and seal.position in heads:
            outside += 1
        elif problem is not None:
            problems.append(problem)
    problems += _views_ahead(led, chain)
    rebuilt, disclosure_problems = check_disclosures(led, collector)
    problems += disclosure_problems
    problems.sort(key=lambda p: p.position)
    return Report(chain, sealed.seals, sealed.signatures, rebuilt, outside, problems)


def chain_heads(led: Ledger, positions: set[int], verified: int) -> dict[int, str]:
    """The stored link (hex) at each position inside the verified prefix (there stored = recomputed)."""
    wanted = sorted(p for p in positions if 0 < p <= verified)
    heads: dict[int, str] = {}
    with led.views.transaction() as cursor:
        for start in range(0, len(wanted), HEADS_PER_QUERY):
            chunk = wanted[start:start + HEADS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            for position, stored in cursor.query(f"SELECT position, hash FROM {CHAIN_TABLE} WHERE position IN ({marks})", chunk):
                heads[int(position)] = bytes(stored).hex()
    return heads


def _views_ahead(led: Ledger, chain: Verification) -> list[Problem]:
    """After a cut tail the views still remember the deleted events: a free witness."""
    tracked, head = led.projector.position(), led.app.head()
    if tracked <= head:
        return []
    return [Problem(chain.events + 1, "views_ahead",
                    f"视图已处理到第 {tracked} 号事件，而事件表最大只到第 {head} 号：日志的尾部被删掉过",
                    f"the views have applied event {tracked} but the log ends at {head}: its tail was cut")]


# -- published tables, rebuilt ----------------------------------------------------------------------
def check_disclosures(led: Ledger, collector: SealCollector) -> tuple[int, list[Problem]]:
    items = []
    problems: list[Problem] = []
    for published in collector.published:
        draft = collector.drafts.get((published.collective, published.number))
        if draft is None:
            problems.append(Problem(published.position, "disclosure_draft", f"公开 {published.collective} {published.number} 在日志中没有草稿",
                                    f"disclosure {published.collective} {published.number} has no draft in the log"))
        else:
            items.append((draft, published))
    if not items:
        return 0, problems
    from sanzi_ledger.projections.scratch import ScratchViews

    items.sort(key=lambda item: item[0].position)
    rebuilt = 0
    states = _Collectives(led)
    with ScratchViews(led.app) as scratch:
        for draft, published in items:
            try:
                # The draft was built from views caught up to just before its own events
                # (the collective's numbering event in the same save feeds no view).
                scratch.advance(max(draft.notification_id - 1, scratch.position))
                problem = _check_one(led, states, scratch.views, draft.position, published)
            except Exception as error:  # noqa: BLE001 - a relinked forgery the program cannot even read
                problems.append(Problem(draft.position, "disclosure_rebuild",
                                        f"公开 {published.collective} {published.number}：无法按当时的账重新生成（{type(error).__name__}）",
                                        f"disclosure {published.collective} {published.number}: cannot be rebuilt ({type(error).__name__})"))
                break  # the scratch views may be half-applied: rebuilding later tables would mislead
            if problem is None:
                rebuilt += 1
            else:
                problems.append(problem)
    return rebuilt, problems


def _check_one(led: Ledger, states: _Collectives, views: Views, position: int, published: Published) -> Problem | None:
    from sanzi_ledger.commands.disclosure import compose_document
    from sanzi_ledger.domain import disclosures
    from sanzi_ledger.periods import parse_period
    from sanzi_ledger.publish.document import Document

    code, number = published.collective, published.number
    drafted = next(iter(led.app.events.get(disclosures.disclosure_id(code, number), lte=1)))
    assert isinstance(drafted, disclosures.DisclosureDrafted), drafted
    label = f"公开 {code} {number}"

    def problem(kind: str, zh: str, en: str, at: int = position) -> Problem:
        return Problem(at, kind, f"{label}：{zh}", f"disclosure {code} {number}: {en}")

    if published.content_hash != drafted.content_hash:
        return problem("disclosure_hash", "公开记录的内容哈希与草稿的不同", "published content hash differs from the draft's", published.position)
    recorded = Document.model_validate(drafted.document)
    if recorded.content_hash() != drafted.content_hash:
        return problem("disclosure_hash", "草稿里冻结的内容与它的内容哈希不符", "the frozen document does not match its content hash")
    state = states.at(code, number)
    board = states.board(code, drafted.board)
    other = next((tuple(str(row[0]) for row in s.rows) for s in recorded.sections if s.key == "other"), ())
    document = compose_document(
        views, state, led.chart(state.chart), board, parse_period(drafted.period), other=other,
        corrects=drafted.corrects, drafted_by=recorded.drafted_by, drafted_at=recorded.drafted_at,
    )
    if document.content_hash() != drafted.content_hash:
        return problem("disclosure_rebuild", "按起草时的账重新生成的内容与公开的不同（公开内容或它之前的账被改动过）",
                       "rebuilt from the books as they were at the draft, the table differs (the table or the books behind it altered)")
    return None


class _Collectives:
    """Each collective's state as it was at each of its drafts, folded forward once (drafts come in log order)."""

    def __init__(self, led: Ledger) -> None:
        self.led = led
        self.states: dict[str, tuple[Iterator, Collective | None]] = {}
        self.boards: dict[tuple[str, str], Board] = {}

    def at(self, code: str, number: str) -> Collective:
        from sanzi_ledger.domain import collectives
        from sanzi_ledger.ids import collective_id

        events, state = self.states.get(code) or (iter(self.led.app.events.get(collective_id(code))), None)
        for event in events:
            state = collectives.apply(state, event)
            if isinstance(event, collectives.DisclosureNumbered) and event.number == number:
                break
        self.states[code] = (events, state)
        assert state is not None, code
        return state

    def board(self, code: str, name: str) -> Board:
        from sanzi_ledger.domain import disclosures

        # A board's name, place, cadence and sections never change after it is added.
        key = (code, name)
        if key not in self.boards:
            board = self.led.app.load(disclosures.board_id(code, name), disclosures.apply_board)
            assert board is not None, key
            self.boards[key] = board
        return self.boards[key]
