"""The floor: a bare Textual app (Header, Static, Footer), started like balint-tui.

``python benchmarks/bare_app.py`` runs it; ``--report PATH --after S`` writes its peak
RSS (JSON) after S seconds and exits, for the memory comparison.
"""

from __future__ import annotations

import json
import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

READY = "bare app ready"


class BareApp(App[None]):
    TITLE = "bare"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]

    def __init__(self, report: str | None = None, after: float = 0.0) -> None:
        super().__init__()
        self.report = report
        self.after = after

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(READY)
        yield Footer()

    def on_mount(self) -> None:
        if self.report:
            self.set_timer(self.after, self.write_report)

    def write_report(self) -> None:
        from pathlib import Path

        Path(self.report).write_text(json.dumps({"vm_hwm_kib": _vm_hwm_kib()}))  # type: ignore[arg-type]
        self.exit()


def _vm_hwm_kib() -> int:
    """Peak resident set size of this process (kibibytes)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> None:
    report = after = None
    if "--report" in argv:
        report = argv[argv.index("--report") + 1]
        after = float(argv[argv.index("--after") + 1]) if "--after" in argv else 1.0
    BareApp(report, after or 0.0).run()


if __name__ == "__main__":
    main(sys.argv[1:])
