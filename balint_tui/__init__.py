"""balint-tui: a terminal companion for Balint group leaders.

The package is split in two: ``balint_tui.domain`` and ``balint_tui.store`` are plain
Python (no Textual import) and hold every rule; ``balint_tui.ui`` renders state and turns
keys into events.
"""

__version__ = "0.1.0"
