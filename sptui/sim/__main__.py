"""`python -m sptui.sim`: the same as `sptui-sim` (the --demo child runs this)."""

from __future__ import annotations

import sys

from ..cli import sim_main

sys.exit(sim_main())
