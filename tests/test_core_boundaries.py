"""The domain never imports Textual (DESIGN.md; product rule 3)."""

import subprocess
import sys

HEADLESS = [
    "balint_tui.domain.engine",
    "balint_tui.domain.state",
    "balint_tui.domain.scenario",
    "balint_tui.domain.metrics",
    "balint_tui.domain.history",
    "balint_tui.application.live",
    "balint_tui.application.replay",
    "balint_tui.application.launch",
    "balint_tui.application.keymap",
    "balint_tui.application.roster",
    "balint_tui.application.presession",
    "balint_tui.cli",
    "balint_tui.commands.replay",
    "balint_tui.application.follow",
    "balint_tui.ui.follow_view",
]


def test_domain_does_not_import_textual():
    import pkgutil

    import balint_tui.domain
    import balint_tui.store

    modules = list(HEADLESS)
    for pkg in (balint_tui.domain, balint_tui.store):
        modules += [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"textual imported by the domain: {out.stdout}"
