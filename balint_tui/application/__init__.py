"""The application layer: the domain, the store and the rules put together, headless.

The CLI and the Textual app both call it; nothing here imports Textual. One module per
use case, and one way in to each:

- ``live``: a session under way (``LiveSession.start`` / ``resume`` / ``record`` /
  ``finish``), and interrupted sessions ended or filed (``finish_interrupted``,
  ``finish_ended_sessions``); ``journal_sink`` and ``set_aside`` are its parts.
- ``launch``: what the app needs around a live session: the card library, the prompt
  rules with the leader's thresholds, the demo group and its session.
- ``keymap``: the leader's key remapping (settings and ``keymap.toml``).
- ``presession``: what the setup screen reads (groups, templates, a group's history).
- ``roster``: changing a group and its roster (the rules are ``domain.model.Group``'s).
- ``replay``: ``balint-tui replay`` (the rules' inputs, the replay, ``--save``).
- ``follow``: following a session another process records, read-only.
"""
