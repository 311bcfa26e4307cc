"""The Problems pane: derived from the other resources (state/problems.py), no API call of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..columns import ESSENTIAL, Column, Kind
from ..selection import Selection
from ..snapshot import ClusterState, Row
from .spec import Levels, Rows

if TYPE_CHECKING:
    from collections.abc import Hashable

    from ...api.client import SpClient


def derive_problems(state: ClusterState) -> Any:
    from ..problems import current  # problems reads the registry (via health): imported when first used

    return current(state)


async def fetch_problems(client: SpClient, state: ClusterState) -> Any:
    return derive_problems(state)


def problems_rows(data: Any, state: ClusterState) -> tuple[Rows, Levels]:
    from ..problems import problem_rows

    return problem_rows(data, state)


def problem_rank(row: Row) -> int:
    return int(row.get("rank", 3))


PROBLEMS_COLUMNS = (
    Column("severity", "Severity", Kind.STATE, priority=ESSENTIAL),
    Column("what", "What", Kind.TEXT, max_width=40, priority=ESSENTIAL),
    Column("where", "Where", Kind.TEXT, max_width=30, priority=ESSENTIAL),
    Column("age", "Since", Kind.AGE, priority=1),
    Column("why", "Why it matters", Kind.TEXT, max_width=90, priority=2),
)


def select_problem(key: Hashable, row: Row) -> Selection | None:
    ref = row.get("ref")
    return Selection(str(ref[0]), ref[1], row) if ref else None
