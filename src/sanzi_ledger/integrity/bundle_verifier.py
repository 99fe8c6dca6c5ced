#!/usr/bin/env python3
"""Verify a sanzi-ledger evidence bundle with nothing but the Python standard library.

This file is shipped, unchanged, inside every bundle made by `sanzi audit export`
(as `verify.py`), so that an auditor, a court or a villager can check the
evidence in twenty years without this program, its dependencies or its database:

    python3 verify.py BUNDLE.zip [--seal POSITION:HEAD ...] [--digest BOARD_CODE ...]   (or a FOLDER)

What it checks, in order (docs/integrity.md, "证据包"):
  1. every file listed in manifest.json has the SHA-256 the manifest states;
  2. the hash chain: every event's link recomputes from the previous link, its
     position and the event's exact stored bytes; the last link is the head
     the manifest states;
  3. every seal the events record (month closes, publications, manual seals)
     names an earlier link that is on this chain, and every Ed25519 signature
     verifies, over the text rebuilt from the seal itself, against the key its
     signer had registered in the ledger at that moment (RFC 8032, below);
  4. every published disclosure's content hash is the SHA-256 of the document
     frozen in its draft, and its board digest binds that content to the chain;
  5. seals.json, keys.json and disclosures.json (there for reading) say what
     the events say: the checks above read only the chain-verified events;
  6. every seal kept outside the machine (`--seal POSITION:HEAD`, a printed
     month-close seal) lies on this chain, and every board code (`--digest`,
     the 16-digit 核对码 on a posted table) is one of the publications.

Exit code 0 when everything holds, 3 when anything fails (the first failure of
each kind is named), 2 when the bundle cannot be read.

It deliberately repeats the link formula of `integrity/chain.py` and the digest
of `integrity/seals.py` instead of importing them: a verifier that needs the
program it verifies proves nothing. A test keeps the copies equal.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import zipfile
from pathlib import Path

FORMAT = "sanzi-evidence-v1"
CHAIN_PREFIX = b"sanzi-chain-v1\x00"
GENESIS = bytes(32)


# -- the hash chain (same formula as integrity/chain.py) -----------------------
def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def link(previous: bytes, position: int, originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    originator = originator_id.replace("-", "")
    return hashlib.sha256(
        CHAIN_PREFIX + previous + position.to_bytes(8, "big") + _field(originator.encode()) + version.to_bytes(8, "big")
        + _field(topic.encode()) + _field(state)
    ).digest()


def publication_digest(position: int, head: str, content_hash: str) -> str:
    return hashlib.sha256(f"sanzi-seal-v1|{position}|{head}|{content_hash}".encode()).hexdigest()


def content_hash(document: dict) -> str:
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- Ed25519 verification (RFC 8032 section 6, the reference algorithm) --------
_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _add(a: tuple, b: tuple) -> tuple:
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    a_ = (y1 - x1) * (y2 - x2) % _P
    b_ = (y1 + x1) * (y2 + x2) % _P
    c_ = 2 * t1 * t2 * _D % _P
    d_ = 2 * z1 * z2 % _P
    e, f, g, h = b_ - a_, d_ - c_, d_ + c_, b_ + a_
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, point: tuple) -> tuple:
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _equal(a: tuple, b: tuple) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _decompress(data: bytes) -> tuple | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_G = _decompress(bytes.fromhex("5866666666666666666666666666666666666666666666666666666666666666"))


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


# -- reading the bundle ----------------------------------------------------------
CLOSED, TAKEN, PUBLISHED = "period.Closed.v1", "seal.Taken.v1", "disclosure.Published.v1"
DRAFTED, KEY = "disclosure.Drafted.v1", "seal.KeyRegistered.v1"


class Bundle:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.is_file() else None

    def read(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        return (self.path / name).read_bytes()

    def lines(self, name: str):
        if self.zip is not None:
            with self.zip.open(name) as handle:
                yield from handle
        else:
            with open(self.path / name, "rb") as handle:
                yield from handle


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def ok(self, zh: str, en: str) -> None:
        print(f"通过 OK   {zh} / {en}")

    def fail(self, zh: str, en: str) -> None:
        self.failures.append(en)
        print(f"失败 FAIL {zh} / {en}")


class Seal:
    """A seal as the ledger's own (chain-verified) events record it."""

    def __init__(self, kind: str, data: dict, event_position: int, signer_key: tuple[str, str] | None) -> None:
        self.kind, self.event_position, self.signer_key = kind, event_position, signer_key
        self.collective, self.signer = data["collective"], data["operator"]
        self.key_id, self.signature = data.get("key_id", ""), data.get("signature", "")
        if kind == "publication":
            self.ref, self.position, self.head = data["number"], data["seal_position"], ""
            self.content_hash, self.digest = data["content_hash"], data["seal_digest"]
        else:
            self.ref = data["month"] if kind == "close" else str(data["seq"])
            self.position, self.head, self.content_hash, self.digest = data["chain_position"], data["chain_head"], "", ""

    def subject(self) -> str:
        if self.kind == "close":
            return f"close|{self.collective}|{self.ref}"
        return self.content_hash

    def message(self, head: str) -> str:
        # integrity/seals.py: seal_message(position, head, subject)
        return f"sanzi-seal-v1|{self.position}|{head}" + (f"|{self.subject()}" if self.subject() else "")

    def label(self) -> str:
        return f"{self.kind} {self.collective} {self.ref} (#{self.event_position})"


class Ledger:
    """What one pass over events.jsonl finds: the chain, and the seals, keys and drafts in it,
    read from the authenticated stored bytes, never from the bundle's convenience files."""

    def __init__(self) -> None:
        self.events, self.head = 0, GENESIS.hex()
        self.seals: list[Seal] = []
        self.current_keys: dict[tuple[str, str], tuple[str, str]] = {}  # (collective, member) -> (key id, public hex)
        self.bad_keys: list[str] = []
        self.drafts: dict[tuple[str, str], tuple[str, dict]] = {}  # (collective, number) -> (content hash, document)

    def collect(self, position: int, topic: str, data: dict) -> None:
        if topic == KEY:
            public = data["public_key"]
            if hashlib.sha256(bytes.fromhex(public)).hexdigest()[:16] != data["key_id"]:
                self.bad_keys.append(f"{data['member']} {data['key_id']} (#{position})")
            self.current_keys[data["collective"], data["member"]] = (data["key_id"], public)
        elif topic == DRAFTED:
            self.drafts[data["collective"], data["number"]] = (data["content_hash"], data["document"])
        elif topic in (CLOSED, TAKEN, PUBLISHED):
            if topic == CLOSED and not data.get("chain_head"):
                return  # a close recorded before the chain existed carries no seal
            kind = {CLOSED: "close", TAKEN: "seal", PUBLISHED: "publication"}[topic]
            self.seals.append(Seal(kind, data, position, self.current_keys.get((data["collective"], data["operator"]))))


def check_files(bundle: Bundle, manifest: dict, report: Report) -> None:
    bad = []
    for name, digest in sorted(manifest["files"].items()):
        try:
            if hashlib.sha256(bundle.read(name)).hexdigest() != digest:
                bad.append(name)
        except (KeyError, OSError):
            bad.append(f"{name}（缺失 missing）")
    if bad:
        report.fail(f"文件与清单不符：{', '.join(bad)}", f"files differ from the manifest: {', '.join(bad)}")
    else:
        report.ok(f"{len(manifest['files'])} 个文件与清单一致", f"{len(manifest['files'])} files match the manifest")


def check_chain(bundle: Bundle, manifest: dict, report: Report) -> Ledger:
    """Recompute every link; collect the seals, keys and drafts from the verified events."""
    ledger = Ledger()
    previous, position = GENESIS, 0
    for raw in bundle.lines("events.jsonl"):
        position += 1
        try:
            event = json.loads(raw)
            if event["position"] != position:
                report.fail(f"第 {position} 个位置缺失或顺序不对", f"position {position} missing or out of order")
                return ledger
            state = base64.b64decode(event["state_b64"], validate=True)
            previous = link(previous, position, event["originator_id"], event["originator_version"], event["topic"], state)
            if previous.hex() != event["chain_hash"]:
                report.fail(f"第 {position} 个事件与其链接不符（事件或链接被改动）",
                            f"event {position} does not match its link (event or link altered)")
                return ledger
            data = json.loads(state)
            if data != event["payload"]:
                report.fail(f"第 {position} 个事件的可读内容与存储字节不符", f"event {position}: payload differs from stored bytes")
                return ledger
            ledger.collect(position, event["topic"], data)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            report.fail(f"第 {position} 行无法读取或不是本程序写的格式（{type(error).__name__}）",
                        f"line {position} cannot be read or is not in this program's form ({type(error).__name__})")
            return ledger
        ledger.events, ledger.head = position, previous.hex()
    if position != manifest["events"] or previous.hex() != (manifest["head"] or GENESIS.hex()):
        report.fail(f"事件数或链头与清单不符（{position} 个，清单 {manifest['events']} 个）",
                    f"event count or head differs from the manifest ({position} vs {manifest['events']})")
    else:
        report.ok(f"哈希链完好：{position} 个事件，链头 {previous.hex()[:16]}…",
                  f"hash chain intact: {position} events, head {previous.hex()[:16]}…")
    return ledger


def heads_at(bundle: Bundle, positions: set[int], upto: int) -> dict[int, str]:
    """A second pass: the (already verified) link at each position a seal names."""
    heads: dict[int, str] = {}
    for number, raw in enumerate(bundle.lines("events.jsonl"), start=1):
        if number > upto:
            break
        if number in positions:
            heads[number] = json.loads(raw)["chain_hash"]
    return heads


def check_seals(ledger: Ledger, heads: dict[int, str], report: Report) -> None:
    broken, forged, signed = [], [], []
    for seal in ledger.seals:
        head = heads.get(seal.position, "")
        if not 0 < seal.position < seal.event_position:
            broken.append((seal, "所指位置不在它自己之前", "names a position not before itself"))
            continue
        if seal.kind == "publication":
            if publication_digest(seal.position, head, seal.content_hash) != seal.digest:
                broken.append((seal, "公开摘要与链头不符", "board digest does not bind the chain"))
                continue
        elif head != seal.head:
            broken.append((seal, "记的链头不在这条链上", "its head is not on this chain"))
            continue
        if seal.signature:
            key = seal.signer_key
            if key is None or key[0] != seal.key_id:
                forged.append((seal, f"密钥 {seal.key_id} 不是签名人当时登记的密钥", f"key {seal.key_id} is not the signer's key then"))
            elif not ed25519_verify(bytes.fromhex(key[1]), seal.message(seal.head or head).encode("utf-8"),
                                    bytes.fromhex(seal.signature)):
                forged.append((seal, "签名不成立", "signature does not verify"))
            else:
                signed.append(seal)
    if broken:
        seal, zh, en = broken[0]
        report.fail(f"印章 {seal.label()}：{zh}（共 {len(broken)} 个）", f"seal {seal.label()}: {en} ({len(broken)} in all)")
    else:
        report.ok(f"{len(ledger.seals)} 个印章都在链上", f"{len(ledger.seals)} seals lie on the chain")
    if ledger.bad_keys:
        report.fail(f"登记的公钥与密钥号不符：{', '.join(ledger.bad_keys)}", f"registered keys do not match their ids: {', '.join(ledger.bad_keys)}")
    if forged:
        seal, zh, en = forged[0]
        report.fail(f"印章 {seal.label()}：{zh}（共 {len(forged)} 个）", f"seal {seal.label()}: {en} ({len(forged)} in all)")
    elif signed:
        signers = sorted({f"{s.signer} {s.key_id}" for s in signed})
        report.ok(f"{len(signed)} 个签名成立（Ed25519）；签名人与密钥号：{'；'.join(signers)}（请与账本之外保存的密钥登记对照）",
                  f"{len(signed)} Ed25519 signatures verify; signers and key ids: {'; '.join(signers)}")


def check_disclosures(ledger: Ledger, report: Report) -> list[Seal]:
    """Every publication: its draft's frozen document hashes to the published content hash."""
    publications = [s for s in ledger.seals if s.kind == "publication"]
    bad = []
    for seal in publications:
        draft = ledger.drafts.get((seal.collective, seal.ref))
        if draft is None or draft[0] != seal.content_hash or content_hash(draft[1]) != seal.content_hash:
            bad.append(seal)
    if bad:
        report.fail(f"公开表 {bad[0].collective} {bad[0].ref}：内容哈希与起草时冻结的内容不符",
                    f"disclosure {bad[0].collective} {bad[0].ref}: content hash differs from the frozen draft")
    else:
        report.ok(f"{len(publications)} 份公开表与账本一致", f"{len(publications)} disclosures match the ledger")
    return publications


def check_convenience_files(bundle: Bundle, ledger: Ledger, report: Report) -> None:
    """seals.json, keys.json and disclosures.json are for reading; they must say what the events say."""
    told = {(s["kind"], s["collective"], s["ref"], s["position"], s["signature"]) for s in json.loads(bundle.read("seals.json"))}
    known = {(s.kind, s.collective, s.ref, s.position, s.signature) for s in ledger.seals}
    keys = {key_id: k["public_key"] for key_id, k in json.loads(bundle.read("keys.json")).items()}
    registered = {key_id: public for key_id, public in ledger.current_keys.values()}
    disclosures = {(d["collective"], d["number"], d["content_hash"], d["seal_digest"]) for d in json.loads(bundle.read("disclosures.json"))}
    published = {(s.collective, s.ref, s.content_hash, s.digest) for s in ledger.seals if s.kind == "publication"}
    wrong = [name for name, same in (("seals.json", told == known), ("disclosures.json", disclosures == published),
                                     ("keys.json", all(keys.get(k) == v for k, v in registered.items()))) if not same]
    if wrong:
        report.fail(f"{', '.join(wrong)} 与事件记录的不一致", f"{', '.join(wrong)} disagree with the events")


def check_external(external: list[str], digests: list[str], heads: dict[int, str], publications: list[Seal],
                   report: Report) -> None:
    for text in external:
        position, _, head = text.partition(":")
        head = head.strip().lower()
        if not position.strip().isdigit() or len(head) < 16 or heads.get(int(position), "")[:len(head)] != head:
            report.fail(f"机器之外的印章 {text} 不在这条链上", f"the outside seal {text} is not on this chain")
        else:
            report.ok(f"机器之外的印章 {text} 在链上", f"the outside seal {text} lies on the chain")
    for text in digests:
        digest = "".join(text.split()).lower()  # the board prints it in groups of four
        found = [s for s in publications if len(digest) >= 16 and s.digest.startswith(digest)]
        if found:
            report.ok(f"公开栏核对码 {text} 对应公开表 {found[0].collective} {found[0].ref}",
                      f"the board code {text} is disclosure {found[0].collective} {found[0].ref}")
        else:
            report.fail(f"公开栏核对码 {text} 不对应任何一份公开表", f"the board code {text} matches no disclosure")


def verify(path: Path, external: list[str] = (), digests: list[str] = ()) -> int:  # type: ignore[assignment]
    try:
        bundle = Bundle(path)
        manifest = json.loads(bundle.read("manifest.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        print(f"无法读取证据包 / cannot read the bundle: {error}")
        return 2
    if manifest.get("format") != FORMAT:
        print(f"不认识的格式 / unknown format: {manifest.get('format')!r}")
        return 2
    report = Report()
    check_files(bundle, manifest, report)
    try:
        ledger = check_chain(bundle, manifest, report)
        wanted = {s.position for s in ledger.seals} | {int(t.partition(":")[0]) for t in external if t.partition(":")[0].isdigit()}
        heads = heads_at(bundle, wanted, ledger.events)
        check_seals(ledger, heads, report)
        publications = check_disclosures(ledger, report)
        check_convenience_files(bundle, ledger, report)
        check_external(list(external), list(digests), heads, publications, report)
    except (OSError, KeyError, ValueError, TypeError) as error:
        report.fail(f"证据包内容不全或格式不对：{error!r}", f"the bundle is incomplete or malformed: {error!r}")
    print("结论：证据包完好" if not report.failures else "结论：证据包有问题", "/",
          "bundle intact" if not report.failures else "bundle FAILED")
    return 3 if report.failures else 0


def main(argv: list[str]) -> int:
    args, seals, digests = [], [], []
    items = iter(argv)
    for arg in items:
        if arg == "--seal":
            seals.append(next(items, ""))
        elif arg == "--digest":
            digests.append(next(items, ""))
        else:
            args.append(arg)
    if len(args) != 1:
        print("用法 / usage: python3 verify.py BUNDLE.zip|FOLDER [--seal POSITION:HEAD ...] [--digest BOARD_CODE ...]")
        return 2
    return verify(Path(args[0]), seals, digests)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
