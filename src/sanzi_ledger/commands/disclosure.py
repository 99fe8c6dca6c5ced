"""Public disclosure: boards, draft → review → publish, status, verification, the site.

Publishing renders every file into a scratch folder inside `--out` first and
saves the event only when rendering succeeded; the files move into place after
the save. A refused or failed publish leaves neither files nor events.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sanzi_ledger.chart import Chart
from sanzi_ledger.commands import seals as seal_commands
from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.config import load_rules
from sanzi_ledger.domain import collectives, disclosures
from sanzi_ledger.errors import IntegrityFailure, Refusal
from sanzi_ledger.integrity import seals
from sanzi_ledger.periods import Period, parse_period
from sanzi_ledger.projections.disclosure_content import build_document
from sanzi_ledger.projections.disclosure_status import Due, due_list
from sanzi_ledger.projections.views import Views
from sanzi_ledger.publish.document import Document, Publication, Signoff
from sanzi_ledger.text import NOTE_CHARS_MAX, clean_text

BOARD_KEEPERS = frozenset({"accountant", "head"})
REVIEWERS = frozenset({"supervisor"})  # 村务监督委员会 / 民主理财小组
OTHER_LINES_MAX = 50
ROLE_TITLES = {"supervisor": "村务监督委员会"}


class AddBoard(Command):
    name: str
    location: str
    cadence: str
    sections: tuple[str, ...] = ()
    channel: str = ""


class DraftDisclosure(Command):
    board: str
    period: str
    corrects: str = ""
    other: tuple[str, ...] = ()


class ReviewDisclosure(Command):
    number: str
    approved: bool
    opinion: str


class PublishDisclosure(Command):
    number: str
    out: str
    key: str = ""  # a private key file: sign the publication's seal (see commands/seals.py)


def add_board(led: Ledger, cmd: AddBoard) -> Outcome:
    led.ledger_state()

    def decide():
        state, _ = led.acting(BOARD_KEEPERS, "board add")
        board = led.app.load(disclosures.board_id(state.code, cmd.name.strip()), disclosures.apply_board)
        return disclosures.add_board(board, state, name=cmd.name, location=cmd.location, cadence=cmd.cadence,
                                     sections=cmd.sections, channel=cmd.channel, operator=led.operator, now=led.now()), None

    position, _ = led.execute(decide)
    return Outcome(id=cmd.name.strip(), position=position)


def _open_months(led: Ledger, code: str, period: Period) -> list[str]:
    return [m for m in period.months() if not ((p := led.period(code, m)) and p.closed)]


def compose_document(
    views: Views, state: collectives.Collective, chart: Chart, board: disclosures.Board, period: Period, *,
    other: tuple[str, ...], corrects: str, drafted_by: str, drafted_at: str,
) -> Document:
    """What a draft freezes: the document built from the views as they are. `audit verify`
    calls it again on the views as they were at the draft, so both read the same inputs."""
    names = {code: account.name for code, account in state.sub_accounts.items()}
    return build_document(
        views, chart, collective=(state.code, state.name, state.township, state.county), board=board,
        period=period, names=names, other_lines=other, corrects=corrects, drafted_by=drafted_by, drafted_at=drafted_at,
    )


def draft(led: Ledger, cmd: DraftDisclosure) -> Outcome:
    led.ledger_state()
    period = parse_period(cmd.period)
    other = tuple(clean_text(line, field="other", chars_max=NOTE_CHARS_MAX, record="公开") for line in cmd.other)
    if len(other) > OTHER_LINES_MAX:
        raise Refusal("disclosure.too_many_other", field="other", value=len(other), limit=OTHER_LINES_MAX)

    def decide():
        state, chart = led.acting(BOARD_KEEPERS, "disclose draft")
        board = led.app.load(disclosures.board_id(state.code, cmd.board.strip()), disclosures.apply_board)
        # Numbered within the year disclosed (GK-2025-003 is a 2025 table), whenever it is drafted.
        numbered = collectives.number_disclosure(state, year=period.year, operator=led.operator, now=led.now())
        document = None
        if board is not None:
            document = compose_document(led.views, state, chart, board, period, other=other, corrects=cmd.corrects.strip(),
                                        drafted_by=led.operator, drafted_at=led.now().isoformat(timespec="seconds"))
        events = disclosures.draft(
            board, state, board_name=cmd.board.strip(), period=period.label, number=numbered.number,
            document=document.model_dump(mode="json") if document else {},
            content_hash=document.content_hash() if document else "", corrects=cmd.corrects.strip(),
            open_months=_open_months(led, state.code, period), operator=led.operator, now=led.now(),
        )
        return [numbered, *events], numbered.number

    position, number = led.execute(decide)
    return Outcome(id=number, position=position)


def review(led: Ledger, cmd: ReviewDisclosure) -> Outcome:
    led.ledger_state()

    def decide():
        state, _ = led.acting(REVIEWERS, "disclose review")
        current = led.app.load(disclosures.disclosure_id(state.code, cmd.number.strip()), disclosures.apply)
        return disclosures.review(current, state, number=cmd.number.strip(), approved=cmd.approved,
                                  opinion=cmd.opinion, operator=led.operator, now=led.now()), None

    position, _ = led.execute(decide)
    return Outcome(id=cmd.number.strip(), position=position)


def _publication(current: disclosures.Disclosure, members: dict[str, str]) -> Publication:
    """A published disclosure as the renderers see it, from its aggregate state."""
    done = current.published
    assert done is not None, current.drafted.number
    return Publication(
        number=current.drafted.number, document=Document.model_validate(current.drafted.document),
        content_hash=done.content_hash,
        signoffs=tuple(Signoff(role=ROLE_TITLES.get(members.get(r.operator, ""), "村务监督委员会"), name=r.operator,
                               at=r.timestamp.isoformat(timespec="seconds"), opinion=r.opinion)
                       for r in current.reviews if r.approved),
        seal_position=done.seal_position, seal_digest=done.seal_digest,
        published_at=done.timestamp.isoformat(timespec="seconds"), published_by=done.operator,
        posted_until=done.posted_until.isoformat(),
    )


def publication_of(led: Ledger, code: str, number: str) -> Publication:
    """Rebuild a published disclosure from its events, and check its document still hashes right."""
    current = led.app.load(disclosures.disclosure_id(code, number), disclosures.apply)
    if current is None or current.published is None:
        raise Refusal("disclosure.not_published", field="number", value=number, record=code)
    pub = _publication(current, led.collective(code).members)
    if pub.document.content_hash() != current.drafted.content_hash:
        raise IntegrityFailure(f"{code} {number}: stored document no longer matches its content hash")
    return pub


def writable_folder(out: str) -> Path:
    """An existing folder we may write in, or one we may create in a writable parent."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise Refusal("publish.out_not_folder", field="out", value=out)
    parent = folder if folder.exists() else folder.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise Refusal("publish.out_unwritable", field="out", value=out)
    return folder


def _out_folder(out: str, number: str) -> Path:
    folder = writable_folder(out)
    if folder.exists() and any(folder.glob(f"{number}.*")):
        raise Refusal("publish.out_has_files", field="out", value=out, number=number)
    return folder


def publish(led: Ledger, cmd: PublishDisclosure) -> Outcome:
    from sanzi_ledger.publish.files import write_all

    led.ledger_state()
    number = cmd.number.strip()
    folder = _out_folder(cmd.out, number)
    signer = seal_commands.load_signer(cmd.key)
    scratch: Path | None = None

    def decide():
        nonlocal scratch
        state, _ = led.acting(BOARD_KEEPERS, "disclose publish")
        current = disclosures.require(led.app.load(disclosures.disclosure_id(state.code, number), disclosures.apply),
                                      number, state)
        board = led.app.load(disclosures.board_id(state.code, current.drafted.board), disclosures.apply_board)
        position, head = seals.current(led.views)  # the chain at this moment: the seal on the board
        signed = seal_commands.sign(led, state.code, signer, seals.seal_message(position, head, current.drafted.content_hash))
        events = disclosures.publish(
            current, board, state, number=number, seal_position=position,
            seal_digest=seals.publication_digest(position, head, current.drafted.content_hash),
            posted_until=led.today() + timedelta(days=load_rules().disclosure.posting_days_min),
            operator=led.operator, now=led.now(), key_id=signed.key_id, signature=signed.signature,
        )
        pub = _publication(disclosures.apply(current, events[0]), state.members)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".sanzi-publish-", dir=folder))
        write_all(pub, scratch, qr_url=_qr_url(board, pub))
        return events, (pub, signed.key_id)

    try:
        position, (pub, key_id) = led.execute(decide)
        for path in sorted(scratch.iterdir()):
            path.replace(folder / path.name)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return Outcome(id=number, position=position, extra={"files": sorted(p.name for p in folder.glob(f"{number}*")),
                                                       "digest": pub.seal_digest, "content_hash": pub.content_hash,
                                                       "key_id": key_id or None})


def _qr_url(board: disclosures.Board | None, pub: Publication) -> str | None:
    if board is None or not board.channel:
        return None
    return f"{board.channel.rstrip('/')}/{pub.document.collective_code}/{pub.number}.html"


# -- 定时: what is due, overdue, published --------------------------------------------
def status(led: Ledger, today: date | None = None) -> list[Due]:
    led.catch_up()
    code = led.resolve_collective()
    return due_list(led.views, code, led.collective(code).start_period, today or led.today())


# -- verification and the site -----------------------------------------------------
def published_numbers(led: Ledger) -> list[tuple[str, str]]:
    led.catch_up()
    return [(c, n) for c, n in led.views.query(
        "SELECT collective, number FROM v_disclosures WHERE status = 'published' ORDER BY collective, number")]


_NUMBER = re.compile(r"^GK-\d{4}-\d{3,}", re.ASCII)  # a published file's name starts with its number


@dataclass(frozen=True)
class Verdict:
    matches: bool
    number: str
    collective: str
    detail: str


def verify(led: Ledger, target: str) -> Verdict:
    """A published file, or a digest / content hash typed from the board."""
    from sanzi_ledger.publish.files import json_bytes, write_all

    path = Path(target)
    if path.is_file():
        match = _NUMBER.match(path.name)
        number = match[0] if match else path.stem
        for code, candidate in published_numbers(led):
            if candidate != number:
                continue
            pub = publication_of(led, code, number)
            if path.suffix == ".json":
                same = path.read_bytes() == json_bytes(pub)
            else:
                with tempfile.TemporaryDirectory() as scratch:
                    board = led.app.load(disclosures.board_id(code, pub.document.board_name), disclosures.apply_board)
                    write_all(pub, Path(scratch), qr_url=_qr_url(board, pub))
                    twin = Path(scratch) / path.name
                    same = twin.exists() and twin.read_bytes() == path.read_bytes()
            if same and not _seal_holds(led, pub):
                return Verdict(False, number, code, "文件与公开内容一致，但账本在这次公开之前的历史已被改写（印章摘要对不上哈希链）")
            return Verdict(same, number, code, "文件与账本中的公开内容一致" if same else "文件与账本中的公开内容不一致（可能被改动）")
        return Verdict(False, number, "", "账本中没有这份已公开的表")
    digest = "".join(target.split()).lower()
    if len(digest) < 16 or any(ch not in "0123456789abcdef" for ch in digest):
        raise Refusal("verify.target", field="target", value=target)
    for code, number in published_numbers(led):
        pub = publication_of(led, code, number)
        if pub.seal_digest.startswith(digest) or pub.content_hash.startswith(digest):
            if not _seal_holds(led, pub):
                return Verdict(False, number, code, "找到这次公开，但账本在它之前的历史已被改写（印章摘要对不上哈希链）")
            return Verdict(True, number, code, "摘要与账本中的公开记录一致")
    return Verdict(False, "", "", "账本中没有与此摘要一致的公开记录")


def _seal_holds(led: Ledger, pub: Publication) -> bool:
    """The chain still has, at the publication's position, the head its seal was made from."""
    head = seals.head_at(led.views, pub.seal_position)
    return seals.publication_digest(pub.seal_position, head, pub.content_hash) == pub.seal_digest


def build_site(led: Ledger, out: str) -> Path:
    from sanzi_ledger.publish.site import build_site as render_site

    folder = writable_folder(out)
    publications = [publication_of(led, code, number) for code, number in published_numbers(led)]
    return render_site(publications, folder)
