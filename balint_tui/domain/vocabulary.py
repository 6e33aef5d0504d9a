"""The fixed vocabularies of CONTRACT.md: phases, mark kinds, speakers, card actions."""

from __future__ import annotations

from typing import Literal, get_args

Phase = Literal["presentation", "questions", "discussion", "return", "close"]
PHASES: tuple[Phase, ...] = get_args(Phase)

MarkKind = Literal[
    "advice",
    "medical_detail",
    "off_task",
    "back_on_task",
    "tension",
    "singled_out",
    "personal_probing",
    "asks_leader",
    "presenter_distress",
    "too_safe",
    "patient_blamed",
    "stuck",
]
MARK_KINDS: tuple[str, ...] = get_args(MarkKind)

# Short labels for screens; the vocabulary itself stays as above.
MARK_LABELS: dict[str, str] = {
    "advice": "advice-giving",
    "medical_detail": "medical detail",
    "off_task": "off task",
    "back_on_task": "back on task",
    "tension": "tension",
    "singled_out": "member singled out",
    "personal_probing": "personal probing",
    "asks_leader": "asks the leader",
    "presenter_distress": "presenter distress",
    "too_safe": "too safe",
    "patient_blamed": "patient blamed",
    "stuck": "stuck",
}

# contract v3, section 2: the plan's optional keys
# which cards may surface (section 4, "Prompt levels"): "few" keeps time, case selection,
# arrivals and what a mark asks for; "standard" is every card
PromptLevel = Literal["few", "standard"]
PROMPT_LEVELS: tuple[str, ...] = get_args(PromptLevel)
# where the group meets, and who keeps this record (for the leader's logbook)
Setting = Literal["in_person", "online"]
SETTINGS_PLACES: tuple[str, ...] = get_args(Setting)
SETTING_LABELS: dict[str, str] = {"in_person": "in person", "online": "online"}  # for screens
Role = Literal["leader", "coleader"]
ROLES: tuple[str, ...] = get_args(Role)

LEADER = "leader"
COLEADER = "coleader"
LEADERS = (LEADER, COLEADER)

# how a card leaves the screen: the leader dismissed it or acted on it; it was visible
# for its whole time (expired); what brought it stopped being true (resolved); a
# higher-priority card took its place (replaced); the session ended with it on screen
CardAction = Literal[
    "surfaced", "dismissed", "acted", "expired", "resolved", "replaced", "session_end"
]
CARD_ACTIONS: tuple[str, ...] = get_args(CardAction)

# marks that may name the member they are about (the ``who`` of a ``mark`` event)
MEMBER_MARKS: tuple[str, ...] = ("presenter_distress", "singled_out", "personal_probing")
