"""Run the balint-tui CLI with a misbehaving file system (see ``faults.py``).

``BALINT_FAULT=enospc|eio|erofs`` and ``BALINT_FAULT_DIR=FOLDER`` choose the fault;
the arguments are the CLI's. Used by ``tests/test_hardening_damage_cli.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faults import Faults

if __name__ == "__main__":
    if os.environ.get("BALINT_FAULT"):
        faults = Faults(os.environ["BALINT_FAULT_DIR"]).install(setattr)
        faults.mode = os.environ["BALINT_FAULT"]
    from balint_tui.cli import main

    sys.argv[0] = "balint-tui"
    main()
