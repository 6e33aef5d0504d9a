"""Before the session: the group, its roster (names only), the template, the plan, who
is present; then start.

The screen reads through ``application.presession.SetupReads`` and changes nothing
itself: each change to the group is a message it posts (``SetupAsks.NameGroup``,
``NameMember``, ...), which the app handles by calling ``application.roster`` (saved at
once); the app hands back what was saved (``saved``) or the one line that says why
not (``message``), shown inline, under the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.widgets.selection_list import Selection

from balint_tui.application.presession import GroupHistory, SetupReads
from balint_tui.application.roster import Saved
from balint_tui.domain.model import Group, Member, SessionPlan, Template
from balint_tui.domain.presession import PreSession, pre_session
from balint_tui.ui import fmt
from balint_tui.ui.plan_input import parse_plan
from balint_tui.ui.screens.setup_asks import SetupAsks
from balint_tui.ui.screens.setup_refusals import refused_group_name
from balint_tui.ui.session_port import USER_ERRORS
from balint_tui.ui.widgets.plan_keys import PlanKeys
from balint_tui.ui.widgets.presession import PreSessionPanel
from balint_tui.ui.widgets.roster import AddField, RosterList

NEW_GROUP = "__new__"


class SetupScreen(SetupAsks):
    # styles: setup.tcss, read with the app's (see BalintApp.CSS_PATH)
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="setup.start",
                tooltip="Start the session with the members ticked as present"),
        Binding("escape", "cancel_rename", "Cancel", id="setup.cancel", show=False),
        Binding("ctrl+t", "templates", "Templates", id="setup.templates", show=False,
                priority=True, tooltip="Edit the session templates"),
        Binding("b", "bring_back", "Bring back", id="setup.bring_back", show=False,
                tooltip="Bring a retired member back to the roster, history and all"),
        Binding("question_mark", "help", "Help", id="setup.help", show=False,
                tooltip="How this screen works: fields, ticking who is present, keys"),
        Binding("f1", "help", "Help", id="setup.help_f1", show=False, priority=True,
                tooltip="How this screen works: fields, ticking who is present, keys"),
    ]

    def __init__(self, reads: SetupReads, *, wall: Callable[[], datetime]) -> None:
        super().__init__()
        self.reads = reads
        self.wall = wall
        self.group: Group | None = None
        self.absent: set[str] = set()
        self.renaming: str | None = None
        self.plan_edited = False
        self.templates: dict[str, Template] = {}
        self.history = GroupHistory()
        self.kept_said: str | None = None  # the group whose kept session was said
        self.template_shown: Template | None = None  # the template last chosen
        self.refused_group_name: str | None = None  # the group name last refused

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        try:
            self.templates = self.reads.templates()
        except USER_ERRORS as exc:
            self.notify(fmt.display_name(" ".join(str(exc).split())), severity="error",
                        markup=False, timeout=8)
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
                                compact=True)
                yield Static("", id="group-msg", classes="setup-msg", markup=False)
                yield Label("Members (X = present, ? or F1 help)", id="members-label",
                            classes="setup-label")
                yield RosterList(id="members")
                with Horizontal(classes="setup-row"):
                    yield Label("add  ", id="member-verb", classes="setup-inline")
                    yield AddField(id="member-name", placeholder="a member's name, then Enter",
                                compact=True)
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
                yield PlanKeys(id="plan-keys")
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

    # ------------------------------------------------------------ groups
    def load_groups(self) -> list[Group]:
        try:
            groups = list(self.reads.groups())
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
        self.group = self.reads.group(group_id) if group_id else None
        self.absent.clear()
        self.renaming = None
        self.refused_group_name = None
        self.query_one("#member-name", Input).placeholder = (
            "a member's name, then Enter" if self.group is not None
            else "the group first: its name above, then Enter")
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
        group = self.group
        self.query_one(PlanKeys).set_values(
            (group and group.prompts) or self.reads.default_prompts(),
            group.role if group else "leader", group.setting if group else "in_person")
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
        group_id = self.group.id if self.group is not None else ""
        refused = refused_group_name(event.value, self.refused_group_name,
                                     renaming=self.group is not None)
        self.refused_group_name = refused[1] if refused else None
        if refused:  # said before the app is asked; the text stays to be corrected
            self.message("#group-msg", refused[0], error=True)
            return
        self.post_message(self.NameGroup(self, group_id, event.value))

    def saved(self, asked: SetupAsks.Asked, saved: Saved) -> None:
        """The app saved what ``asked`` changed: show it."""
        self.group = saved.group
        if isinstance(asked, self.NameGroup):
            self.load_groups()
            self.select_group(saved.group.id)
            self.message("#group-msg", saved.said)
            self.query_one("#member-name").focus()
            return
        if isinstance(asked, self.NameMember | self.BringBack):
            self.end_rename()
            self.update_history()  # a new member is judged too (new to the group)
        self.rebuild_roster(highlight=saved.member_id)
        self.message("#member-msg", saved.said)

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
            else:  # always a row lit: space on a list without one did nothing
                roster.highlighted = min(previous or 0, len(ids) - 1)
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
        self.post_message(self.NameMember(self, self.group.id, event.value, self.renaming))

    @on(RosterList.Request)
    def roster_request(self, event: RosterList.Request) -> None:
        group = self.group
        member = group.member(event.member_id) if group is not None else None
        if group is None or member is None:
            return
        if event.what == "rename":
            self.start_rename(member)
        elif event.what == "retire":
            self.post_message(self.RetireMember(self, group.id, member.id))
        else:
            step = -1 if event.what == "up" else 1
            self.post_message(self.MoveMember(self, group.id, member.id, step))

    def start_rename(self, member: Member) -> None:
        self.renaming = member.id
        field = self.query_one("#member-name", Input)
        field.value = member.name
        field.placeholder = "new name, then Enter (Escape cancels)"
        self.query_one("#member-verb", Label).update("name ")
        self.message("#member-msg", "Renaming: edit the name, Enter saves, Escape cancels.")
        field.focus()

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

    # ------------------------------------------------------------ plan
    def template(self) -> Template | None:
        value = self.query_one("#template", Select).value
        return self.templates.get(value) if isinstance(value, str) else None

    @on(Select.Changed, "#template")
    def template_changed(self) -> None:
        self.update_plan_default()
        template = self.template()
        minutes = self.check_plan()
        before, self.template_shown = self.template_shown, template
        if before is None or template is None or before.name == template.name:
            return  # the screen's first template, or no change: nothing to say
        if not self.plan_edited and minutes is not None:
            ends = (self.wall() + timedelta(minutes=minutes)).strftime("%H:%M")
            self.message("#plan-msg", f"{template.name} set the length to {minutes} min "
                         f"(ends at {ends}); type another to change it")

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
        now = self.wall()
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
        group = self.group
        self.history = self.reads.history(group) if group is not None else GroupHistory()
        if self.history.problem is not None:
            self.message("#group-msg", self.history.problem, error=True)
        self.update_presession()

    def presession(self) -> PreSession | None:
        """The pre-session view for the group as ticked now (None without a group)."""
        group, history = self.group, self.history
        if group is None or history.facts is None:
            return None
        members = [m.id for m in group.active]
        present = {m for m in members if m not in self.absent}
        return pre_session(
            members, present, history.facts, streak=history.streak,
            last_date=history.last_date, age=history.age,
        )

    def update_presession(self) -> None:
        panel = self.query_one(PreSessionPanel)
        group = self.group

        def name(member_id: str) -> str:
            member = group.member(member_id) if group is not None else None
            return fmt.display_name(member.name) if member is not None else "?"

        panel.show(self.presession(), name)

    # ------------------------------------------------------------ returning members
    def action_bring_back(self) -> None:
        from balint_tui.ui.screens.pick import Choice, PickScreen

        group = self.group
        retired = [m for m in group.members if m.retired] if group is not None else []
        if not retired:
            self.message("#member-msg", "Nobody has retired from this group.")
            return
        keys = "123456789abcdefghijklmnopqrstuvwxyz"
        choices = [
            Choice(key, fmt.display_name(m.name), m.id)
            for key, m in zip(keys, retired, strict=False)
        ]
        group_id = group.id if group is not None else ""

        def picked(choice: Any) -> None:
            if choice is not None:
                self.post_message(self.BringBack(self, group_id, choice.value))

        self.app.push_screen(
            PickScreen("Bring back to the roster", choices, empty="nobody retired"), picked
        )

    # ------------------------------------------------------------ templates
    def action_templates(self) -> None:
        template = self.template() or next(iter(self.templates.values()), None)
        if template is None:
            return
        self.post_message(self.EditTemplates(self, template))

    def templates_edited(self, name: str | None) -> None:
        if name is None:
            return
        try:
            self.templates = self.reads.templates()
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
            *((f"New groups start with {level} cards",
               lambda level=level: self.post_message(self.DefaultPrompts(self, level)),
               "The prompt level a new group's sessions start with (the settings' prompts)")
              for level in ("few", "standard")),
        ]

    # ------------------------------------------------------------ help and typing
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # in a text field ? types itself (a name may hold one): only F1 is said there
        help_keys = "F1" if isinstance(event.widget, Input) else "? or F1"
        self.query_one("#members-label", Label).update(
            f"Members (X = present, {help_keys} help)")

    def action_help(self) -> None:
        from balint_tui.ui.screens.setup_help import SetupHelp

        self.app.push_screen(SetupHelp.for_roster(self.query_one(RosterList)))

    @on(RosterList.Typed)
    def typed_on_roster(self, event: RosterList.Typed) -> None:
        """A letter typed on the roster starts a name in the add field, never lost."""
        field = self.query_one("#member-name", Input)
        field.select_on_focus = False  # the letters after this one add, not replace
        field.insert_text_at_cursor(event.character)
        field.focus()

    # ------------------------------------------------------------ start
    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        # said under the plan, by the start: the roster's own line changes as a name
        # whose Enter came just before this key is added
        typed = self.query_one("#member-name", Input).value.strip()
        if self.renaming is not None:
            self.message("#plan-msg", "Not started: a rename is open (Enter saves it, "
                         "Escape cancels).", error=True)
            return
        if typed:  # a name typed (or its Enter still on its way): not left behind unsaid
            self.message("#plan-msg", f"Not started: {typed} was typed but not added yet "
                         "(Enter adds it, or clear the field).", error=True)
            return
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
        kept = self.reads.unfinished(group.id)
        if kept and self.kept_said != group.id:
            self.kept_said = group.id  # said once: ctrl+s again starts a new one
            self.message("#plan-msg", f"A session of this group is kept to resume (started "
                         f"{kept[-1]}): ctrl+s again starts a new one; quit and run "
                         "balint-tui again to resume it.", error=True)
            return
        prompts, role, setting = self.query_one(PlanKeys).values()
        plan = SessionPlan(duration_min=minutes, template=template, prompts=prompts,
                           role=role, setting=setting)
        self.post_message(self.StartSession(self, group, plan, frozenset(self.absent)))

    # ------------------------------------------------------------ messages
    def message(self, where: str, text: str, *, error: bool = False) -> None:
        widget = self.query_one(where, Static)
        text = " ".join(text.split())
        widget.update(Content(fmt.display_name(f"✗ {text}" if error and text else text)))
        widget.set_class(error, "-error")
