"""What a resource is to the dashboard (ResourceSpec), and the row shapes every pane module returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..poller import PollPolicy
from ..snapshot import ClusterState, Row

if TYPE_CHECKING:
    from ...api.client import SpClient
    from ..columns import Column
    from ..selection import Selection

Rows = dict[Hashable, Row]
Levels = dict[Hashable, str]
D = TypeVar("D")  # what a resource's fetch returns: its rows, status line, note and pace are made from it


@dataclass(frozen=True)
class ResourceSpec(Generic[D]):
    """One resource: fetch it, key it, show it. Generic over its data, so that mypy checks that the fetch, the row
    builder, the note, the status line and `derive` of one resource agree on what the data is."""

    name: str
    title: str
    fetch: Callable[[SpClient, ClusterState], Awaitable[D]]
    to_rows: Callable[[D, ClusterState], tuple[Rows, Levels]]
    columns: tuple[Column, ...]
    policy: PollPolicy
    empty_text: str = "Nothing to show."
    default_sort: tuple[str, bool] | None = None
    rank: Callable[[Row], Any] | None = None
    # Polled even while no view shows it: the health bar and the connection state read it.
    always_poll: bool = True
    # Its failures count for the connection state (connected / retrying / disconnected / auth failed).
    connection: bool = True
    note: Callable[[D], str] | None = None  # a remark on the data shown in the title
    select: Callable[[Hashable, Row], Selection | None] | None = None  # the object a row stands for
    # The least interval the last answer asks for, in seconds at the default refresh, or None for the policy's.
    slower: Callable[[D], float | None] | None = None
    # Polled at once, whatever their pace, when this resource's answer changes what they show (state/health.py).
    implies: tuple[str, ...] = ()
    # A line under the pane's title about the data as a whole (the relocator's and balancer's state), or None.
    status: Callable[[D, ClusterState], str] | None = None
    # A view derived from other resources (Problems, or Capacity over the disks): recomputed from the state each
    # time one of `reads` is answered or fails, so it is never a poll behind them; `derive` returning None (no
    # data yet) leaves it as it is.
    reads: tuple[str, ...] = ()
    derive: Callable[[ClusterState], D | None] | None = None
    short: str = ""  # the tab's label where the full titles do not fit (80 columns); the title if empty
    # Its rows depend on the answer alone (not on the clock or other resources): an answer equal to the last one
    # keeps the last rows, so nothing is laid out or diffed again.
    rows_follow_data: bool = False
    # Its rows follow its data alone and only its pane reads them (Problems and the health bar read the data): while
    # the pane is hidden they are laid out when first read (the pane shown), not on every answer.
    rows_when_shown: bool = False
    # A cheaper fetch for while no view shows it, of what the health bar and Problems read (the Requests pane's slow
    # requests only); showing it then polls it at once with `fetch`.
    fetch_hidden: Callable[[SpClient, ClusterState], Awaitable[D]] | None = None
    # Work on a big answer left until its rows are painted (a disk's objects sharing their repeated values): a step
    # doing a slice of it, True while some is left (VirtualTable.apply's `settle`), or None when there is none.
    settle: Callable[[D], Callable[[], bool] | None] | None = None


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None for an empty whole (a down disk reports no counts)."""
    return part / whole if whole else None


def quotient(part: float, whole: float) -> float | None:
    """part / whole, or None when it is no float: counts from the API are unbounded ints (10**400 / 2.0 raises)."""
    try:
        return part / whole if whole else None
    except OverflowError:
        return None
