"""The event base and the topic registry.

Every event class declares a stable, versioned TOPIC ("voucher.Posted.v1"),
stored with the event. Topics never name Python modules, so code can move
without rewriting a log that must stay readable for 30 years; a changed event
shape gets a new topic (v2) and the old class stays to read the old events.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

_REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """A fact recorded in the ledger."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    TOPIC: ClassVar[str] = ""

    originator_id: UUID
    originator_version: int
    # Recorded time (UTC), set when the command ran; the business date is a
    # separate field of the events that have one. Both are kept: they differ
    # when someone back-dates.
    timestamp: datetime
    operator: str

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        topic = cls.__dict__.get("TOPIC")
        if topic:
            assert topic not in _REGISTRY, f"duplicate topic {topic}"
            _REGISTRY[topic] = cls


class CollectiveEvent(Event):
    """An event of one collective's books; `collective` is its code."""

    collective: str


def topic_of(event: Event) -> str:
    topic = type(event).TOPIC
    assert topic, f"{type(event).__name__} has no TOPIC"
    return topic


def event_class(topic: str) -> type[Event]:
    cls = _REGISTRY.get(topic)
    if cls is None:
        from sanzi_ledger.domain.catalogue import load_family

        load_family(topic)  # its module registers its topics when imported
        cls = _REGISTRY.get(topic)
        assert cls is not None, f"unknown event topic {topic!r}"
    return cls


def utc_now() -> datetime:
    return datetime.now(UTC)
