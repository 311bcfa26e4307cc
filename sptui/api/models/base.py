"""The base of every answer model, the values shared across answers, and the generic answer of a mutation."""

from __future__ import annotations

import msgspec

# Bandwidth / IOPS: an integer, or "-" for unlimited. Template sizes and replications also use "-".
Limit = int | str

OBJECT_STATES: tuple[str, ...] = (
    "OBJECT_UNDEF",
    "OBJECT_OK",
    "OBJECT_OUTDATED",
    "OBJECT_IN_RECOVERY",
    "OBJECT_WAITING_FOR_VERSION",
    "OBJECT_WAITING_FOR_DISK",
    "OBJECT_DATA_NOT_PRESENT",
    "OBJECT_DATA_LOST",
    "OBJECT_WAINING_FOR_CHAIN",  # sic: the API's own spelling
    "OBJECT_WAIT_IDLE",
)


def object_state_name(state: int) -> str:
    """The ObjectState name of a number; newer releases may add states, so never fail."""
    if 0 <= state < len(OBJECT_STATES):
        return OBJECT_STATES[state]
    return f"unknown state {state}"


class Model(msgspec.Struct, rename="camel", kw_only=True, frozen=True, gc=False):
    """Base of every answer: camelCase on the wire, keyword-only, immutable (snapshots are shared).

    Subclasses inherit frozen at runtime but repeat `frozen=True`: type checkers read each class's keywords
    on their own (PEP 681), and msgspec's advice is to restate it rather than ignore the error.

    gc=False: decoded JSON is a tree and can never form a reference cycle, and leaving 20,000
    volume statuses out of the cyclic collector's walks cut decoding time by half or more.
    """


# --- generic answers -------------------------------------------------------------------------


class ApiOk(Model, frozen=True):
    """The answer of every mutation; VolumeCreate and VolumeSnapshot may add the auto-generated name."""

    ok: bool
    generation: int = 0
    auto_name: str | None = None
