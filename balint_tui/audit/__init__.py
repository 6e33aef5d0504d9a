"""``balint-tui audit``: every field the data folder holds, checked against the no-notes rule.

A layer of its own beside ``commands``: it reads the data folder as the store, the
review's rating forms and the app's key bindings would (``own`` imports the UI and
Textual, lazily), so it sits above them all. ``audit.audit(data_dir)`` walks the folder;
``files`` reads it file by file, ``read`` reads safely, ``own`` checks balint-tui's own
settings.
"""
