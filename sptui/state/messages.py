"""One-line, human descriptions of failures, for pane titles, the health bar and notifications.

Built from the error's fields and the endpoint only, so the auth token can never leak into them.
The API's own words (an error's name and description) are made inert and cut: they are drawn on
the terminal, and a broken or hostile API must not be able to colour, clear or flood the screen.
"""

from __future__ import annotations

from ..api.errors import ApiError, SpError, TransportError
from .format import inert

NAME_WIDTH = 40
TEXT_WIDTH = 200


def describe_error(error: BaseException, endpoint: str) -> str:
    if isinstance(error, ApiError):
        name = inert(error.name, NAME_WIDTH)
        if error.auth_failed:
            return f"the API at {endpoint} refused the auth token ({name}) — check SP_AUTH_TOKEN"
        return f"{error.call}: {name}: {inert(error.descr, TEXT_WIDTH)}"
    if isinstance(error, TransportError):
        what = "unusable answer from the API at" if error.answered else "API unreachable at"
        return f"{what} {endpoint} ({inert(error.reason, TEXT_WIDTH)})"
    if isinstance(error, SpError):
        return inert(str(error), TEXT_WIDTH)
    return inert(f"internal error: {type(error).__name__}: {error}", TEXT_WIDTH)
