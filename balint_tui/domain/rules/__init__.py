"""The rules engine: turns session state and events into prompt-card actions.

``build_rules(cards, thresholds, facts, template)`` compiles every card's triggers (see
``balint_tui.domain.cards`` for the kinds) into small rule objects. The ``Engine`` calls
``after_event`` after folding each event and ``on_tick`` on every clock tick; both return
``PromptAction`` events (``surfaced``, ``resolved``, ``replaced``, ``expired``,
``session_end``) that the Engine journals and folds into ``state.visible_cards``: every
way a card comes and goes is in the journal. ``dismissed`` and ``acted`` come from the
screen through ``engine.record(PromptAction, id=..., action=...)`` and reach
``after_event`` like any event.

Modules: ``base`` (episodes, the rule base class), ``marks``, ``talk`` (silence, leader
turns, questions, pairing, leader share), ``timing`` (overrun, petering out, full flow),
``members`` (history, quiet and dominant members, latecomers), ``engine``.

Prompt levels: each trigger model has a ``level`` (``cards.py``); at the plan's
``prompts = "few"`` (or ``build_rules(level="few")``) the engine keeps no rule of a
"standard" kind, so those cards never surface, live or in replay (CONTRACT.md
section 4). Without a ``level`` the engine follows ``state.plan.prompts``.

A new trigger kind is two classes: its model in ``cards.py`` (a ``kind`` literal and a
``leaves_when``, added to ``cards.AnyTrigger``) and a rule class that ``serves`` that
model (added to ``engine.RULE_CLASSES``), with the event classes it reacts to in
``events`` (its ``on_event`` matches on them) and/or ``timed = True`` (``current``).
``TRIGGER_KINDS``, ``LEAVES_WHEN`` and ``RULES`` are read from those; an import fails if a
kind has no rule. (Its row in ``prompts/README.md`` is checked by a test.)

Surfacing
    Every trigger firing belongs to an *episode* (a key): the same silence, the same
    mark, the same member in the same case, the same case, the same planned end. A card
    surfaces at most once per episode. At most ``max_visible`` (3) cards are visible;
    when more want a slot, the highest ``priority`` goes first (ties: the earliest). When
    every slot is taken, a card of higher priority than the lowest visible one takes its
    place (that one leaves ``replaced``). A card also leaves when dismissed, acted on,
    after ``expire_s`` (``expired``), when the session ends (``session_end``) and, on the
    event or tick where it stops holding, ``resolved``; a waiting card then takes its
    place.

Leaving (``resolved``)
    Every rule has a ``holds(state, episode)`` test, read against the state as it is now
    (not only on the triggering event), on every event and every tick, for each visible
    card and each waiting episode: so a card leaves within the second its condition
    ends, and a mark withdrawn from the state ends its card too. ``cards.LEAVES_WHEN``
    says in words what each kind's test is; a card's ``replaces`` names cards it takes
    the place of (``salinsky.summarize`` replaces ``salinsky.tolerate-silence``: the
    longer silence's card, never both). Episodes are scoped to the case (or the stretch
    between cases) they began in, and phase rules to their phase; a case with no
    presenter is read as having none (nothing here needs one).

Waiting

    A card that finds no place waits, and surfaces when a place frees while its
    condition still holds (CONTRACT.md section 4): a *condition* episode (silence,
    quiet member, overrun...) and an *event* episode (a mark, an arrival, a leader
    turn...) alike. A leader's ``wait_s`` (unset by default) makes an event episode
    give up after that long. Replay's ``at`` is when the card surfaces, not when it
    began to wait.

    A card's leaving never ends another card's episode: when a card leaves and the
    next card of the same id (the next member's) takes its place in the same second,
    the new episode becomes the card's only when its ``surfaced`` is folded in, after
    the leaving actions placed ahead of it (``RuleEngine.placed``).

    A dismissed card stays quiet for ``cooldown_s``: condition episodes wait it out
    (and surface afterwards if still current); event episodes that fire during it are
    dropped. An event episode whose card is already visible is absorbed by it, unless it
    is about another member (it then waits). ``acted`` and ``expired`` start no
    cool-down. Nothing surfaces before ``start`` or after ``end``.

Interpretations of CONTRACT.md section 4 (contract v3)
    * "the leader" is the leader or the coleader (``listener``, ``hold-back``,
      ``pairing``, ``shutting-up``, ``leader-not-teacher``); for pairing both turns must
      be the same leader key and the same member, in the same phase (discussion), with
      no one else speaking in between; a turn in another phase breaks the run.
    * ``listener`` and ``leader-not-teacher`` (kind ``leader_turn``): one leader turn in
      the phase reaching 15 s (presentation) or 2 minutes (discussion); once per turn,
      leaving when the turn ends.
    * ``hold-back``: the discussion's opening (its first leader turn, begun within 60 s
      of the phase's start) never counts; a later leader turn while a present member
      other than the presenter is unheard does, once per case.
    * ``tolerate-silence``: the case's first silence in questions or discussion to reach
      30 s, noted on every tick even while the card has no slot (a later silence of the
      case never raises it); not on a discussion silence that would be petering-out's
      (45 s of it with 10 minutes or less left). ``summarize``: 180 s, or mark ``stuck``.
    * ``case-overrun``: elapsed case time exceeds ``state.case_planned()`` (+ grace).
      Not raised for the last planned case (its share runs to the planned end, which
      ``full-flow-at-end`` and ``petering-out`` cover). Once per case.
    * ``petering-out``: 0 < remaining <= 10 min, in the discussion phase, the current
      silence (a ``silence`` event) has lasted 45 s. The older reading (nobody holds
      the floor and at most 2 turns began in 3 minutes) stays available through
      ``max_turns`` / ``petering_out_max_turns``, off by default. Once per planned end
      (``extend`` opens a new one).
    * ``full-flow-at-end``: judged at the first tick at or after the planned end:
      somebody holds the floor, or the last turn ended within 60 s. The episode lasts
      while that stays true; once per planned end.
    * ``quiet-member``: 8 minutes into the discussion, one card per case naming every
      present member other than the presenter not yet heard (``who`` the first in
      roster order, ``also`` the others: the ``prompt`` event's ``also``, replay's
      ``member`` joined by ", "); it holds while any of them is unheard and here, and
      ``SessionView.named_now`` gives the names still unheard for the screen.
    * ``dominant-member``: after 10 minutes of the discussion, a member other than the
      presenter with 3 or more turns in it holding strictly more than 2.5 times a fair
      share (the phase's airtime of the present members other than the presenter /
      their number); or a member's single turn in the phase reaching 4 minutes (at any
      time). One episode per (case, member).
    * ``shutting-up``: 5 minutes into the discussion, the leaders' share of that phase's
      airtime above 25%; once per case.
    * ``reflect-questions``: ``state.questions_in_a_row`` (the presenter answering does
      not break a run) reaching 3 in the discussion phase; one episode per run.
    * ``focus`` and ``wrong-direction`` (kind ``mark_unresolved``): the first
      ``off_task``/``medical_detail`` mark opens a drift; ``back_on_task`` or a new case
      closes it; 2 (focus) or 5 (wrong-direction) minutes after it opened, still open,
      the card surfaces (once per drift).
    * ``interpret-process``: a second ``off_task``/``medical_detail`` mark within 10
      minutes of another in the same case, itself without ``back_on_task`` for 2
      minutes; once per case.
    * history cards are judged at ``start`` (``vulnerable-member`` also on ``arrive``):
      ``carry-over`` when the queue holds a carried-over or urgent entry (``who`` = the
      first, skipping carried-over members who are away); ``follow-ups``: one card
      naming every member who presented last session and is present (roster order);
      ``vulnerable-member`` per present member who is new to a group that has met
      before or back after missing ``absence_streak`` sessions. ``absent-member`` is
      not a live card (contract v3): the pre-session view shows who has missed that
      many in a row; its rule offers nothing.
    * ``residency.latecomer``: an ``arrive`` of a member not present (``state.late``),
      when the template has ``latecomers_listen``; once per arrival. In such a template
      the latecomer is not waited for in the case they arrived in
      (``state.not_spoken_yet``): ``quiet-member`` and ``hold-back`` leave them out
      until the next case.
    * ``reflect-questions`` leaves on a turn that breaks the run: the presenter
      answering is part of the run (as for surfacing), any other turn that is not a
      question to the presenter ends it.
    * ``speculation`` (mark ``advice``) stays quiet in a template with
      ``problem_solving`` (residency: seed 003 allowed strategising and problem-solving).
    * member marks (``presenter_distress``, ``singled_out``, ``personal_probing``) may
      name a member (``mark.who``); their card then names that member.

Cost: rules keep O(1) trackers updated per event; a tick reads O(1) state queries, plus
O(members) for the member rules only while their card could surface. A condition rule
that finds nothing records when its answer can next change without an event (its
``wake``: the silence reaching its length, a phase reaching 8 minutes, the floor
holder's share crossing the limit...); ticks before then skip it, and every event or
card leaving the screen wakes all rules again.

Resume: ``observe(state, event)`` brings a fresh engine up to date with a journal.
A journaled ``resolved`` whose episode holds in the events that count (an undo or a
redo changed them) is taken back: the episode waits to surface again.
"""

from __future__ import annotations

from balint_tui.domain.rules.base import Episode, Key
from balint_tui.domain.rules.base import _Rule as _Rule  # the base class, for tests
from balint_tui.domain.rules.engine import RULE_CLASSES, RULES, RuleEngine, build_rules

__all__ = ["RULES", "RULE_CLASSES", "Episode", "Key", "RuleEngine", "build_rules"]
