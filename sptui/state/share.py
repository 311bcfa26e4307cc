"""How the overview shares the screen's lines between its rows of panes: each gets what it needs when there is room;
when there is not, the small ones still get all they need and the big ones share the rest evenly, so an empty
Tasks pane does not take twelve lines while Disks hides rows."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["share_lines"]


def share_lines(needs: Sequence[int], total: int, least: int) -> list[int]:
    """Lines for each row: `needs[i]` if all fit in `total`; else the largest level L such that rows get
    min(need, L) (never fewer than `least`, nor more than they need) and the sum stays within `total`. Room left
    over after every need is met goes to the rows evenly, so the panes still fill the screen."""
    if not needs:
        return []
    floor = [min(need, least) for need in needs]
    if sum(needs) <= total:
        shares = list(needs)
    elif sum(floor) >= total:
        return floor
    else:
        low, high = least, max(needs)
        while low < high:  # the largest level whose shares fit
            level = (low + high + 1) // 2
            if sum(max(f, min(need, level)) for f, need in zip(floor, needs, strict=True)) <= total:
                low = level
            else:
                high = level - 1
        shares = [max(f, min(need, low)) for f, need in zip(floor, needs, strict=True)]
    spare = total - sum(shares)
    for i in range(len(shares)):
        shares[i] += spare // len(shares) + (1 if i < spare % len(shares) else 0)
    return shares
