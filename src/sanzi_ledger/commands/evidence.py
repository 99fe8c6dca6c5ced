"""`audit export`: the evidence bundle an auditor takes away, checkable without this program.

One ZIP file holding:

    manifest.json     format, when, by whom, events, chain head, SHA-256 of every other file
    events.jsonl      the whole log with positions, exact stored bytes and chain hashes (io/jsonl.py)
    seals.json        every seal in the ledger (month closes, publications, manual seals) with
                      the head it names, its signature and the exact signed text
    keys.json         the members' registered public keys, by key id
    disclosures.json  every published disclosure: its frozen document, content hash and board digest
    flags.json        the warning flags of every collective on the day of export
    audits.json       the audit records (audits, findings, rectifications) as the views hold them
    verify.py         the standard-library verifier (integrity/bundle_verifier.py, unchanged)
    README.txt        the procedure, in Chinese and English

The bundle is built in a temporary file next to the target and renamed into
place, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity import bundle_verifier

FORMAT = bundle_verifier.FORMAT

README = """三资台账证据包 / sanzi-ledger evidence bundle
================================================

核验方法（只需要 Python 3 标准库，不需要本程序）：
    python3 verify.py 本文件.zip
或解压后：
    python3 verify.py 解压目录

它依次检查：各文件的 SHA-256 与 manifest.json 一致；events.jsonl 的哈希链逐个重算一致、
链头与清单一致；每个印章都在这条链上、每个 Ed25519 签名都成立；每份公开表的内容哈希与
公开摘要都对得上。全部通过退出码为 0，有问题为 3。

所有检查只读经哈希链核验过的事件本身；seals.json、keys.json、disclosures.json 是方便阅读的副本，
也会与事件逐一核对。通过后会列出签名人与密钥号，请与账本之外保存的密钥登记对照。

与机器之外的印章对照：结账时打印的“结账印章 位置:链头”用 --seal，公开栏上印的 16 位核对码用 --digest：
    python3 verify.py 本文件.zip --seal 位置:链头 --digest 核对码

How to check (Python 3 standard library only, no need for this program):
    python3 verify.py THIS.zip        (or an unpacked folder)
It checks every file against manifest.json, recomputes the hash chain over
events.jsonl, checks every seal lies on that chain and every Ed25519 signature
verifies, and that every published disclosure's content hash and board digest
hold. Every check reads the chain-verified events themselves; the JSON copies
are cross-checked against them. Exit 0 when all holds, 3 otherwise. Compare with
what is kept outside the machine: a printed month-close seal with --seal P:HEAD,
a board's 16-digit code with --digest CODE.
"""


@dataclasses.dataclass(frozen=True)
class Exported:
    path: Path
    events: int
    head: str
    seals: int
    disclosures: int
    flags: int
    audits: int
    chain_ok: bool


def _target(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".zip":
        raise Refusal("export.bundle_suffix", field="out", value=out)
    if path.exists():
        raise Refusal("export.out_exists", field="out", value=out)
    if not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
        raise Refusal("export.out_unwritable", field="out", value=out)
    return path


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def export_bundle(led: Ledger, out: str) -> Exported:
    from sanzi_ledger.commands.verification import chain_heads
    from sanzi_ledger.integrity.seal_checks import WATCHED, SealCollector
    from sanzi_ledger.integrity.verify import verify_chain
    from sanzi_ledger.io.jsonl import write_events

    led.ledger_state()
    target = _target(out)
    led.catch_up()
    events = io.StringIO()
    written = write_events(led.app, led.views, events)
    collector = SealCollector()
    chain = verify_chain(led.app, led.views, collector, WATCHED)
    # Only what the exported log reaches: a seal recorded during the export waits for the next one.
    sealed = [s for s in collector.seals if s.event_position <= written.events]
    heads = chain_heads(led, {s.chain_position for s in sealed}, min(chain.events, written.events))
    files = {
        "events.jsonl": events.getvalue().encode("utf-8"),
        "seals.json": _json([_seal(s, heads) for s in sealed]),
        "keys.json": _json(_keys(collector)),
        "disclosures.json": _json(disclosures := _disclosures(led, collector, written.events)),
        "flags.json": _json(flags := _flags(led)),
        "audits.json": _json(audits := _audits(led)),
        "verify.py": Path(bundle_verifier.__file__).read_bytes(),
        "README.txt": README.encode("utf-8"),
    }
    manifest = {
        "format": FORMAT, "exported_at": led.now().isoformat(timespec="seconds"), "exported_by": led.operator,
        "events": written.events, "head": written.head, "chain_verified": chain.ok,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    handle, scratch = tempfile.mkstemp(prefix=".sanzi-evidence-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr("manifest.json", _json(manifest))
            for name, data in files.items():
                bundle.writestr(name, data)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return Exported(target, written.events, written.head, len(sealed), len(disclosures),
                    sum(len(f) for f in flags.values()), len(audits["audits"]), chain.ok)


def _seal(seal, heads: dict[int, str]) -> dict:
    head = seal.chain_head or heads.get(seal.chain_position, "")
    return {
        "kind": seal.kind, "collective": seal.collective, "ref": seal.ref, "event_position": seal.event_position,
        "signer": seal.signer, "position": seal.chain_position, "head": head, "digest": seal.digest,
        "key_id": seal.key_id, "signature": seal.signature, "message": seal.message(head) if seal.signature else "",
    }


def _keys(collector) -> dict[str, dict]:
    members = {key_id: (collective, member) for (collective, member), (key_id, _) in collector.keys.items()}
    return {key_id: {"public_key": public, "collective": members.get(key_id, ("", ""))[0],
                     "member": members.get(key_id, ("", ""))[1]}
            for key_id, public in sorted(collector.public_keys.items())}


def _disclosures(led: Ledger, collector, upto: int) -> list[dict]:
    from sanzi_ledger.domain import disclosures

    out = []
    for published in collector.published:
        if published.position > upto:
            continue
        state = led.app.load(disclosures.disclosure_id(published.collective, published.number), disclosures.apply)
        if state is None or state.published is None:
            continue  # reported by audit verify; the bundle holds what the ledger has
        out.append({
            "collective": published.collective, "number": published.number, "board": state.drafted.board,
            "period": state.drafted.period, "content_hash": state.drafted.content_hash,
            "seal_position": state.published.seal_position, "seal_digest": state.published.seal_digest,
            "document": state.drafted.document,
        })
    return out


def _flags(led: Ledger) -> dict[str, list[dict]]:
    from sanzi_ledger.rules import evaluate

    codes = [row[0] for row in led.views.query("SELECT code FROM v_collectives ORDER BY code")]
    return {code: [dataclasses.asdict(flag) for flag in evaluate(led.views, code, today=led.today())] for code in codes}


def _audits(led: Ledger) -> dict[str, list[dict]]:
    out = {}
    for table, key in (("v_audits", "audits"), ("v_audit_findings", "findings")):
        with led.views.transaction() as cursor:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
            columns = cursor.columns()
            out[key] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return out
