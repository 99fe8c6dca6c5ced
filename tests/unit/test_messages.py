"""Every refusal raised anywhere in src/ has a Chinese and an English message that renders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import sanzi_ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.messages import MESSAGES, render_refusal

SRC = Path(sanzi_ledger.__file__).parent
BUILTIN = {"record", "field", "value"}


def _refusal_sites() -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, 'file:line', keyword names) for every Refusal(...) call in the package."""
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "Refusal":
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            assert node.args and isinstance(node.args[0], ast.Constant), f"{where}: the code must be a literal"
            assert all(k.arg for k in node.keywords), f"{where}: no **params, so the message can be checked"
            sites.append((node.args[0].value, where, tuple(k.arg for k in node.keywords)))
    return sites


SITES = _refusal_sites()


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_scan_finds_the_refusals_of_every_layer() -> None:
    codes = {code for code, _, _ in SITES}
    assert len(SITES) >= 50
    assert {"money.format", "voucher.unbalanced", "period.closed", "store.url", "operator.missing"} <= codes


@pytest.mark.parametrize(("code", "where", "keywords"), SITES, ids=[f"{c}@{w}" for c, w, _ in SITES])
def test_every_refusal_code_has_a_chinese_and_english_message_that_renders(
    code: str, where: str, keywords: tuple[str, ...],
) -> None:
    assert code in MESSAGES, f"{where}: {code} has no message"
    zh, en = MESSAGES[code]
    assert zh.strip() and en.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{code}: the zh message has no Chinese"
    assert en.isascii(), f"{code}: the en message is not English"
    for template in (zh, en):
        missing = _placeholders(template) - BUILTIN - set(keywords)
        assert not missing, f"{where}: {code} needs {missing}"
    params = {k: f"<{k}>" for k in keywords if k not in BUILTIN}
    refusal = Refusal(code, field="amount", value="12.345", record="凭证", **params)
    for lang in ("zh", "en"):
        text = refusal.render(lang)
        assert "{" not in text and "}" not in text
        for value in params.values():
            if f"{{{value[1:-1]}}}" in MESSAGES[code][0 if lang == "zh" else 1]:
                assert value in text


def test_every_message_is_used_somewhere() -> None:
    unused = set(MESSAGES) - {code for code, _, _ in SITES}
    assert not unused, f"dead messages: {sorted(unused)}"


def test_a_refusal_renders_record_field_value_and_rule_in_chinese() -> None:
    refusal = Refusal("money.too_many_decimals", field="amount", value="1.234", record="凭证")
    assert refusal.render("zh") == "凭证，金额=1.234：金额最多两位小数（到分）"


def test_a_refusal_renders_record_field_value_and_rule_in_english() -> None:
    refusal = Refusal("money.too_many_decimals", field="amount", value="1.234", record="凭证")
    assert refusal.render("en") == "凭证, amount=1.234: an amount has at most two decimals (fen)"
    assert str(refusal) == refusal.render("en")


def test_an_indexed_field_keeps_its_index_when_translated() -> None:
    refusal = Refusal("money.not_positive", field="credit[3]", value="0.00", record="凭证")
    assert refusal.render("zh").startswith("凭证，贷方[3]=0.00：")
    assert refusal.render("en").startswith("凭证, credit[3]=0.00: ")


def test_a_refusal_without_record_or_field_renders_the_rule_alone() -> None:
    assert Refusal("operator.missing").render("en") == MESSAGES["operator.missing"][1]


def test_render_refusal_defaults_to_chinese() -> None:
    refusal = Refusal("text.empty", field="summary")
    assert render_refusal(refusal) == refusal.render("zh") == "摘要：不能为空"


def test_a_refusal_survives_pickling_whole() -> None:
    # The import's reading process (io/reading.py) sends its refusals back pickled.
    import pickle

    from sanzi_ledger.errors import Refusal

    refusal = Refusal("import.encoding_broken", field="encoding", value="UTF-8", record="第 3 行", row=3)
    back = pickle.loads(pickle.dumps(refusal))
    assert (back.code, back.field, back.value, back.record, back.params) == ("import.encoding_broken", "encoding", "UTF-8", "第 3 行", {"row": 3})
    assert back.render("zh") == refusal.render("zh") and str(back) == str(refusal)
