"""What the setup screen asks the app to do, Posting style: one message per change to
the group, nested in ``SetupAsks`` (the base of ``SetupScreen``). The app handles each
with ``@on``, calling ``application.roster`` (or starting the session, or opening the
template editor), and answers through the screen's methods declared below.

Apart from ``setup.py`` so that the app names these messages without importing the
setup screen and its widgets, which are not on the way to ``balint-tui demo``'s first
frame.
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen

from balint_tui.application.roster import Saved
from balint_tui.domain.model import Group, SessionPlan, Template


class SetupAsks(Screen[None]):
    """The setup screen's messages to the app, and its answers to them."""

    group: Group | None  # the group shown (None: a new one, not named yet)

    class Asked(Message):
        """A change the app makes and saves for the screen; ``where`` shows why not."""

        where = "#member-msg"

        def __init__(self, setup: SetupAsks, group_id: str) -> None:
            super().__init__()
            self.setup = setup
            self.group_id = group_id

    class NameGroup(Asked):
        """Create a group called ``text`` (``group_id`` ""), or rename the group."""

        where = "#group-msg"

        def __init__(self, setup: SetupAsks, group_id: str, text: str) -> None:
            super().__init__(setup, group_id)
            self.text = text

    class NameMember(Asked):
        """Add a member called ``text``, or rename the member ``renaming``."""

        def __init__(
            self, setup: SetupAsks, group_id: str, text: str, renaming: str | None
        ) -> None:
            super().__init__(setup, group_id)
            self.text = text
            self.renaming = renaming

    class MemberAsked(Asked):
        def __init__(self, setup: SetupAsks, group_id: str, member_id: str) -> None:
            super().__init__(setup, group_id)
            self.member_id = member_id

    class RetireMember(MemberAsked):
        """The member leaves the roster; past sessions keep them."""

    class BringBack(MemberAsked):
        """A retired member returns to the roster, history kept."""

    class MoveMember(MemberAsked):
        """One place up (``step`` -1) or down (+1) the roster."""

        def __init__(self, setup: SetupAsks, group_id: str, member_id: str, step: int) -> None:
            super().__init__(setup, group_id, member_id)
            self.step = step

    class StartSession(Asked):
        """Start with ``plan``, everyone on the roster but those ticked ``absent`` (ids).

        The roster is read again when the app starts it: a member whose Enter came just
        before the start key is saved by then, and takes part."""

        where = "#plan-msg"

        def __init__(
            self, setup: SetupAsks, group: Group, plan: SessionPlan, absent: frozenset[str]
        ) -> None:
            super().__init__(setup, group.id)
            self.group = group
            self.plan = plan
            self.absent = absent

    class EditTemplates(Message):
        """Open the template editor on ``template``; ``setup.templates_edited`` after."""

        def __init__(self, setup: SetupAsks, template: Template) -> None:
            super().__init__()
            self.setup = setup
            self.template = template

    class DefaultPrompts(Message):
        """New groups start with the prompt level ``level`` (the settings' ``prompts``)."""

        def __init__(self, setup: SetupAsks, level: str) -> None:
            super().__init__()
            self.setup = setup
            self.level = level

    # ------------------------------------------------------------ the screen's answers
    def message(self, where: str, text: str, *, error: bool = False) -> None:
        """One line under the field ``where`` (an error is marked as one)."""
        raise NotImplementedError

    def saved(self, asked: Asked, saved: Saved) -> None:
        """What ``asked`` changed was saved: ``saved.group`` is the group now."""
        raise NotImplementedError

    def templates_edited(self, name: str | None) -> None:
        """The template editor closed: ``name`` saved or deleted, None if cancelled."""
        raise NotImplementedError


__all__ = ["SetupAsks"]
