"""Free text: bounded, trimmed, and free of characters that hide in a printout."""

from __future__ import annotations

import pytest

from sanzi_ledger.errors import Refusal
from sanzi_ledger.text import NAME_CHARS_MAX, clean_text


def test_clean_text_strips_surrounding_space_including_ideographic_space() -> None:
    assert clean_text("\u3000 收到租金 \t", field="summary", chars_max=200) == "收到租金"


@pytest.mark.parametrize(
    "text",
    ["收到\x07租金", "租金\u202e321", "a\nb", "a\rb", "零\u200b宽", "\x00", "\ufeff租金", "a\x7fb"],
)
def test_clean_text_refuses_control_and_format_characters(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        clean_text(text, field="summary", chars_max=200, record="凭证")
    assert (caught.value.code, caught.value.field, caught.value.record) == ("text.control_chars", "summary", "凭证")


def test_clean_text_counts_characters_not_bytes_and_allows_exactly_the_limit() -> None:
    name = "村" * NAME_CHARS_MAX
    assert clean_text(name, field="name", chars_max=NAME_CHARS_MAX) == name


def test_clean_text_refuses_overlong_text_naming_its_length_and_the_limit() -> None:
    with pytest.raises(Refusal) as caught:
        clean_text("村" * (NAME_CHARS_MAX + 1), field="name", chars_max=NAME_CHARS_MAX)
    refusal = caught.value
    assert refusal.code == "text.too_long"
    assert (refusal.params["chars"], refusal.params["chars_max"]) == (NAME_CHARS_MAX + 1, NAME_CHARS_MAX)
    assert f"{NAME_CHARS_MAX + 1} characters, limit {NAME_CHARS_MAX}" in refusal.render("en")
    assert len(refusal.value) < NAME_CHARS_MAX  # the echoed value is shortened


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_clean_text_refuses_empty_text_when_required(text: str | None) -> None:
    with pytest.raises(Refusal) as caught:
        clean_text(text, field="summary", chars_max=200)
    assert caught.value.code == "text.empty"


@pytest.mark.parametrize("text", ["", "  ", None])
def test_clean_text_returns_empty_string_when_optional(text: str | None) -> None:
    assert clean_text(text, field="resolution", chars_max=100, required=False) == ""


def test_clean_text_checks_control_characters_in_optional_text_too() -> None:
    with pytest.raises(Refusal) as caught:
        clean_text("决\x1b议", field="resolution", chars_max=100, required=False)
    assert caught.value.code == "text.control_chars"


def test_clean_text_refuses_lone_surrogates_that_cannot_be_stored_as_utf8() -> None:
    with pytest.raises(Refusal) as caught:
        clean_text("租\udcb6金", field="summary", chars_max=200)
    assert caught.value.code == "text.control_chars"


@pytest.mark.parametrize("text", ["收到\u2028租金", "收到\u2029租金"])
def test_clean_text_refuses_unicode_line_and_paragraph_separators(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        clean_text(text, field="summary", chars_max=200)
    assert caught.value.code == "text.control_chars"
