"""Every seal in the ledger, checked against the verified chain.

Seals are month closes (`period.Closed.v1`), publications
(`disclosure.Published.v1`) and stand-alone seals (`seal.Taken.v1`). While the
chain is walked, `SealCollector` keeps what the checks need (small records,
read straight from the stored JSON) and the signing keys current at each
point of the log. Then each seal must:

  * name a position before its own event (a seal cannot witness its future);
  * lie on the chain: the link at its position is the head it recorded (a
    publication: its board digest recomputes from that link);
  * extend the previous seal of the same collective (positions never go back);
  * if signed, carry a valid Ed25519 signature by the key that was the
    signer's current registered key when the seal was recorded.

Publications are also listed for `commands/verification.py`, which rebuilds
their documents from the views as they were at the draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sanzi_ledger.integrity import signing
from sanzi_ledger.integrity.seals import close_subject, publication_digest, seal_message
from sanzi_ledger.integrity.verify import Problem

CLOSED, PUBLISHED, DRAFTED = "period.Closed.v1", "disclosure.Published.v1", "disclosure.Drafted.v1"
TAKEN, KEY = "seal.Taken.v1", "seal.KeyRegistered.v1"
WATCHED = frozenset({CLOSED, PUBLISHED, DRAFTED, TAKEN, KEY})
KIND_ZH = {"close": "结账印章", "publication": "公开印章", "seal": "印章"}


@dataclass(frozen=True)
class SealRecord:
    event_position: int  # where the seal's own event is in the chain
    kind: str  # close | publication | seal
    collective: str
    ref: str  # the month, the disclosure number, or the seal's number
    signer: str
    chain_position: int
    chain_head: str  # "" for a publication: its board digest binds the head instead
    content_hash: str = ""  # publications
    digest: str = ""  # publications: the board digest
    key_id: str = ""
    signature: str = ""
    signer_key_id: str = ""  # the signer's current registered key when the seal was recorded
    signer_public_key: str = ""

    def subject(self) -> str:
        if self.kind == "close":
            return close_subject(self.collective, self.ref)
        return self.content_hash if self.kind == "publication" else ""

    def message(self, head: str) -> str:
        """What the signature signs, given the head at the seal's position."""
        return seal_message(self.chain_position, head, self.subject())

    def label(self, lang: str) -> str:
        if lang == "en":
            return f"{self.kind} seal {self.collective} {self.ref} (position {self.event_position})"
        return f"第 {self.event_position} 个位置的{KIND_ZH[self.kind]}（{self.collective} {self.ref}）"


@dataclass(frozen=True)
class Draft:
    position: int
    notification_id: int


@dataclass(frozen=True)
class Published:
    position: int
    collective: str
    number: str
    content_hash: str


class SealCollector:
    """The `watch` of `verify_chain`: keeps seals, keys, drafts and publications, in log order."""

    def __init__(self) -> None:
        self.seals: list[SealRecord] = []
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}  # (collective, member) -> (key id, public key)
        self.public_keys: dict[str, str] = {}  # key id -> public key, for exports
        self.drafts: dict[tuple[str, str], Draft] = {}
        self.published: list[Published] = []
        self.problems: list[Problem] = []

    def __call__(self, position: int, notification_id: int, topic: str, state: bytes) -> None:
        try:
            self._collect(position, notification_id, topic, json.loads(state))
        except (ValueError, KeyError, TypeError, AttributeError):
            # Linked correctly but not what this program writes: a forgery relinked by hand.
            self.problems.append(Problem(position, "malformed", "事件的内容不是本程序写入的格式（被人手工改写并重算了链接）",
                                         "the event is not in the form this program writes (rewritten and relinked by hand)"))

    def _collect(self, position: int, notification_id: int, topic: str, data: dict) -> None:
        collective = data["collective"]
        if topic == KEY:
            self.keys[(collective, data["member"])] = (data["key_id"], data["public_key"])
            self.public_keys[data["key_id"]] = data["public_key"]
            return
        if topic == DRAFTED:
            self.drafts[(collective, data["number"])] = Draft(position, notification_id)
            return
        signer = data["operator"]
        key_id, public = self.keys.get((collective, signer), ("", ""))
        common = {"event_position": position, "collective": collective, "signer": signer, "key_id": data.get("key_id", ""),
                  "signature": data.get("signature", ""), "signer_key_id": key_id, "signer_public_key": public}
        if topic == CLOSED:
            if not data.get("chain_head"):
                return  # a close recorded before the chain existed carries no seal
            self.seals.append(SealRecord(kind="close", ref=data["month"], chain_position=data["chain_position"],
                                         chain_head=data["chain_head"], **common))
        elif topic == TAKEN:
            self.seals.append(SealRecord(kind="seal", ref=str(data["seq"]), chain_position=data["chain_position"],
                                         chain_head=data["chain_head"], **common))
        else:
            self.seals.append(SealRecord(kind="publication", ref=data["number"], chain_position=data["seal_position"],
                                         chain_head="", content_hash=data["content_hash"], digest=data["seal_digest"], **common))
            self.published.append(Published(position, collective, data["number"], data["content_hash"]))


@dataclass(frozen=True)
class SealReport:
    seals: int  # seals that hold
    signatures: int  # signatures that verify
    problems: list[Problem]


def check_seals(seals: list[SealRecord], heads: dict[int, str]) -> SealReport:
    """`heads`: the verified chain's link (hex) at every position a seal names that the chain reaches."""
    problems: list[Problem] = []
    good = signed = 0
    for seal in seals:
        found = len(problems)
        head = heads.get(seal.chain_position, "")
        if not 0 < seal.chain_position < seal.event_position:
            problems.append(Problem(
                seal.event_position, "seal_after",
                f"{seal.label('zh')}指向第 {seal.chain_position} 个位置，不在它自己之前",
                f"{seal.label('en')} names position {seal.chain_position}, not before itself"))
        elif seal.kind != "publication" and head != seal.chain_head:
            problems.append(Problem(
                seal.chain_position, "seal_head",
                f"{seal.label('zh')}记的链头与链上第 {seal.chain_position} 个链接不符：这个位置及之前的历史被改写过",
                f"{seal.label('en')}: the chain's link at {seal.chain_position} is not the recorded head (history rewritten)"))
        elif seal.kind == "publication" and publication_digest(seal.chain_position, head, seal.content_hash) != seal.digest:
            problems.append(Problem(
                seal.chain_position, "seal_digest",
                f"{seal.label('zh')}的公开摘要与链上第 {seal.chain_position} 个链接对不上：这个位置及之前的历史被改写过",
                f"{seal.label('en')}: the board digest does not bind the chain's link at {seal.chain_position} (history rewritten)"))
        # No order between seals: two seals taken at once may commit in either order, and
        # every seal lying on the one verified chain already means each later one extends the earlier.
        if seal.signature:
            signed_ok = _check_signature(seal, seal.chain_head or head, problems)
            signed += signed_ok
        good += len(problems) == found
    return SealReport(good, signed, problems)


def _check_signature(seal: SealRecord, head: str, problems: list[Problem]) -> bool:
    if not seal.signer_key_id or seal.key_id != seal.signer_key_id:
        registered = seal.signer_key_id or "无"
        problems.append(Problem(
            seal.event_position, "signature_key",
            f"{seal.label('zh')}的签名用的密钥 {seal.key_id} 不是 {seal.signer} 当时登记的密钥（{registered}）",
            f"{seal.label('en')} is signed with key {seal.key_id}, not {seal.signer}'s key registered then ({seal.signer_key_id or 'none'})"))
        return False
    if not signing.verify(seal.signer_public_key, seal.message(head), seal.signature):
        problems.append(Problem(
            seal.event_position, "signature",
            f"{seal.label('zh')}的签名不成立（签名被伪造，或所签的内容被改动）",
            f"{seal.label('en')}: the signature does not verify (forged, or what it signs was altered)"))
        return False
    return True


def check_external(position: int, head_prefix: str, verified_events: int, chain_ok: bool, head: str | None) -> Problem | None:
    """A seal kept outside the machine (`--seal POSITION:HEAD`): does the chain still pass through it?"""
    if head is not None and head.startswith(head_prefix):
        return None
    if head is None and not chain_ok:
        return None  # beyond the first bad position: the chain problem is already named
    if head is None:
        return Problem(position, "external_seal",
                       f"外部印章 {position}:{head_prefix} 所指的位置已不在链上（链只有 {verified_events} 个事件）：尾部被截掉过",
                       f"external seal {position}:{head_prefix}: the chain has only {verified_events} events (tail cut)")
    return Problem(position, "external_seal",
                   f"外部印章 {position}:{head_prefix} 与链上第 {position} 个链接（{head[:16]}）不符：这个位置及之前的历史被改写过",
                   f"external seal {position}:{head_prefix} differs from the chain's link {head[:16]} (history rewritten)")
