"""Events are frozen, versioned by topic and rebuilt from JSON; the ledger is initialised once."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import catalogue, ledger, periods, vouchers  # noqa: F401 - registers every topic
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import _REGISTRY, event_class, topic_of
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import ledger_id
from tests.unit.builders import ACCOUNTANT, CASHIER, NOW, TODAY, registered

TOPIC = re.compile(r"^[a-z]+\.[A-Z][A-Za-z]+\.v[1-9][0-9]*$")


def _some_events(village: Collective, chart: Chart) -> list:
    numbered, posted = vouchers.post(
        village, chart, None, day=date(2025, 3, 5), summary="收租",
        lines=[Line(account="101", side="debit", amount_fen=100), Line(account="501", side="credit", amount_fen=100)],
        operator=CASHIER, now=NOW, today=TODAY,
    )
    original = vouchers.apply(None, posted)
    *_, reversed_ = vouchers.reverse(
        village, chart, original, periods.apply(None, numbered), number=posted.number, day=date(2025, 3, 6),
        reason="错", operator=ACCOUNTANT, now=NOW, today=TODAY,
    )
    closed = periods.close(None, None, collective=village.code, month="2025-01", start_period="2025-01",
                           log_position=7, operator=ACCOUNTANT, now=NOW)
    initialised = ledger.initialise(None, chart="2024", operator=ACCOUNTANT, now=NOW)
    return [numbered, posted, reversed_, closed, *initialised]


def test_every_registered_topic_names_a_family_a_past_tense_fact_and_a_version() -> None:
    assert len(_REGISTRY) >= 8
    for topic, cls in _REGISTRY.items():
        assert TOPIC.match(topic), topic
        assert cls.TOPIC == topic
        assert event_class(topic) is cls


def test_an_unknown_topic_is_a_programmer_error() -> None:
    with pytest.raises(AssertionError):
        event_class("voucher.Posted.v99")


def test_events_survive_a_json_round_trip_through_their_topic(village: Collective, chart: Chart) -> None:
    for event in _some_events(village, chart):
        data = event.model_dump(mode="json")
        again = event_class(topic_of(event)).model_validate(data)
        assert again == event


def test_events_are_frozen(village: Collective, chart: Chart) -> None:
    posted = _some_events(village, chart)[1]
    with pytest.raises(ValidationError):
        posted.summary = "改过"


def test_events_refuse_unknown_fields(village: Collective, chart: Chart) -> None:
    posted = _some_events(village, chart)[1]
    data = posted.model_dump(mode="json") | {"approved_by": "nobody"}
    with pytest.raises(ValidationError):
        type(posted).model_validate(data)


def test_initialise_records_the_2024_chart_once() -> None:
    [event] = ledger.initialise(None, chart="2024", operator=ACCOUNTANT, now=NOW)
    assert (event.chart, event.originator_id, event.originator_version) == ("2024", ledger_id(), 1)
    state = ledger.apply(None, event)
    assert ledger.initialise(state, chart="2024", operator=ACCOUNTANT, now=NOW) == []


def test_initialise_refuses_a_different_chart_on_an_initialised_ledger() -> None:
    state = ledger.apply(None, ledger.initialise(None, chart="2024", operator=ACCOUNTANT, now=NOW)[0])
    with pytest.raises(Refusal) as caught:
        ledger.initialise(state, chart="2004", operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "ledger.chart_mismatch"
    assert caught.value.params["existing"] == "2024"


@pytest.mark.parametrize("chart_id", ["2004", "1998", ""])
def test_initialise_refuses_books_in_any_chart_but_2024(chart_id: str) -> None:
    with pytest.raises(Refusal) as caught:
        ledger.initialise(None, chart=chart_id, operator=ACCOUNTANT, now=NOW)
    assert caught.value.code == "ledger.chart_unknown"


def test_every_collective_event_carries_its_collective_code(village: Collective, chart: Chart) -> None:
    for event in _some_events(village, chart)[:4]:
        assert event.collective == registered().code
