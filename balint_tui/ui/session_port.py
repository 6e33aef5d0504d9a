"""What the screens need from a running session (``application.live.LiveSession``).

A Protocol, so tests may hand the app any object of this shape; no Textual import.
"""

from __future__ import annotations

from typing import Any, Protocol

from balint_tui.domain import events as ev
from balint_tui.domain.engine import Engine
from balint_tui.domain.model import Group
from balint_tui.domain.state import EventRejected
from balint_tui.store.errors import StoreError

# Errors a key press may meet: said in one line, never a traceback.
USER_ERRORS = (EventRejected, StoreError)


class LiveSessionPort(Protocol):
    session_id: str
    group: Group
    engine: Engine
    names: dict[str, str]

    def record(self, event_type: type[Any], **fields: Any) -> ev.AnyEvent: ...

    def record_group(self, items: list[tuple[type[Any], dict[str, Any]]]) -> list[ev.AnyEvent]: ...

    def tick(self) -> Any: ...

    def take_a_break(self, at: float | None = None) -> bool: ...

    def attach_rules(self, rules_factory: Any) -> None: ...

    def finish(self) -> str: ...

    def close(self) -> int: ...

    # writing problems (disk full, folder gone): events are kept in memory meanwhile
    @property
    def pending(self) -> int: ...

    @property
    def write_problem(self) -> str | None: ...

    def take_write_notice(self) -> str | None: ...

    def retry_writes(self) -> bool: ...
