"""Fault injection at the HTTP layer, for the reliability tests and for a demo of a bad day.

Each /ctrl/1.0/ request draws once from the seeded RNG to pick at most one fault, so a run with
the same seed and the same requests fails the same way. Shares are probabilities per request.

- http_500: HTTP 500 with an error JSON; the request is not carried out.
- error200: HTTP 200 whose body is an error JSON; not carried out.
- reset: the connection is dropped, half the time before the request is carried out, half the
  time mid-response after it was (so a client cannot tell whether a POST took effect).
- lost: the request is carried out, then the connection is reset before any answer: the one case
  where a mutation took effect and the client cannot know it.
- truncated: the request is carried out; the JSON body is cut short (a complete HTTP response).
- garbage: the request is carried out; the body is not JSON at all.
- latency: seconds added to every request; down: the management service is dead (every
  connection is closed without an answer).
- calls: only these calls (comma-separated wire names, e.g. "VolumeCreate") get faults; empty = all.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

TRUE = ("1", "true", "yes", "on")
KINDS = ("http_500", "reset", "lost", "truncated", "garbage", "error200")
ALIASES = {
    "500": "http_500",
    "http500": "http_500",
    "http_500": "http_500",
    "reset": "reset",
    "resets": "reset",
    "lost": "lost",
    "calls": "calls",
    "only": "calls",
    "truncate": "truncated",
    "truncated": "truncated",
    "garbage": "garbage",
    "error200": "error200",
    "latency": "latency",
    "down": "down",
    "seed": "seed",
}


@dataclass
class Faults:
    latency: float = 0.0
    http_500: float = 0.0
    reset: float = 0.0
    lost: float = 0.0
    truncated: float = 0.0
    garbage: float = 0.0
    error200: float = 0.0
    down: bool = False
    calls: str = ""
    seed: int = 0
    rng: random.Random = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("latency", *KINDS):
            if not math.isfinite(getattr(self, name)):
                # nan passes every comparison below, and an infinite latency would hang every call
                raise ValueError(f"{name} must be a finite number (got {getattr(self, name)})")
        if self.latency < 0:
            raise ValueError("latency must not be negative")
        for kind in KINDS:
            share = getattr(self, kind)
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{kind} must be a share between 0 and 1 (got {share})")
        if sum(getattr(self, kind) for kind in KINDS) > 1.0 + 1e-9:
            raise ValueError("the fault shares add up to more than 1")
        self.rng = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str, seed: int = 0) -> Faults:
        """One `--fault` value: "latency=5", "500=0.2", "reset=0.1", "down", or several joined by commas."""
        return cls.from_specs([spec], seed)

    @classmethod
    def from_specs(cls, specs: Iterable[str], seed: int = 0) -> Faults:
        values: dict[str, Any] = {}
        for spec in specs:
            for part in filter(None, (p.strip() for p in spec.split(","))):
                key, _, value = part.partition("=")
                values[key.strip()] = value.strip() if value else "1"
        return cls.from_mapping(values, seed)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], seed: int = 0) -> Faults:
        """From JSON or parsed specs; keys may use the CLI spellings ("500", "truncate")."""
        kwargs: dict[str, Any] = {"seed": seed}
        for key, value in data.items():
            name = ALIASES.get(str(key).lower())
            if name is None:
                known = ", ".join(sorted(set(ALIASES)))
                raise ValueError(f"unknown fault {key!r}: use one of {known}")
            try:
                if name == "down":
                    kwargs[name] = value if isinstance(value, bool) else str(value).lower() in TRUE
                elif name == "seed":
                    kwargs[name] = int(value)
                elif name == "calls":
                    kwargs[name] = str(value)
                else:
                    kwargs[name] = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"fault {key!r} needs a number (got {value!r})") from None
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rng"}

    @property
    def active(self) -> bool:
        return self.down or self.latency > 0 or any(getattr(self, kind) for kind in KINDS)

    def applies_to(self, call: str) -> bool:
        return not self.calls or call in {c.strip() for c in self.calls.split(",")}

    def pick(self) -> str | None:
        """The fault for one request, or None: exactly one draw per request."""
        draw = self.rng.random()
        upto = 0.0
        for kind in KINDS:
            upto += getattr(self, kind)
            if draw < upto:
                return kind
        return None

    def chance(self) -> float:
        """A second draw, for the details of a fault (where to cut, when to reset)."""
        return self.rng.random()
