"""The two ways an API call fails, plus a refused argument.

Every failure the UI can see is one of these: it never meets a bare httpx or msgspec exception.
None of them ever carries the auth token (the client never passes it in).
"""

from __future__ import annotations


class SpError(Exception):
    """Base of every error sptui's API layer raises."""


class ApiError(SpError):
    """The API answered, and the answer was no: `{"error": {"name", "descr"}}`."""

    def __init__(self, call: str, status: int, name: str, descr: str, transient: bool = False) -> None:
        self.call = call
        self.status = status
        self.name = name
        self.descr = descr
        self.transient = transient
        super().__init__(f"{call}: {name}: {descr}")

    @property
    def auth_failed(self) -> bool:
        """A wrong or missing token: retrying with the same one will not help."""
        return self.status in (401, 403) or "auth" in self.name.lower()


class TransportError(SpError):
    """No usable answer: refused, timed out, reset, garbled, or not the API's envelope."""

    def __init__(self, call: str, reason: str, *, answered: bool = False) -> None:
        self.call = call
        self.reason = reason
        self.answered = answered  # a response came, but not one that can be used
        super().__init__(f"{call}: {reason}")


class ValidationError(SpError, ValueError):
    """An argument breaks the API's own rules; nothing was sent."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")
