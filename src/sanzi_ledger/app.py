"""The eventsourcing Application: our pydantic mapper, store selection, loading.

eventsourcing 9.5 on PyPI has no pydantic support, so the mapper is ours: an
event is stored as its JSON (`model_dump_json`) under its versioned topic and
rebuilt with `model_validate_json`, which validates it again on the way in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from sanzi_ledger.domain.events import Event, event_class, topic_of
from sanzi_ledger.store import StoreConfig

S = TypeVar("S")
Fold = Callable[[S | None, Event], S | None]


class PydanticMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        assert isinstance(domain_event, Event), domain_event
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=topic_of(domain_event),
            state=domain_event.model_dump_json().encode("utf-8"),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return event_class(stored_event.topic).model_validate_json(stored_event.state)


class LedgerApplication(Application[UUID]):
    name = "sanzi"

    def __init__(self, config: StoreConfig, *, create: bool = False) -> None:
        self.config = config
        super().__init__(env=config.eventsourcing_env(create=create))

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper(transcoder=JSONTranscoder())

    def load(self, aggregate_id: UUID, fold: Fold[S]) -> S | None:
        """Fold every event of one aggregate."""
        state: S | None = None
        for event in self.events.get(aggregate_id):
            state = fold(state, event)  # type: ignore[arg-type]
        return state

    def load_last(self, aggregate_id: UUID, fold: Fold[S]) -> S | None:
        """For aggregates whose every event carries the whole state (periods)."""
        last = list(self.events.get(aggregate_id, desc=True, limit=1))
        return fold(None, last[0]) if last else None  # type: ignore[arg-type]

    def record(self, events: Iterable[Event]) -> int:
        """Save events of any number of aggregates in ONE transaction; return the
        log position of the last one."""
        recordings = self.save(*events)
        return max((r.notification.id for r in recordings), default=0)

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0
