"""One-line, human descriptions of failures, for pane titles, the health bar and notifications.

Built from the error's fields and the endpoint only, so the auth token can never leak into them.
"""

from __future__ import annotations

from ..api.errors import ApiError, SpError, TransportError


def describe_error(error: BaseException, endpoint: str) -> str:
    if isinstance(error, ApiError):
        if error.auth_failed:
            return f"the API at {endpoint} refused the auth token ({error.name}) — check SP_AUTH_TOKEN"
        return f"{error.call}: {error.name}: {error.descr}"
    if isinstance(error, TransportError):
        return f"API unreachable at {endpoint} ({error.reason})"
    if isinstance(error, SpError):
        return str(error)
    return f"internal error: {type(error).__name__}: {error}"
