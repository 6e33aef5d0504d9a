"""The domain: a session's events, their fold into state, and what is read from it.

Plain Python and pydantic, no Textual and no other layer of balint_tui: everything here
runs headless, on an injectable clock, so the live screen, a follower, the review and
``balint-tui replay`` fold the same events to the same state.

* ``events``: the event classes (``AnyEvent``, the one list every registry derives
  from); ``state`` folds them (``SessionState``), ``session_view`` is what is read
  from it, ``withdrawal`` decides which events ``undo`` leaves out;
* ``engine``: the one path every event takes (check, persist, fold, rules), with the
  undo checkpoints of ``snapshots``; ``clock``, ``idle`` (when a replay may skip);
* ``rules``, ``cards`` and ``settings``: the prompt cards, the triggers that surface
  them and the leader's thresholds;
* ``model``, ``names``, ``vocabulary``: groups, templates, plans, the typed names and
  the fixed words;
* ``metrics``, ``history``, ``presession``, ``group_age``: figures read from a session
  or a group's past; ``scenario`` and ``simulate``: scenario files and their replay.
"""
