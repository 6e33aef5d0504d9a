"""Before the session: the group, its roster (names only), the template, the plan, who
is present; then start.

Every change to the group is saved at once (``store.save_group``); a name that fails
``balint_tui.domain.names`` shows its reason inline, under the field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.widgets.selection_list import Selection

from balint_tui.domain.history import ABSENCE_STREAK, HistoryFacts
from balint_tui.domain.model import Group, Member, SessionPlan, Template, new_id
from balint_tui.domain.names import MAX_NAME_LEN, check_member_name, check_name, name_key
from balint_tui.domain.presession import PreSession, pre_session
from balint_tui.ui import fmt
from balint_tui.ui.plan_input import parse_plan
from balint_tui.ui.session_port import USER_ERRORS
from balint_tui.ui.widgets.presession import PreSessionPanel
from balint_tui.ui.widgets.roster import RosterList

NEW_GROUP = "__new__"


class SetupScreen(Screen[None]):
    # styles: setup.tcss, read with the app's (see BalintApp.CSS_PATH)
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="setup.start", priority=True,
                tooltip="Start the session with the members ticked as present"),
        Binding("escape", "cancel_rename", "Cancel", id="setup.cancel", show=False),
        Binding("ctrl+t", "templates", "Templates", id="setup.templates", show=False,
                priority=True, tooltip="Edit the session templates"),
        Binding("b", "bring_back", "Bring back", id="setup.bring_back", show=False,
                tooltip="Bring a retired member back to the roster, history and all"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.group: Group | None = None
        self.absent: set[str] = set()
        self.renaming: str | None = None
        self.plan_edited = False
        self.templates: dict[str, Template] = {}
        self.facts: HistoryFacts | None = None
        self.last_date: date | None = None
        self.streak = ABSENCE_STREAK

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        try:
            self.templates = self.store.templates()
        except USER_ERRORS as exc:
            self.app.say(str(exc), error=True)  # type: ignore[attr-defined]
            from balint_tui.domain.model import builtin_templates

            self.templates = dict(builtin_templates())
        with Horizontal(id="setup-columns"):
            with Vertical(id="group-col"):
                yield Label("Group", classes="setup-label")
                yield Select([], id="group-select", allow_blank=True, compact=True,
                             prompt="choose a group")
                with Horizontal(classes="setup-row"):
                    yield Label("name ", classes="setup-inline")
                    yield Input(id="group-name", placeholder="New group's name, then Enter",
                                max_length=MAX_NAME_LEN, compact=True)
                yield Static("", id="group-msg", classes="setup-msg", markup=False)
                yield Label("Members (X = present)", id="members-label", classes="setup-label")
                yield RosterList(id="members")
                with Horizontal(classes="setup-row"):
                    yield Label("add  ", id="member-verb", classes="setup-inline")
                    yield Input(id="member-name", placeholder="a member's name, then Enter",
                                max_length=MAX_NAME_LEN, compact=True)
                yield Static("", id="member-msg", classes="setup-msg", markup=False)
            with Vertical(id="plan-col"):
                yield Label("Template (ctrl+t edits)", classes="setup-label")
                yield Select(
                    [(Content(name), name) for name in self.templates],
                    id="template", allow_blank=False, compact=True,
                )
                yield Label("Length (minutes) or end (ends 13:00)", classes="setup-label")
                yield Input(id="plan", placeholder="60  or  ends 13:00", compact=True)
                yield Static("", id="plan-msg", classes="setup-msg", markup=False)
                yield Static("", id="present-msg", markup=False)
                yield PreSessionPanel("", id="presession", markup=False)
                yield Button("Start  ctrl+s", id="start", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        groups = self.load_groups()
        if groups:
            self.select_group(groups[-1].id)
            self.query_one("#members").focus()
        else:
            self.select_group(None)
            self.query_one("#group-name").focus()

    @property
    def store(self) -> Any:
        return self.app.store  # type: ignore[attr-defined]

    # ------------------------------------------------------------ groups
    def load_groups(self) -> list[Group]:
        try:
            groups = [g for g in self.store.groups()]
        except USER_ERRORS as exc:
            self.message("#group-msg", str(exc), error=True)
            groups = []
        options: list[tuple[Content, str]] = [
            (Content(fmt.display_name(g.name)), g.id) for g in groups
        ]
        options.append((Content("+ New group"), NEW_GROUP))
        select = self.query_one("#group-select", Select)
        with self.prevent(Select.Changed):
            select.set_options(options)
        return groups

    def select_group(self, group_id: str | None) -> None:
        select = self.query_one("#group-select", Select)
        name_input = self.query_one("#group-name", Input)
        with self.prevent(Select.Changed):
            select.value = group_id if group_id is not None else NEW_GROUP
        self.group = self.store.group(group_id) if group_id else None
        self.absent.clear()
        self.renaming = None
        if self.group is None:
            name_input.value = ""
            name_input.placeholder = "the new group's name, then Enter"
        else:
            name_input.value = self.group.name
            name_input.placeholder = "the group's name (Enter renames)"
            template = self.group.default_template
            tselect = self.query_one("#template", Select)
            if template in self.templates:
                tselect.value = template
        self.message("#group-msg", "")
        self.rebuild_roster()
        self.update_plan_default()
        self.update_history()

    @on(Select.Changed, "#group-select")
    def group_changed(self, event: Select.Changed) -> None:
        value = event.value
        if value == NEW_GROUP or value is Select.NULL:
            self.select_group(None)
            self.query_one("#group-name").focus()
        else:
            self.select_group(str(value))

    @on(Input.Submitted, "#group-name")
    def group_name_submitted(self, event: Input.Submitted) -> None:
        try:
            name = check_name(event.value)
        except ValueError as exc:
            self.message("#group-msg", f"Group name {exc}.", error=True)
            return
        others = [g for g in self.store.groups() if self.group is None or g.id != self.group.id]
        if any(name_key(g.name) == name_key(name) for g in others):
            self.message("#group-msg", "Another group already has this name.", error=True)
            return
        if self.group is None:
            group = Group(id=new_id("g"), name=name)
            said = "Group created: now add its members."
        else:
            group = self.group.model_copy(update={"name": name})
            said = "Group renamed."
        if self.save(group, "#group-msg"):
            self.load_groups()
            self.select_group(group.id)
            self.message("#group-msg", said)
            self.query_one("#member-name").focus()

    # ------------------------------------------------------------ roster
    def rebuild_roster(self, highlight: str | None = None) -> None:
        roster = self.query_one(RosterList)
        previous = roster.highlighted
        roster.clear_options()
        members = self.group.active if self.group else []
        roster.add_options(
            [
                Selection(self.roster_prompt(m), m.id, m.id not in self.absent)
                for m in members
            ]
        )
        if members:
            ids = [m.id for m in members]
            if highlight in ids:
                roster.highlighted = ids.index(highlight)
            elif previous is not None:
                roster.highlighted = min(previous, len(ids) - 1)
        self.update_present()

    def roster_prompt(self, member: Member) -> Content:
        """The name, literally; "away" spelled out (the tick's colour is lost under NO_COLOR)."""
        name = Content(fmt.display_name(member.name))
        if member.id in self.absent:
            return Content.assemble(name, ("  away", "italic"))
        return name

    @on(RosterList.SelectionToggled)
    def presence_toggled(self, event: RosterList.SelectionToggled) -> None:
        member_id = event.selection.value
        if member_id in event.selection_list.selected:
            self.absent.discard(member_id)
        else:
            self.absent.add(member_id)
        member = self.group.member(member_id) if self.group else None
        if member is not None:
            event.selection_list.replace_option_prompt_at_index(
                event.selection_index, self.roster_prompt(member)
            )
        self.update_present()

    @on(Input.Submitted, "#member-name")
    def member_submitted(self, event: Input.Submitted) -> None:
        if self.group is None:
            self.message("#member-msg", "Create or choose a group first.", error=True)
            return
        try:
            name = check_member_name(event.value)
        except ValueError as exc:
            self.message("#member-msg", f"Name {exc}.", error=True)
            return
        clash = self.group.by_name(name)
        if clash is not None and clash.id != self.renaming:
            self.message("#member-msg", "Someone in the group already has this name.", error=True)
            return
        if self.renaming is None:
            retired = self.retired_by_name(name)
            if retired is not None:
                self.bring_back(retired.id)
                return
        members = list(self.group.members)
        if self.renaming is not None:
            target = self.renaming
            members = [
                m.model_copy(update={"name": name}) if m.id == target else m for m in members
            ]
            said = "Renamed."
        else:
            target = new_id("m")
            members.append(Member(id=target, name=name, joined=datetime.now(UTC)))
            said = "Added (present)."
        if self.save(self.group.model_copy(update={"members": members}), "#member-msg"):
            self.end_rename()
            self.update_history()  # a new member is judged too (new to the group)
            self.rebuild_roster(highlight=target)
            self.message("#member-msg", said)

    @on(RosterList.Request)
    def roster_request(self, event: RosterList.Request) -> None:
        group = self.group
        if group is None:
            return
        member = group.member(event.member_id)
        if member is None:
            return
        if event.what == "rename":
            self.renaming = member.id
            field = self.query_one("#member-name", Input)
            field.value = member.name
            field.placeholder = "new name, then Enter (Escape cancels)"
            self.query_one("#member-verb", Label).update("name ")
            self.message("#member-msg", "Renaming: edit the name, Enter saves, Escape cancels.")
            field.focus()
            return
        members = list(group.members)
        if event.what == "retire":
            members = [m.model_copy(update={"retired": True}) if m.id == member.id else m
                       for m in members]
            said = "Retired: no longer on the roster; past sessions keep them (b brings back)."
        else:
            active = [m.id for m in group.active]
            pos = active.index(member.id)
            other = pos - 1 if event.what == "up" else pos + 1
            if not 0 <= other < len(active):
                return
            i = next(k for k, m in enumerate(members) if m.id == member.id)
            j = next(k for k, m in enumerate(members) if m.id == active[other])
            members[i], members[j] = members[j], members[i]
            said = ""
        if self.save(group.model_copy(update={"members": members}), "#member-msg"):
            self.rebuild_roster(highlight=member.id)
            self.message("#member-msg", said)

    def end_rename(self) -> None:
        self.renaming = None
        field = self.query_one("#member-name", Input)
        field.value = ""
        field.placeholder = "a member's name, then Enter"
        self.query_one("#member-verb", Label).update("add  ")

    def action_cancel_rename(self) -> None:
        if self.renaming is not None:
            self.end_rename()
            self.message("#member-msg", "")

    def save(self, group: Group, where: str) -> bool:
        try:
            group = Group.model_validate(group.model_dump())
            self.store.save_group(group)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            self.message(where, f"Not saved: {fmt.display_name(str(exc).splitlines()[0])}",
                         error=True)
            return False
        except USER_ERRORS as exc:
            self.message(where, str(exc), error=True)
            return False
        self.group = group
        return True

    # ------------------------------------------------------------ plan
    def template(self) -> Template | None:
        value = self.query_one("#template", Select).value
        return self.templates.get(value) if isinstance(value, str) else None

    @on(Select.Changed, "#template")
    def template_changed(self) -> None:
        self.update_plan_default()

    def update_plan_default(self) -> None:
        template = self.template()
        if template is not None and not self.plan_edited:
            field = self.query_one("#plan", Input)
            with self.prevent(Input.Changed):
                field.value = str(template.duration_min)
        self.check_plan()

    @on(Input.Changed, "#plan")
    def plan_changed(self) -> None:
        self.plan_edited = True
        self.check_plan()

    def check_plan(self) -> int | None:
        text = self.query_one("#plan", Input).value
        now = self.app.wall()  # type: ignore[attr-defined]
        try:
            minutes = parse_plan(text, now)
        except ValueError as exc:
            self.message("#plan-msg", str(exc), error=True)
            return None
        ends = (now + timedelta(minutes=minutes)).strftime("%H:%M")
        self.message("#plan-msg", f"{minutes} min, ends at {ends}")
        return minutes

    def update_present(self) -> None:
        members = self.group.active if self.group else []
        here = [m for m in members if m.id not in self.absent]
        text = f"{len(here)} of {len(members)} present" if members else "no members yet"
        self.query_one("#present-msg", Static).update(Content(text))
        self.update_presession()

    def update_history(self) -> None:
        """Read the group's history (the index only) once per group shown."""
        from balint_tui.domain.settings import Thresholds
        from balint_tui.store.group_history import group_age_now, group_history

        self.facts, self.last_date, self.age = None, None, None
        group = self.group
        if group is not None:
            try:
                self.facts, self.last_date = group_history(self.store, group)
                self.age = group_age_now(self.store, group)
            except USER_ERRORS as exc:
                self.message("#group-msg", str(exc), error=True)
            try:
                self.streak = Thresholds.from_settings(self.store.settings()).absence_streak
            except (ValueError, *USER_ERRORS):
                self.streak = ABSENCE_STREAK
        self.update_presession()

    def presession(self) -> PreSession | None:
        """The pre-session view for the group as ticked now (None without a group)."""
        group = self.group
        if group is None or self.facts is None:
            return None
        members = [m.id for m in group.active]
        present = {m for m in members if m not in self.absent}
        return pre_session(
            members, present, self.facts, streak=self.streak, last_date=self.last_date,
            age=getattr(self, "age", None),
        )

    def update_presession(self) -> None:
        panel = self.query_one(PreSessionPanel)
        group = self.group

        def name(member_id: str) -> str:
            member = group.member(member_id) if group is not None else None
            return fmt.display_name(member.name) if member is not None else "?"

        panel.show(self.presession(), name)

    # ------------------------------------------------------------ returning members
    def retired_by_name(self, name: str) -> Member | None:
        folded = name_key(name)
        group = self.group
        if group is None:
            return None
        return next(
            (m for m in group.members if m.retired and name_key(m.name) == folded), None
        )

    def action_bring_back(self) -> None:
        from balint_tui.ui.screens.pick import Choice, PickScreen

        group = self.group
        retired = [m for m in group.members if m.retired] if group is not None else []
        if not retired:
            self.message("#member-msg", "Nobody has retired from this group.")
            return
        keys = "123456789abcdefghijklmnopqrstuvwxyz"
        choices = [
            Choice(key, fmt.display_name(m.name), m.id) for key, m in zip(keys, retired)
        ]

        def picked(choice: Any) -> None:
            if choice is not None:
                self.bring_back(choice.value)

        self.app.push_screen(
            PickScreen("Bring back to the roster", choices, empty="nobody retired"), picked
        )

    def bring_back(self, member_id: str) -> None:
        """A retired member returns: same id (their history), at the end of the roster;
        sessions held while they were away do not count against them as missed."""
        group = self.group
        member = group.member(member_id) if group is not None else None
        if group is None or member is None or not member.retired:
            return
        if group.by_name(member.name) is not None:
            self.message(
                "#member-msg",
                f"{member.name} cannot come back under this name: someone on the roster "
                "has it. Rename one of them first.",
                error=True,
            )
            return
        back = member.model_copy(update={"retired": False, "joined": datetime.now(UTC)})
        members = [m for m in group.members if m.id != member_id] + [back]
        if self.save(group.model_copy(update={"members": members}), "#member-msg"):
            self.end_rename()
            self.update_history()
            self.rebuild_roster(highlight=member_id)
            self.message("#member-msg", f"Welcome back: {member.name}, history kept.")

    # ------------------------------------------------------------ templates
    def action_templates(self) -> None:
        from balint_tui.ui.screens.template import TemplateScreen

        template = self.template() or next(iter(self.templates.values()), None)
        if template is None:
            return
        self.app.push_screen(TemplateScreen(self.store, template), self.templates_edited)

    def templates_edited(self, name: str | None) -> None:
        if name is None:
            return
        try:
            self.templates = self.store.templates()
        except USER_ERRORS as exc:
            self.message("#plan-msg", str(exc), error=True)
            return
        select = self.query_one("#template", Select)
        with self.prevent(Select.Changed):
            select.set_options([(Content(n), n) for n in self.templates])
            if name in self.templates:
                select.value = name
            elif self.group is not None and self.group.default_template in self.templates:
                select.value = self.group.default_template
        self.update_plan_default()
        saved = name in self.templates
        self.app.notify(  # the name is literal: markup off
            fmt.display_name(f"Template {name} {'saved' if saved else 'deleted'}."),
            markup=False, timeout=4,
        )

    def palette_commands(self) -> list[tuple[str, Any, str]]:
        return [
            ("Start the session", self.action_start, "With the members ticked as present"),
            ("Edit session templates", self.action_templates,
             "Name, length, cases, phases, latecomers, topic sessions"),
            ("Bring back a retired member", self.action_bring_back,
             "Same member, history kept"),
        ]

    # ------------------------------------------------------------ start
    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        group = self.group
        if group is None or not group.active:
            self.message("#member-msg", "Add the group's members first.", error=True)
            return
        present = [m.id for m in group.active if m.id not in self.absent]
        if not present:
            self.message("#member-msg", "Tick at least one member as present.", error=True)
            return
        template = self.template()
        minutes = self.check_plan()
        if template is None or minutes is None:
            return
        plan = SessionPlan(duration_min=minutes, template=template)
        if group.default_template != template.name:
            self.save(group.model_copy(update={"default_template": template.name}), "#plan-msg")
        self.app.start_session(self.group, plan, present)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ messages
    def message(self, where: str, text: str, *, error: bool = False) -> None:
        widget = self.query_one(where, Static)
        text = " ".join(text.split())
        widget.update(Content(fmt.display_name(f"✗ {text}" if error and text else text)))
        widget.set_class(error, "-error")
