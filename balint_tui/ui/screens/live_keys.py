"""The live screen's members and keys: each member's own key (as the keymap maps it),
the page of members 13 to 20, the member a mark is about (``pick_mark_member``), the
help's and the footer's keys as mapped, and the start-up line about an action a keymap
left without a key. A mix-in of ``LiveScreen``
(it uses the screen's state, chooser, ``record`` and ``tell``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from balint_tui.domain import events as ev
from balint_tui.domain.vocabulary import MARK_LABELS
from balint_tui.ui.choices import Choice, Picked
from balint_tui.ui.keys import LIVE_BINDINGS, MEMBER_KEYS, PAGE_SIZE
from balint_tui.ui.mapped_keys import MappedKeys, unmapped
from balint_tui.ui.widgets.chooser import key_label

if TYPE_CHECKING:
    from balint_tui.domain.state import SessionState
    from balint_tui.ui.screens.help import HelpSection
    from balint_tui.ui.widgets.prompts import PromptsPanel

PAGE_TIMEOUT_S = 5.0  # the page of members 13-20 goes back to page 1 after this


class LiveKeys:
    """Mixed into ``LiveScreen``."""

    keys: MappedKeys
    _page_timer: Any
    _member_labels: tuple[int, tuple[str, ...]] | None
    app: Any
    record: Callable[..., bool]
    tell: Callable[..., None]
    name_of: Callable[[str], str]
    set_timer: Callable[..., Any]

    if TYPE_CHECKING:
        @property
        def state(self) -> SessionState: ...
        @property
        def chooser(self) -> PromptsPanel: ...

    def may_ask(self, presenter: str | None) -> Callable[[str], bool]:
        """Who the ask chooser offers: members in the room, the presenter aside (as the
        queue chooser offers only members in the room)."""
        present = self.state.present
        return lambda m: m != presenter and m in present

    def action_pause(self) -> None:
        """A break: nobody holds the floor, no airtime or silence runs; the same key
        again ends it with a silence (the group is back, nobody speaks yet)."""
        if self.state.paused_since is None:
            self.record(ev.Pause)
        elif self.record(ev.Silence):
            self.tell("Break over: the silence timer runs until someone speaks.")

    def _warn_unmapped(self) -> None:
        """One line for every keymap problem at once (one notice shows at a time): a
        live binding id the keymap gives that no key has (a typo), and the actions of
        this screen it left without any key."""
        known = {b.id for b in LIVE_BINDINGS}
        unknown = sorted(k for k in getattr(self.app, "_keymap", {}) or {}
                         if k.startswith("live.") and k not in known)
        problems = []
        if unknown:
            problems.append(f"no such key binding {', '.join(unknown)[:60]} "
                            "(README, Keys: ids like live.silence)")
        missing = unmapped(self.keys, LIVE_BINDINGS)
        if missing:
            ids = [(b, b.id or "") for b in missing]
            names = [b.description for b, id_ in ids if not id_.startswith("live.floor.")]
            floor = [id_.rsplit(".", 1)[1] for _, id_ in ids if id_.startswith("live.floor.")]
            if floor:
                names.append("floor to member " + ", ".join(floor))
            quits = any(b.id == "live.quit" for b in missing)
            problems.append("without a key: " + ", ".join(names)
                            + (" (ctrl+q still quits)" if quits else ""))
        if problems:
            self.tell("Keymap: " + "; ".join(problems) + "; ctrl+p reaches every action.",
                      error=True)

    def action_page(self) -> None:
        """Members 13 to 20 of a large group: their page of the floor keys, shown in the
        prompts panel for one key; Escape, or 5 s without a key, goes back to page 1."""
        first, pages = self.member_pages(lambda m: True)
        if not pages:  # said, not silent: > does something in every group
            self.tell(f"No members {PAGE_SIZE + 1}-20 in this group.")
            return
        self.chooser.open(
            "Floor to",
            first,
            lambda picked: picked and self.record(ev.Speak, who=picked.value) and None,
            pages=pages,
            page=1,
        )
        if self._page_timer is not None:
            self._page_timer.stop()
        self._page_timer = self.set_timer(PAGE_TIMEOUT_S, self._page_timed_out)

    def _page_timed_out(self) -> None:
        self._page_timer = None
        chooser = self.chooser
        if chooser.is_open and chooser.title_text == "Floor to":
            chooser.close(None)

    def member_key_labels(self) -> tuple[str, ...]:
        """Each member's key as shown (``>1`` for member 13), roster order (kept: the
        roster and the keymap do not change during a session)."""
        count = len(self.state.members)
        cached = self._member_labels
        if cached is not None and cached[0] == count and self.keys.by_id:
            return cached[1]
        own = [key_label(k) if k else "" for k in self.member_keys()]
        labels = tuple(
            ("" if i < PAGE_SIZE else ">") + own[i % PAGE_SIZE] if own[i % PAGE_SIZE] else ""
            for i in range(count)
        )
        self._member_labels = (count, labels)
        return labels

    def member_keys(self) -> list[str]:
        """The key names of member 1 to 12 as mapped ("" for one the keymap unbound)."""
        if not self.keys.by_id:
            return list(MEMBER_KEYS)
        return [self.keys.first(f"live.floor.{i + 1}") for i in range(PAGE_SIZE)]

    def member_pages(
        self, want: Callable[[str], bool]
    ) -> tuple[list[Choice], list[tuple[str, list[Choice]]]]:
        """The members ``want`` keeps, each on their own key: members 1 to 12, and the
        pages of the next twelve (named like "members 13-20")."""
        keys = self.member_keys()
        members = self.state.members
        pages: list[list[Choice]] = []
        names: list[str] = []
        for start in range(0, len(members), PAGE_SIZE):
            chunk = members[start:start + PAGE_SIZE]
            names.append(f"members {start + 1}-{start + len(chunk)}" if len(chunk) > 1
                         else f"member {start + 1}")
            pages.append([
                Choice(keys[i], self.name_of(m), m)
                for i, m in enumerate(chunk)
                if want(m) and keys[i]
            ])
        if not pages:
            return [], []
        return pages[0], list(zip(names[1:], pages[1:], strict=True))

    def pick_mark_member(self, kind: str) -> None:
        """After the letter of a mark that may name a member: a number names one;
        enter or Escape records the mark about no one, or, for presenter distress in a
        case, about the presenter (the mark's kind names them: no member is stored)."""
        state = self.state
        case = state.case
        presenter = case.presenter if case is not None and kind == "presenter_distress" else None
        if presenter not in state.present:
            presenter = None
        default = f"the presenter ({self.name_of(presenter)})" if presenter else "no one"
        choices, pages = self.member_pages(lambda m: m in state.present)
        choices.append(Choice("enter", default, ""))
        pages = [(name, [*page, Choice("enter", default, "")]) for name, page in pages]

        def done(picked: Picked | None) -> None:
            member = picked.value if picked is not None and picked.value else None
            if self.record(ev.Mark, kind=kind, who=member):
                about = f" ({self.name_of(member)})" if member is not None else ""
                self.tell(f"Marked: {MARK_LABELS[kind]}{about}.")

        label = MARK_LABELS[kind].capitalize()
        self.chooser.open(
            label if presenter else f"{label}: about whom?",
            choices,
            done,
            # short: the title fits whole at 80 columns, with a second page's name too
            hint=(f"enter/Esc: {default} · a key: another member" if presenter
                  else "enter/Esc: no one"),
            pages=pages,
        )

    def help_sections(self) -> list[HelpSection]:
        from balint_tui.ui.screens.live_help import live_help

        return live_help(
            self.keys, LIVE_BINDINGS, self.key_display,
            paged=len(self.state.members) > PAGE_SIZE,
        )

    def footer_key_display(self, binding: Binding) -> str | None:
        """The footer's one entry for the member keys: first and last, as mapped."""
        if binding.id != "live.floor.1":
            return None
        keys = [self.key_display(k) for k in self.member_keys() if k]
        return f"{keys[0]}…{keys[-1]}" if len(keys) > 1 else None

    def key_of(self, binding_id: str) -> str:
        """The key of a binding as mapped, as shown ("ctrl+p" when it has none)."""
        key = self.keys.first(binding_id)
        if not self.keys.by_id:  # before mount: the default
            key = next((b.key.split(",")[0] for b in LIVE_BINDINGS if b.id == binding_id), "")
        return self.key_display(key) if key else "ctrl+p"

    def key_display(self, key: str) -> str:
        """How a key name is shown to the user ("question_mark" -> "?")."""
        return self.app.get_key_display(Binding(key, ""))
