"""The leader's settings for the prompt rules: thresholds, with CONTRACT.md's defaults.

``Thresholds`` is what the leader may tune (the stored settings' ``thresholds``; there is
no settings screen). The store keeps settings as a plain dict; the thresholds sit under
its ``"thresholds"`` key (``Thresholds.from_settings``) or are the whole dict
(``Thresholds.model_validate``). Unknown keys are an error.

Two kinds of field:

* how the prompt area behaves (``cooldown_s``, ``expire_s``, ``max_visible``,
  ``wait_s``, ``off``);
* one number per contract trigger (``tolerate_silence_s``...). The packaged cards
  carry the same numbers in their ``trigger`` tables. For a contract card, a value the
  leader changed here (one that differs from the default) wins over the card file;
  otherwise the card file's value applies, so a user card that overrides a packaged one
  keeps its own numbers. ``CARD_PARAMS`` says which field feeds which card parameter.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from balint_tui.domain.names import Identifier


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # --- the prompt area
    cooldown_s: float = Field(300.0, ge=0, le=7200, description="A dismissed card stays quiet")
    expire_s: float = Field(180.0, ge=10, le=3600, description="A visible card leaves after")
    max_visible: int = Field(3, ge=1, le=3, description="Cards visible at once")
    # None: a card that finds no place waits while its condition holds (contract v3); a
    # number: it gives up after that long (a leader's choice, kept for older settings)
    wait_s: float | None = Field(
        None, ge=0, le=3600, description="A waiting card gives up after (none: while it holds)")
    off: tuple[Identifier, ...] = Field((), description="Cards switched off")

    # --- contract triggers (CONTRACT.md section 4)
    case_overrun_grace_s: float = Field(0.0, ge=0, le=3600, description="Case overrun: grace")
    petering_out_remaining_s: float = Field(
        600.0, ge=0, le=7200, description="Petering out: time left at most")
    petering_out_silence_s: float = Field(
        45.0, ge=1, le=3600, description="Petering out: silence of")
    petering_out_window_s: float = Field(
        180.0, ge=10, le=600, description="Petering out: turn window")
    petering_out_max_turns: int = Field(
        -1, ge=-1, le=100, description="Petering out: turns in the window at most (-1: off)")
    full_flow_recent_s: float = Field(
        60.0, ge=1, le=600, description="Full flow at end: spoke within")
    listener_turn_s: float = Field(
        15.0, ge=1, le=3600, description="Listener: a leader turn in the presentation of")
    quiet_member_after_s: float = Field(
        480.0, ge=0, le=7200, description="Quiet member: into the discussion")
    dominant_member_after_s: float = Field(
        600.0, ge=0, le=7200, description="Dominant member: into the discussion")
    dominant_member_factor: float = Field(
        2.5, ge=1.0, le=20.0, description="Dominant member: times a fair share")
    dominant_member_min_turns: int = Field(
        3, ge=1, le=100, description="Dominant member: turns in the discussion at least")
    dominant_member_turn_s: float = Field(
        240.0, ge=1, le=7200, description="Dominant member: or a single turn of")
    focus_after_s: float = Field(
        120.0, ge=1, le=3600, description="Focus: a drift mark not redirected within")
    interpret_process_window_s: float = Field(
        600.0, ge=1, le=7200, description="Interpret process: second drift mark within")
    interpret_process_after_s: float = Field(
        120.0, ge=0, le=3600, description="Interpret process: not redirected within")
    tolerate_silence_s: float = Field(30.0, ge=1, le=3600, description="Tolerate silence: after")
    summarize_silence_s: float = Field(180.0, ge=1, le=3600, description="Summarise: silence of")
    reflect_questions_count: int = Field(
        3, ge=1, le=50, description="Reflect questions: questions in a row")
    pairing_alternations: int = Field(3, ge=2, le=50, description="Pairing: alternations")
    wrong_direction_after_s: float = Field(
        300.0, ge=1, le=3600, description="Wrong direction: not redirected within")
    hold_back_opening_s: float = Field(
        60.0, ge=0, le=3600, description="Hold back: the discussion's opening turn within")
    leader_not_teacher_s: float = Field(
        120.0, ge=1, le=7200, description="Leader not teacher: a leader turn of")
    shutting_up_after_s: float = Field(
        300.0, ge=0, le=7200, description="Shutting up: into the discussion")
    shutting_up_share: float = Field(
        0.25, gt=0, lt=1, description="Shutting up: leaders' share above")
    absence_streak: int = Field(
        2, ge=1, le=52, description="Absent or returning: sessions missed in a row")

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> Thresholds:
        """Thresholds from the store's settings dict (its ``"thresholds"`` entry)."""
        return cls.model_validate((settings or {}).get("thresholds") or {})

    def changed(self) -> dict[str, Any]:
        """The fields whose value differs from the default."""
        out: dict[str, Any] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value != info.default:
                out[name] = value
        return out


# Thresholds field -> the (card id, trigger parameter) pairs it feeds. For a card with
# several triggers the parameter is set on every trigger that has it.
CARD_PARAMS: dict[str, tuple[tuple[str, str], ...]] = {
    "case_overrun_grace_s": (("salinsky.timekeeping.case-overrun", "grace_s"),),
    # tolerate-silence stays quiet on petering-out's silence: the same numbers
    "petering_out_remaining_s": (("salinsky.timekeeping.petering-out", "remaining_s"),
                                 ("salinsky.tolerate-silence", "ending_s")),
    "petering_out_silence_s": (("salinsky.timekeeping.petering-out", "silence_s"),
                               ("salinsky.tolerate-silence", "ending_silence_s")),
    "petering_out_window_s": (("salinsky.timekeeping.petering-out", "window_s"),),
    "petering_out_max_turns": (("salinsky.timekeeping.petering-out", "max_turns"),),
    "full_flow_recent_s": (("salinsky.timekeeping.full-flow-at-end", "recent_s"),),
    "listener_turn_s": (("salinsky.listener", "seconds"),),
    "quiet_member_after_s": (("salinsky.producing.quiet-member", "after_s"),),
    "dominant_member_after_s": (("salinsky.producing.dominant-member", "after_s"),),
    "dominant_member_factor": (("salinsky.producing.dominant-member", "factor"),),
    "dominant_member_min_turns": (("salinsky.producing.dominant-member", "min_turns"),),
    "dominant_member_turn_s": (("salinsky.producing.dominant-member", "turn_s"),),
    "focus_after_s": (("salinsky.focus", "after_s"),),
    "interpret_process_window_s": (("salinsky.interpret-process", "within_s"),),
    "interpret_process_after_s": (("salinsky.interpret-process", "after_s"),),
    "tolerate_silence_s": (("salinsky.tolerate-silence", "seconds"),),
    "summarize_silence_s": (("salinsky.summarize", "seconds"),),
    "reflect_questions_count": (("salinsky.reflect-questions", "count"),),
    "pairing_alternations": (("dornfest.pairing", "alternations"),),
    "wrong_direction_after_s": (("dornfest.wrong-direction", "after_s"),),
    "hold_back_opening_s": (("dornfest.hold-back", "opening_s"),),
    "leader_not_teacher_s": (("groundrules.leader-not-teacher", "seconds"),),
    "shutting_up_after_s": (("dornfest.shutting-up", "after_s"),),
    "shutting_up_share": (("dornfest.shutting-up", "share"),),
    "absence_streak": (
        ("difficulties.vulnerable-member", "streak"),
        ("difficulties.absent-member", "streak"),
    ),
}


def card_params(thresholds: Thresholds) -> dict[str, dict[str, Any]]:
    """Card id -> {parameter: value} for the thresholds the leader changed."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in thresholds.changed().items():
        for card_id, param in CARD_PARAMS.get(name, ()):
            out.setdefault(card_id, {})[param] = value
    return out


__all__ = ["CARD_PARAMS", "Thresholds", "card_params"]
