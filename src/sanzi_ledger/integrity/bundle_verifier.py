#!/usr/bin/env python3
"""Verify a sanzi-ledger evidence bundle with nothing but the Python standard library.

This file is shipped, unchanged, inside every bundle made by `sanzi audit export`
(as `verify.py`), so that an auditor, a court or a villager can check the
evidence in twenty years without this program, its dependencies or its database:

    python3 verify.py BUNDLE.zip [--seal POSITION:HEAD ...]     (or a FOLDER)

What it checks, in order (docs/integrity.md, "证据包"):
  1. every file listed in manifest.json has the SHA-256 the manifest states;
  2. the hash chain: every event's link recomputes from the previous link, its
     position and the event's exact stored bytes; the last link is the head
     the manifest states;
  3. every seal (month closes, publications, manual seals) names a link that is
     on this chain, and every Ed25519 signature on a seal verifies against the
     member's public key recorded in the ledger (RFC 8032, implemented below);
  4. every published disclosure's content hash is the SHA-256 of its document,
     and its board digest binds that content to the chain head at publication;
  5. every seal kept outside the machine (`--seal POSITION:HEAD`, typed from the
     board or a printed month-close seal) lies on this chain.

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


def check_files(bundle: Bundle, manifest: dict, report: Report) -> None:
    bad = [name for name, digest in sorted(manifest["files"].items())
           if hashlib.sha256(bundle.read(name)).hexdigest() != digest]
    if bad:
        report.fail(f"文件与清单不符：{', '.join(bad)}", f"files differ from the manifest: {', '.join(bad)}")
    else:
        report.ok(f"{len(manifest['files'])} 个文件与清单一致", f"{len(manifest['files'])} files match the manifest")


def check_chain(bundle: Bundle, manifest: dict, report: Report) -> dict[int, str]:
    """Recompute every link; return {position: head hex} for the seal checks."""
    heads: dict[int, str] = {}
    previous, position = GENESIS, 0
    for raw in bundle.lines("events.jsonl"):
        event = json.loads(raw)
        position += 1
        if event["position"] != position:
            report.fail(f"第 {position} 个位置缺失或顺序不对", f"position {position} missing or out of order")
            return heads
        state = base64.b64decode(event["state_b64"])
        previous = link(previous, position, event["originator_id"], event["originator_version"], event["topic"], state)
        if previous.hex() != event["chain_hash"]:
            report.fail(f"第 {position} 个事件与其链接不符（事件或链接被改动）",
                        f"event {position} does not match its link (event or link altered)")
            return heads
        if json.loads(state) != event["payload"]:
            report.fail(f"第 {position} 个事件的可读内容与存储字节不符", f"event {position}: payload differs from stored bytes")
            return heads
        heads[position] = event["chain_hash"]
    if position != manifest["events"] or previous.hex() != (manifest["head"] or GENESIS.hex()):
        report.fail(f"事件数或链头与清单不符（{position} 个，清单 {manifest['events']} 个）",
                    f"event count or head differs from the manifest ({position} vs {manifest['events']})")
    else:
        report.ok(f"哈希链完好：{position} 个事件，链头 {previous.hex()[:16]}…",
                  f"hash chain intact: {position} events, head {previous.hex()[:16]}…")
    return heads


def check_seals(seals: list[dict], keys: dict[str, dict], heads: dict[int, str], report: Report) -> None:
    bad_heads = [s for s in seals if s["position"] and heads.get(s["position"]) != s["head"]]
    if bad_heads:
        first = bad_heads[0]
        report.fail(f"印章不在链上：{first['kind']} {first['ref']}（位置 {first['position']}）",
                    f"a seal is not on the chain: {first['kind']} {first['ref']} (position {first['position']})")
    else:
        report.ok(f"{len(seals)} 个印章都在链上", f"{len(seals)} seals lie on the chain")
    signed = [s for s in seals if s.get("signature")]
    forged = []
    for seal in signed:
        key = keys.get(seal["key_id"])
        if key is None or not ed25519_verify(bytes.fromhex(key["public_key"]), seal["message"].encode("utf-8"),
                                             bytes.fromhex(seal["signature"])):
            forged.append(seal)
    if forged:
        report.fail(f"签名不成立：{forged[0]['kind']} {forged[0]['ref']}", f"a signature fails: {forged[0]['kind']} {forged[0]['ref']}")
    elif signed:
        report.ok(f"{len(signed)} 个签名成立（Ed25519）", f"{len(signed)} Ed25519 signatures verify")


def check_disclosures(disclosures: list[dict], heads: dict[int, str], report: Report) -> None:
    bad = []
    for item in disclosures:
        head = heads.get(item["seal_position"], "")
        if content_hash(item["document"]) != item["content_hash"]:
            bad.append((item, "内容哈希不符", "content hash differs"))
        elif publication_digest(item["seal_position"], head, item["content_hash"]) != item["seal_digest"]:
            bad.append((item, "公开摘要与链头不符", "board digest does not bind to the chain"))
    if bad:
        item, zh, en = bad[0]
        report.fail(f"公开表 {item['collective']} {item['number']}：{zh}", f"disclosure {item['collective']} {item['number']}: {en}")
    else:
        report.ok(f"{len(disclosures)} 份公开表与账本一致", f"{len(disclosures)} disclosures match the ledger")


def check_external(external: list[str], heads: dict[int, str], report: Report) -> None:
    for text in external:
        position, _, head = text.partition(":")
        head = head.strip().lower()
        if not position.strip().isdigit() or len(head) < 16 or heads.get(int(position), "")[:len(head)] != head:
            report.fail(f"机器之外的印章 {text} 不在这条链上", f"the outside seal {text} is not on this chain")
        else:
            report.ok(f"机器之外的印章 {text} 在链上", f"the outside seal {text} lies on the chain")


def verify(path: Path, external: list[str] = ()) -> int:  # type: ignore[assignment]
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
    heads = check_chain(bundle, manifest, report)
    check_seals(json.loads(bundle.read("seals.json")), json.loads(bundle.read("keys.json")), heads, report)
    check_disclosures(json.loads(bundle.read("disclosures.json")), heads, report)
    check_external(list(external), heads, report)
    print("结论：证据包完好" if not report.failures else "结论：证据包有问题", "/",
          "bundle intact" if not report.failures else "bundle FAILED")
    return 3 if report.failures else 0


def main(argv: list[str]) -> int:
    args, seals = [], []
    items = iter(argv)
    for arg in items:
        if arg == "--seal":
            seals.append(next(items, ""))
        else:
            args.append(arg)
    if len(args) != 1:
        print("用法 / usage: python3 verify.py BUNDLE.zip|FOLDER [--seal POSITION:HEAD ...]")
        return 2
    return verify(Path(args[0]), seals)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
