"""The StorPool management API (15.02 or 19.01) over a Cluster, as a plain ASGI app (no web framework).

/ctrl/1.0/<Call>[/<arg>...] answers as a StorPool cluster of the chosen release does (19.01 also takes
/ctrl/1.0/MultiCluster/<Call> for the calls it documents there). /sim/... is the simulator's own
control surface, never subject to injected faults:

    POST /sim/scenario  {"action": "fail_disk", "id": 101}  (any Cluster scenario method)
    GET|POST /sim/faults  the Faults as JSON; POST replaces them: {"500": 0.2, "latency": 1} or {"spec": "reset=0.1"}
    GET /sim/stats  {"requests": {"GET DisksList": 3, ...}, "posts": N, "refused": N};  POST /sim/stats/reset
    GET /sim/info  scale, seed, speed, release, simulated seconds since start, generation

Both need `Authorization: Storpool v1:TOKEN`.

Errors are `{"error": {"name", "descr", "transient"}}` with a 4xx/5xx status: invalidParam and
invalidJson 400, authFailed 401, objectNotFound and invalidCall 404, invalidMethod 405,
objectExists, busy, objectDown and insufficientResources 409, clusterNotRunning 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from typing import Any

from ..api.errors import ValidationError
from .asgi import (
    Payload,
    Receive,
    Scope,
    Send,
    drop,
    encode,
    encode_spliced,
    error_body,
    joined,
    lifespan,
    read_body,
    respond,
    start,
)
from .bodies import ARGS, json_object, request_body
from .cluster import SCENARIOS, Cluster
from .faults import Faults
from .model import SimError, invalid, not_running
from .releases import RELEASES
from .routes import DEFAULT_RELEASE, MULTI_CLUSTER, NO_GENERATION, ROUTES, ROUTES_BY_RELEASE, Call
from .wire import fullest_disk

__all__ = ["DEFAULT_RELEASE", "NO_GENERATION", "ROUTES", "ROUTES_BY_RELEASE", "SimApp", "Stats", "make_app"]

log = logging.getLogger(__name__)
_NO_FAULTS = Faults()

PREFIX = "/ctrl/1.0/"
ALWAYS_ANSWERS = frozenset({"ServersListBlocked", "NetworkPeersList"})
MAX_CACHE = 256


class Stats:
    """Requests per "METHOD Call" at the server: tests count what a client really sent.

    Only requests with the right token are counted by name; the rest are one number, `refused`, so a flood of
    made-up call names from anyone who can reach the port cannot grow the table without bound.
    """

    def __init__(self) -> None:
        self.requests: dict[str, int] = {}
        self.posts = 0
        self.refused = 0

    def count(self, method: str, call: str) -> None:
        key = f"{method} {call}"
        self.requests[key] = self.requests.get(key, 0) + 1
        if method == "POST":
            self.posts += 1

    def to_dict(self) -> dict[str, Any]:
        return {"requests": dict(sorted(self.requests.items())), "posts": self.posts, "refused": self.refused}


class SimApp:
    """The ASGI callable; see the module docstring."""

    def __init__(
        self, cluster: Cluster, token: str, faults: Faults | None = None, release: str = DEFAULT_RELEASE
    ) -> None:
        if release not in ROUTES_BY_RELEASE:
            raise ValueError(f"release must be one of {', '.join(RELEASES)}, not {release!r}")
        self.release = release
        self.routes = ROUTES_BY_RELEASE[release]
        self._no_generation = NO_GENERATION[release]
        self._multi_cluster = MULTI_CLUSTER[release]
        self.cluster = cluster
        self._auth = f"Storpool v1:{token}".encode()
        self.faults = faults or Faults(seed=cluster.seed)
        self.stats = Stats()
        self._cache: dict[str, tuple[int, bytes]] = {}

    def __repr__(self) -> str:
        return f"SimApp(scale={self.cluster.scale.name!r}, seed={self.cluster.seed}, release={self.release!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        body = await read_body(receive)
        if path.startswith(PREFIX):
            await self._ctrl(scope, method, path[len(PREFIX) :], body, send)
        elif not self._authorized(scope):
            await respond(send, 401, error_body("authFailed", "missing or wrong Authorization header"))
        elif path.startswith("/sim/"):
            await self._sim(method, path[len("/sim/") :], body, send)
        else:
            await respond(send, 404, error_body("invalidCall", f"no such path: {path}"))

    def _authorized(self, scope: Scope) -> bool:
        for key, value in scope["headers"]:
            if key == b"authorization":
                return hmac.compare_digest(value, self._auth)
        return False

    # -- /ctrl/1.0/

    async def _ctrl(self, scope: Scope, method: str, rest: str, body: bytes, send: Send) -> None:
        name, *args = rest.split("/")
        if name == "MultiCluster" and args and args[0] in self._multi_cluster:
            name, *args = args
        authorized = self._authorized(scope)
        if authorized:
            self.stats.count(method, name)
        else:
            self.stats.refused += 1
        faults = self.faults if self.faults.applies_to(name) else _NO_FAULTS
        if faults.down:
            await drop(send, reset=False)
            return
        if faults.latency:
            await asyncio.sleep(faults.latency)
        fault = faults.pick()
        if fault == "http_500":
            await respond(send, 500, error_body("internalError", "injected fault: internal server error", True))
            return
        if fault == "error200":
            await respond(send, 200, error_body("busy", "injected fault: the service is busy, try again", True))
            return
        if fault == "reset" and faults.chance() < 0.5:
            await drop(send, reset=True)
            return
        payload: Payload
        if not authorized:
            status, payload = 401, error_body("authFailed", "missing or wrong Authorization header")
        else:
            # Built in a worker thread, one at a time under the cluster's lock: while an answer is built (the requests
            # in flight take ~0.5 s at large) the event loop still sends what is answered already (a disk's 34 MB).
            status, payload = await asyncio.to_thread(self._answer, method, name, args, body)
        if fault == "lost":
            await drop(send, reset=True)
        elif fault == "reset":
            whole = joined(payload)
            await send(start(status, b"application/json", len(whole)))
            await send({"type": "http.response.body", "body": whole[: len(whole) // 2], "more_body": True})
            await drop(send, reset=True)
        elif fault == "truncated":
            whole = joined(payload)
            await respond(send, status, whole[: int((len(whole) - 1) * faults.chance())])
        elif fault == "garbage":
            await respond(send, status, b"<html><body><h1>502 Bad Gateway</h1></body></html>\n", b"text/html")
        else:
            await respond(send, status, payload)

    def _answer(self, method: str, name: str, raw_args: list[str], body: bytes) -> tuple[int, Payload]:
        call = self.routes.get(name)
        if call is None:
            return 404, error_body("invalidCall", f"no such API call: {name}")
        handler = call.get if method == "GET" else call.post if method == "POST" else None
        if handler is None:
            allowed = " or ".join(m for m, h in (("GET", call.get), ("POST", call.post)) if h)
            return 405, error_body("invalidMethod", f"{name} takes {allowed}, not {method}")
        if len(raw_args) != len(call.args):
            wanted = "/".join("{" + a + "}" for a in call.args)
            return 404, error_body("invalidCall", f"usage: {name}{'/' if wanted else ''}{wanted}")
        c = self.cluster
        try:
            args = [ARGS[kind](text, kind) for kind, text in zip(call.args, raw_args, strict=True)]
            request = request_body(name, body, self.release) if method == "POST" else None
            with c.lock:
                c.sync()
                if not c.quorum and name not in ALWAYS_ANSWERS:
                    raise not_running()
                if method == "GET":
                    return 200, self._get("/".join([name, *raw_args]), call, args)
                extra = handler(c, request, *args) or {}
                ok = {"generation": c.generation, "ok": True, **extra}
                return 200, encode({"generation": c.generation, "data": ok})
        except ValidationError as e:
            return 400, error_body("invalidParam", str(e))
        except SimError as e:
            return e.status, error_body(e.name, e.descr, e.transient)
        except Exception:
            log.exception("sptui-sim: %s %s failed", method, name)
            return 500, error_body("internalError", f"the simulator failed on {name}; see its log", False)

    def _get(self, key: str, call: Call, args: list[Any]) -> Payload:
        """A GET's answer, from the cache while the cluster has not changed since it was encoded."""
        c = self.cluster
        if call.cache:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == c.revision:
                return hit[1]
        assert call.get is not None
        name = key.split("/", 1)[0]
        data = call.get(c, *args)
        envelope = {} if name in self._no_generation else {"generation": c.generation}
        if not call.cache:
            return encode_spliced(envelope, data)
        payload = encode({**envelope, "data": data})
        if len(self._cache) >= MAX_CACHE:
            self._cache.clear()
        self._cache[key] = (c.revision, payload)
        return payload

    def warm(self) -> None:
        """Encode every answer that depends only on the cluster's state and takes no argument, as a real API has
        them at hand: otherwise the first client's first round waits while the simulator builds them (at large
        ~0.9 s of its CPU, VolumesGetStatus 0.45 s of it). An answer the state refuses is left to its request.

        So is DiskDescribe of the disk holding the most objects (at large 200,000: ~0.3 s to build and encode at first
        ask), whose objects stay encoded beside the last disk asked while the revision holds (wire.encoded_objects)."""
        c = self.cluster
        for name, call in self.routes.items():
            if call.get is None or not call.cache or call.args:
                continue
            with c.lock:
                c.sync()
                if not c.quorum and name not in ALWAYS_ANSWERS:
                    return
                with contextlib.suppress(SimError):
                    self._get(name, call, [])
        describe = self.routes.get("DiskDescribe")
        with c.lock:
            fullest = fullest_disk(c)
            if describe is not None and describe.get is not None and fullest is not None:
                c.pinned_objects = fullest
                with contextlib.suppress(SimError):
                    self._get(f"DiskDescribe/{fullest}", describe, [fullest])

    # -- /sim/

    async def _sim(self, method: str, rest: str, body: bytes, send: Send) -> None:
        try:
            status, payload = self._sim_answer(method, rest, body)
        except SimError as e:
            status, payload = e.status, error_body(e.name, e.descr, e.transient)
        await respond(send, status, payload)

    def _sim_answer(self, method: str, rest: str, body: bytes) -> tuple[int, bytes]:
        c = self.cluster
        key = f"{method} {rest}"
        if key == "GET stats":
            return 200, encode(self.stats.to_dict())
        if key == "POST stats/reset":
            self.stats = Stats()
            return 200, encode({"ok": True})
        if key == "GET faults":
            return 200, encode(self.faults.to_dict())
        if key == "GET info":
            with c.lock:
                c.sync()
                info = {"scale": c.scale.name, "seed": c.seed, "speed": c.speed, "release": self.release, "now": c.now}
                return 200, encode({**info, "generation": c.generation})
        if key == "POST faults":
            data = json_object(body)
            seed = data.pop("seed", self.faults.seed)
            spec = data.pop("spec", None)
            try:
                if spec is not None:
                    specs = [spec] if isinstance(spec, str) else list(spec)
                    self.faults = Faults.from_specs([*specs, *(f"{k}={v}" for k, v in data.items())], seed=seed)
                else:
                    self.faults = Faults.from_mapping(data, seed=seed)
            except (TypeError, ValueError) as e:
                raise invalid(str(e)) from None
            return 200, encode(self.faults.to_dict())
        if key == "POST scenario":
            data = json_object(body)
            action = data.get("action")
            if action not in SCENARIOS:
                raise invalid(f"action must be one of {', '.join(SCENARIOS)}")
            params = [data.get(p) for p in SCENARIOS[action]]
            if any(not isinstance(p, int) or isinstance(p, bool) for p in params):
                raise invalid(f"{action} needs integers: {', '.join(SCENARIOS[action])}")
            getattr(c, action)(*params)
            return 200, encode({"ok": True, "generation": c.generation})
        return 404, error_body("invalidCall", f"no such simulator path: {method} /sim/{rest}")


def make_app(cluster: Cluster, token: str, faults: Faults | None = None, release: str = DEFAULT_RELEASE) -> SimApp:
    """The ASGI app serving `cluster` in the API of `release`; requests must carry `token`."""
    return SimApp(cluster, token, faults, release)
