"""Ratings the review could not save (a full disk, an I/O error): kept, tried again every
two seconds, and never lost without a word when the review closes.

Mixed into the review screen through ``SavesRatings``. A save that fails is said at
once (one line) and kept; a later save of the same form replaces it. Closing the review
(``q``, Escape, ``ctrl+q``) with ratings kept tries them once more; if they still cannot
be written the leader is told, as the live screen does, and may wait (they are saved as
soon as the disk takes writes, and said so) or close again to leave without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from balint_tui.review.load import ReviewError

if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

RETRY_S = 2.0


class KeepsUnsaved(_ScreenBase):
    """For a review screen (``notify``, ``set_interval`` are the Screen's)."""

    _unsaved: dict[str, Callable[[], None]]
    _unsaved_why = ""
    _leave_anyway = False
    _retry_timer: Any = None

    def save_or_keep(self, key: str, commit: Callable[[], None]) -> None:
        """``commit()`` (raises ReviewError when it cannot write); kept if it fails."""
        if not hasattr(self, "_unsaved"):
            self._unsaved = {}
        try:
            commit()
        except ReviewError as exc:
            self._unsaved[key] = commit
            self._unsaved_why = str(exc)
            self._leave_anyway = False
            self.notify(f"Not saved, kept until it can be: {exc}", severity="error",
                        markup=False)
            if self._retry_timer is None:
                self._retry_timer = self.set_interval(RETRY_S, self._retry_kept)
            return
        self._unsaved.pop(key, None)

    @property
    def unsaved(self) -> int:
        return len(getattr(self, "_unsaved", {}))

    def retry_unsaved(self) -> bool:
        """Try every kept save again, in order; True when none is left."""
        for key, commit in list(getattr(self, "_unsaved", {}).items()):
            try:
                commit()
            except ReviewError as exc:
                self._unsaved_why = str(exc)
                return False
            del self._unsaved[key]
        return True

    def _retry_kept(self) -> None:
        if not self.unsaved or not self.retry_unsaved():
            return
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self.notify("The ratings are saved now.", markup=False)

    def may_close(self) -> bool:
        """Whether the review may close now: nothing kept, or all of it saved now, or
        the leader was told and closes again."""
        if not self.unsaved or self.retry_unsaved() or self._leave_anyway:
            return True
        self._leave_anyway = True
        self.notify(
            f"{self.unsaved} rating form(s) not saved yet ({self._unsaved_why}): wait here, "
            f"they are tried every {RETRY_S:.0f} s and said when saved; or close again to "
            "leave without them.",
            severity="error", markup=False, timeout=15,
        )
        return False


def screens_may_close(screens: list[Any]) -> bool:
    """Whether the app may quit: asks every screen that keeps ratings (the review, the
    debrief over it), each of which says what it still keeps."""
    answers = [screen.may_close() for screen in screens if isinstance(screen, KeepsUnsaved)]
    return all(answers)


__all__ = ["RETRY_S", "KeepsUnsaved", "screens_may_close"]
