"""The seeds' fingerprint for the copy test (``tests/test_rules_copy.py``): a card text
must not share 8 consecutive words with any seed file, and the seeds are not in the
repository (they sit beside it, in ``../shared/seeds``), so the repository keeps a
hash of every run of 8 words of theirs, normalised the way the test reads card texts
(lower case, apostrophes dropped, every other mark a break). No seed text is kept.

Rebuild it after the seeds change, from the repository's root:

    .venv/bin/python tests/copy_fingerprint.py [SEEDS_DIR]

(default ``../shared/seeds``, or ``BALINT_SEEDS_DIR``); the copy test says when the
committed fingerprint no longer matches seeds it can see.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

RUN = 8
REPO = Path(__file__).resolve().parents[1]
FINGERPRINT = Path(__file__).parent / "rules_copy" / "seed_runs_fingerprint.txt"
HEADER = (
    "# sha256[:12] of every run of 8 words of the seed files (../shared/seeds/*.txt),\n"
    "# lower case, apostrophes dropped, every other mark a break. No seed text.\n"
    "# Rebuilt by: .venv/bin/python tests/copy_fingerprint.py [SEEDS_DIR]\n"
)


def seeds_dir() -> Path:
    override = os.environ.get("BALINT_SEEDS_DIR")
    return Path(override) if override else REPO.parent / "shared" / "seeds"


def seed_files(folder: Path | None = None) -> list[Path]:
    folder = folder or seeds_dir()
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def words(text: str) -> list[str]:
    """Lower case, apostrophes dropped (don't = dont), every other mark a break."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def digest(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:12]


def hashes(text: str) -> set[str]:
    return {digest(r) for r in runs(text)}


def from_seeds(files: list[Path]) -> set[str]:
    out: set[str] = set()
    for path in files:
        out |= hashes(path.read_text(encoding="utf-8", errors="replace"))
    return out


def committed() -> set[str]:
    lines = FINGERPRINT.read_text(encoding="ascii").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def write(found: set[str]) -> None:
    FINGERPRINT.parent.mkdir(exist_ok=True)
    FINGERPRINT.write_text(HEADER + "".join(f"{h}\n" for h in sorted(found)), encoding="ascii")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else seeds_dir()
    files = seed_files(folder)
    if not files:
        print(f"no seed files (*.txt) in {folder}", file=sys.stderr)
        return 2
    found = from_seeds(files)
    write(found)
    print(f"{FINGERPRINT.relative_to(REPO)}: {len(found)} runs of {len(files)} seed files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
