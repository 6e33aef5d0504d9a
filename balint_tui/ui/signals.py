"""SIGTERM and SIGHUP (a closed terminal window) end a Textual app like a quit.

Textual does not handle them: without a handler the process dies with the terminal
left in the alternate screen and the app's unmount handlers never run. A mix-in for
the apps: ``install_signal_handlers()`` once the loop runs (on mount),
``remove_signal_handlers()`` on unmount.
"""

from __future__ import annotations

import asyncio
import signal

QUIT_SIGNALS = ("SIGTERM", "SIGHUP")


class QuitOnSignals:
    """For an ``App`` subclass: the signals call ``exit(return_code=0)``."""

    _quit_signals: list[int]

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        self._quit_signals = []
        for name in QUIT_SIGNALS:
            sig = getattr(signal, name, None)
            if sig is None:  # pragma: no cover - not POSIX
                continue
            try:
                loop.add_signal_handler(sig, self.quit_on_signal)
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
                continue
            self._quit_signals.append(sig)

    def remove_signal_handlers(self) -> None:
        signals = getattr(self, "_quit_signals", [])
        if not signals:
            return
        loop = asyncio.get_running_loop()
        while signals:
            loop.remove_signal_handler(signals.pop())

    def quit_on_signal(self) -> None:
        self.exit(return_code=0)  # type: ignore[attr-defined]


__all__ = ["QuitOnSignals"]
