"""`audit export`: the evidence bundle, checked by its own stdlib verifier (SQLite and PostgreSQL).

The verifier runs as a separate `python3 -I verify.py` process from the
unpacked bundle: isolated mode, no site-packages, so it cannot lean on this
program or any dependency.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile

import pytest

from sanzi_ledger.commands import books, evidence, seals, setup
from sanzi_ledger.errors import Refusal
from tests.integration.test_seals import as_, keygen, led, publish_january  # noqa: F401 - the fixture
from tests.support import ACCOUNTANT, post, snapshot

AUDITOR = "孙审计"


def _verify(folder, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", str(folder / "verify.py"), str(folder), *args],
                          capture_output=True, text=True, timeout=120, cwd=folder, check=False)


def _auditor(led):  # noqa: F811 - led is the fixture
    if AUDITOR not in led.collective().members:
        setup.add_member(as_(led, ACCOUNTANT), setup.AddMember(name=AUDITOR, role="auditor"))
    return as_(led, AUDITOR)


def _bundle(led, tmp_path, name: str = "evidence.zip"):  # noqa: F811
    _auditor(led)
    done = evidence.export_bundle(as_(led, AUDITOR), str(tmp_path / name))
    folder = tmp_path / name.replace(".zip", "")
    with zipfile.ZipFile(done.path) as bundle:
        bundle.extractall(folder)
    return done, folder


def _rewrite(path, edit) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    edit(lines)
    path.write_text("".join(lines), "utf-8")


def test_a_bundle_verifies_alone_and_holds_everything(led, tmp_path):  # noqa: F811
    key = keygen(led, tmp_path / "li.pem")
    books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01", key=str(tmp_path / "li.pem")))
    seals.take_seal(as_(led, ACCOUNTANT), seals.TakeSeal(key=str(tmp_path / "li.pem"), note="乡镇检查"))
    publish_january(led, tmp_path / "board", key=str(tmp_path / "li.pem"))
    done, folder = _bundle(led, tmp_path)
    assert done.chain_ok and done.events == led.app.head() and done.disclosures == 1 and done.seals >= 2

    result = _verify(folder)
    assert result.returncode == 0, result.stdout
    assert "哈希链完好" in result.stdout and "签名成立" in result.stdout and "1 份公开表与账本一致" in result.stdout
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["events"] == done.events and manifest["head"] == done.head
    keys = json.loads((folder / "keys.json").read_text("utf-8"))
    assert keys[key]["member"] == ACCOUNTANT
    assert all(json.loads(line)["chain_hash"] for line in (folder / "events.jsonl").open(encoding="utf-8"))
    # seals kept outside: the last head, and a board code typed as printed, in groups of four
    code = json.loads((folder / "disclosures.json").read_text("utf-8"))[0]["seal_digest"][:16]
    grouped = " ".join(code[i:i + 4] for i in range(0, 16, 4))
    outside = _verify(folder, "--seal", f"{done.events}:{done.head[:16]}", "--digest", grouped)
    assert outside.returncode == 0 and "对应公开表" in outside.stdout


def test_the_verifier_names_each_kind_of_tampering(led, tmp_path):  # noqa: F811
    keygen(led, tmp_path / "li.pem")
    books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01"))
    seals.take_seal(as_(led, ACCOUNTANT), seals.TakeSeal(key=str(tmp_path / "li.pem")))
    publish_january(led, tmp_path / "board")
    _, folder = _bundle(led, tmp_path)
    events = folder / "events.jsonl"
    original = events.read_text("utf-8")

    # an amount changed in the readable payload only: files no longer match the manifest, and the payload lies
    rent = next(i for i, line in enumerate(original.splitlines()) if '"amount_fen":4860000' in line)
    _rewrite(events, lambda lines: lines.__setitem__(rent, lines[rent].replace('"amount_fen":4860000', '"amount_fen":4800000')))
    failed = _verify(folder)
    assert failed.returncode == 3 and "文件与清单不符：events.jsonl" in failed.stdout
    assert f"第 {rent + 1} 个事件的可读内容与存储字节不符" in failed.stdout

    # a whole event removed
    events.write_text(original, "utf-8")
    _rewrite(events, lambda lines: lines.pop(5))
    assert "第 6 个位置缺失或顺序不对" in _verify(folder).stdout

    # the readable copy of the seals edited: the checks read only the events, and the copy is named
    events.write_text(original, "utf-8")
    sealed = json.loads((folder / "seals.json").read_text("utf-8"))
    next(s for s in sealed if s["signature"])["signature"] = "00" * 64
    (folder / "seals.json").write_text(json.dumps(sealed, ensure_ascii=False), "utf-8")
    assert "seals.json 与事件记录的不一致" in _verify(folder).stdout

    # outside seals and board codes that the chain does not pass through
    outside = _verify(folder, "--seal", "3:" + "ab" * 8, "--digest", "0123456789abcdef")
    assert "不在这条链上" in outside.stdout and "不对应任何一份公开表" in outside.stdout


def _forge(folder, target: int, edit) -> None:
    """What a forger with the bundle and this program's source does: rewrite event `target`,
    recompute every later link, move the seals' recorded heads onto the new chain, recompute
    the board digests and the manifest, and keep the old signatures (the private key is not theirs)."""
    from sanzi_ledger.integrity import bundle_verifier as v

    lines = (folder / "events.jsonl").read_text("utf-8").splitlines()
    previous, heads, out = v.GENESIS, {}, []
    for number, line in enumerate(lines, start=1):
        event = json.loads(line)
        data = json.loads(base64.b64decode(event["state_b64"]))
        if number == target:
            edit(data)
        if "chain_head" in data and data.get("chain_position") in heads:
            data["chain_head"] = heads[data["chain_position"]]
        if "seal_digest" in data:
            data["seal_digest"] = v.publication_digest(data["seal_position"], heads[data["seal_position"]], data["content_hash"])
        state = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        previous = v.link(previous, number, event["originator_id"], event["originator_version"], event["topic"], state)
        heads[number] = previous.hex()
        event.update(payload=data, state_b64=base64.b64encode(state).decode(), chain_hash=previous.hex())
        out.append(json.dumps(event, ensure_ascii=False))
    (folder / "events.jsonl").write_text("\n".join(out) + "\n", "utf-8")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["head"] = previous.hex()
    manifest["files"]["events.jsonl"] = hashlib.sha256((folder / "events.jsonl").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def test_a_history_rewritten_with_every_link_recomputed_fails_at_its_signed_seals(led, tmp_path):  # noqa: F811
    key = str(tmp_path / "li.pem")
    keygen(led, tmp_path / "li.pem")
    books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01", key=key))
    seals.take_seal(as_(led, ACCOUNTANT), seals.TakeSeal(key=key))
    _, folder = _bundle(led, tmp_path)
    lines = (folder / "events.jsonl").read_text("utf-8").splitlines()
    rent = next(i for i, line in enumerate(lines, start=1) if '"amount_fen":4860000' in line)

    def skim(data: dict) -> None:
        for line in data["lines"]:
            line["amount_fen"] -= 100_000  # 1,000 yuan less rent, on both sides

    _forge(folder, rent, skim)
    forged = _verify(folder)
    assert forged.returncode == 3 and "哈希链完好" in forged.stdout  # the chain alone is consistent again
    assert "签名不成立（共 2 个）" in forged.stdout  # but the close and the seal were signed over the old heads


def test_export_refusals_write_nothing(led, tmp_path):  # noqa: F811
    post(led, "2025-01-08", {"513": 10_000}, {"102": 10_000})
    out = tmp_path / "out"
    out.mkdir()
    (out / "taken.zip").write_bytes(b"x")
    _auditor(led)
    before = snapshot(led)
    for target, code in ((out / "evidence.tar", "export.bundle_suffix"), (out / "taken.zip", "export.out_exists"),
                         (out / "missing" / "e.zip", "export.out_unwritable")):
        with pytest.raises(Refusal) as error:
            evidence.export_bundle(as_(led, AUDITOR), str(target))
        assert error.value.code == code and error.value.field == "out"
    assert snapshot(led) == before
    assert [p.name for p in out.iterdir()] == ["taken.zip"] and (out / "taken.zip").read_bytes() == b"x"
