"""When to poll next: the schedule policy, separate from the timers that carry it out.

Polls of one resource never overlap (the app re-arms the timer only when a poll ends),
failures back off exponentially and success resets, hidden panes poll slowly or not at
all, and a wrong token stops the hammering (it will not fix itself quickly).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_INTERVAL = 0.5
MAX_BACKOFF = 30.0
AUTH_RETRY = 60.0
HIDDEN_FACTOR = 4.0


@dataclass(frozen=True)
class PollPolicy:
    """The interval of one resource; `hidden_factor` None means do not poll it while hidden."""

    interval: float
    hidden_factor: float | None = HIDDEN_FACTOR

    def scaled(self, scale: float) -> PollPolicy:
        return PollPolicy(max(MIN_INTERVAL, self.interval * scale), self.hidden_factor)

    def next_delay(
        self, *, visible: bool, failures: int = 0, auth_failed: bool = False, at_least: float | None = None
    ) -> float | None:
        """Seconds until the next poll, or None when the resource should not be polled now. `at_least` is what
        the last answer asks for (a summary that had to be read from a huge answer): it only ever slows."""
        if auth_failed:
            return AUTH_RETRY
        if failures:
            return min(MAX_BACKOFF, max(1.0, self.interval) * 2 ** min(failures - 1, 6))
        if visible:
            delay = self.interval
        elif self.hidden_factor is None:
            return None
        else:
            delay = self.interval * self.hidden_factor
        return delay if at_least is None else max(delay, at_least)
