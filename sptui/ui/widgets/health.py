"""The health bar: the cluster at a glance, always on top.

Alarming states are shown in colour AND in capital words, so the bar reads the same
with NO_COLOR or on a monochrome terminal. Figures whose resource no longer answers are
history, not health: they are dimmed and say how old they are ("12/12 (45 s old)").
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ...state import format as fmt
from ...state.health import Health, UpTotal
from ...state.thresholds import Level
from .flow import Flow

_PLAIN = Style()
OK, WARN, BAD, DIM, BADGE = "health-ok", "health-warn", "health-bad", "health-dim", "health-badge"
WORD = 24  # cells for a status word from the API: made inert and cut, so odd values cannot break the bar
GROUP = 16  # cells for a placement group's name
NAME = 40  # cells for the cluster's name or endpoint
WIDE = 120  # from this width the capacity figure says the bytes too; below it, only the percentages fit
LEVEL_STYLE: dict[Level | None, tuple[str, str]] = {"alarm": (BAD, " FULL"), "warn": (WARN, " high"), None: (OK, "")}


def _whole_percent(ratio: float) -> str:
    """ "89%": rounded down, so the figure never reads as a threshold it has not reached."""
    return f"{int(max(0.0, min(1.0, ratio)) * 100)}%"


class HealthBar(Static):
    """Renders a Health summary; the app hands it a new one after every poll and every second."""

    DEFAULT_CSS = """
    HealthBar { height: auto; padding: 0 1; background: $panel; }
    """

    COMPONENT_CLASSES = {OK, WARN, BAD, DIM, BADGE}

    def __init__(self, *, badges: tuple[str, ...] = (), identity: str = "sptui", id: str | None = None) -> None:
        """`identity` names the cluster watched (its configured name, or the API's host:port): always first."""
        super().__init__(id=id)
        self.badges = badges
        self.identity = fmt.inert(identity, NAME)
        self.health = Health()
        self._shown: Text | None = None

    def show(self, health: Health, badges: tuple[str, ...]) -> None:
        """Called every second: the bar is laid out again only when what it says has changed."""
        self.health, self.badges = health, badges
        text = self.render_health()
        if text != self._shown:
            # A layout pass only when the bar gains or loses a line (its height is auto): the ages ticking every
            # second then repaint the bar alone instead of laying out the whole screen again.
            lines = text.plain.count("\n")
            layout = self._shown is None or lines != self._shown.plain.count("\n")
            self._shown = text
            self.update(text, layout=layout)

    def on_resize(self) -> None:
        self._shown = self.render_health()
        self.update(self._shown)  # the items flow into the new width

    def _style(self, name: str, resource: str | None = None) -> Style:
        """A component style; DIM for any figure of a `resource` whose data is stale."""
        if resource is not None and resource in self.health.stale:
            name = DIM
        # While the app shuts down the component styles are gone; a last tick must not crash on that.
        return self.get_component_rich_style(name, partial=True, default=_PLAIN)

    def _stale_mark(self, flow: Flow, resource: str) -> None:
        """The age of a stale group's figures, where some resources still answer (while none does, the first
        line's DISCONNECTED and its data age say it for all of them)."""
        age = self.health.stale.get(resource)
        if age is not None and self.health.connection == "retrying":
            flow.add(f" ({fmt.age(age)} old)", self._style(WARN))

    def render_health(self, width: int | None = None) -> Text:
        """The bar laid out in `width` cells (the widget's own width by default): three lines of items, an item
        that would not fit starting a line of its own, never split."""
        return self._items().render(width if width is not None else self.content_size.width or None)

    def _items(self) -> Flow:
        h = self.health
        flow = Flow()
        flow.item(self.identity, "bold")
        if h.release:
            flow.add(f" {fmt.inert(h.release, WORD)}", self._style(DIM))
        for badge in self.badges:
            flow.add(" ").add(f" {badge} ", self._style(BADGE))
        cluster = fmt.inert(h.cluster or "unknown", WORD).upper()
        flow.item("cluster ").add(cluster, self._style(OK if h.cluster == "running" else BAD, "services"))
        self._stale_mark(flow, "services")
        if h.blocked:
            flow.add(" (from ServersListBlocked)", self._style(WARN, "services"))
        conn_class = {"connected": OK, "connecting": DIM, "retrying": WARN}.get(h.connection, BAD)
        flow.item(h.connection.upper() if conn_class == BAD else h.connection, self._style(conn_class))
        if h.oldest_age is not None and (h.late or h.error or h.stale):
            # Said when it says something: data older than polling explains, or figures that are history. Data as
            # fresh as its polling is not aged every second (that repainted the bar every second: 1.1 frames a second
            # at rest on the Services pane at large, 0.1 without).
            fresh = not h.error and not h.stale  # spare on a narrow terminal
            age = f"data {fmt.age(h.oldest_age)} old"
            flow.item(age, self._style(WARN if h.error else DIM), spare=1 if fresh else None)
        self._problems(flow)
        flow.line()
        self._counts(flow, "servers", h.servers, "services")
        self._counts(flow, "clients", h.clients, "services")
        self._counts(flow, "mgmt", h.mgmt, "services")
        if h.active_mgmt is not None:
            flow.add(f" (active {h.active_mgmt})", self._style(DIM))
        self._counts(flow, "disks", h.disks, "disks")
        if h.soft_ejecting:
            flow.add(f" {h.soft_ejecting} ejecting", self._style(WARN, "disks"))
        self._stale_mark(flow, "disks")
        self._space(flow)
        if h.maintenance:
            flow.item("maintenance ")
            flow.add(", ".join(h.maintenance), self._style(BAD if h.maintenance_overrun else WARN, "services"))
        flow.line()
        flow.item("volumes ")
        self._volumes(flow)
        self._stale_mark(flow, "volumes")
        if h.tasks is None:
            flow.item("tasks ").add("–", self._style(DIM))
        elif h.tasks:
            progress = "" if h.task_progress is None else f" {fmt.percent(h.task_progress)}"
            flow.item("tasks ").add(f"{h.tasks} relocating{progress}", self._style(WARN, "tasks"))
        else:
            flow.item("tasks ", spare=4).add("none", self._style(DIM))
        if h.relocator:
            flow.item("relocator ", spare=2 if h.relocator == "on" else None)
            flow.add(fmt.inert(h.relocator, WORD), self._style(OK if h.relocator == "on" else WARN, "tasks"))
        if h.balancer:
            idle = h.balancer == "nothing to do"
            flow.item("balancer ", spare=3 if idle else None)
            flow.add(fmt.inert(fmt.api_word(h.balancer), WORD), self._style(DIM if idle else WARN, "tasks"))
            flow.add(" (auto)" if h.balancer_auto else "", self._style(DIM))
        self._stale_mark(flow, "tasks")
        return flow

    def _space(self, flow: Flow) -> None:
        """Cluster used/total and the fullest placement group, coloured and worded by the thresholds:
        "used 34% · ssd 41%" at 80 columns, the bytes too on a wide terminal. The bytes follow the disks; the
        group's members come from the slower capacity poll, so a failure of either dims it and gives its age."""
        space = self.health.space
        if space is None or space.ratio is None:
            return
        stale = [self.health.stale[n] for n in ("disks", "capacity") if n in self.health.stale]
        resource = "disks" if "disks" in self.health.stale else "capacity"
        wide = self.size.width >= WIDE
        cls, word = LEVEL_STYLE[space.level]
        figure = _whole_percent(space.ratio)
        if wide:
            figure = f"{fmt.size_bytes(space.used)} of {fmt.size_bytes(space.total)} ({figure})"
        flow.item("used ").add(f"{figure}{word}", self._style(cls, resource))
        if space.fullest is not None and space.fullest_ratio is not None:
            cls, word = LEVEL_STYLE[space.fullest_level]
            flow.add(" · fullest " if wide else " · ")
            name = fmt.inert(space.fullest, GROUP)
            flow.add(f"{name} {_whole_percent(space.fullest_ratio)}{word}", self._style(cls, resource))
        # Capacity is no connection resource: it can fail alone while the connection reads "connected".
        if stale and self.health.connection in ("connected", "retrying") and "disks" not in self.health.stale:
            flow.add(f" ({fmt.age(max(stale))} old)", self._style(WARN))

    def _problems(self, flow: Flow) -> None:
        """How many problems by severity (`!` lists them); "none" when the Problems view found nothing."""
        counts = self.health.problems
        if counts is None:
            return
        flow.item("problems ")
        shown = [
            (n, word, cls)
            for n, word, cls in (
                (counts.get("critical", 0), "CRITICAL", BAD),
                (counts.get("warning", 0), "warning", WARN),
                (counts.get("notice", 0), "notice", DIM),
            )
            if n
        ]
        if not shown:
            flow.add("none", self._style(OK))
        for index, (n, word, cls) in enumerate(shown):
            flow.add(" · " if index else "")
            flow.add(f"{n} {word}", self._style(cls))

    def _counts(self, flow: Flow, label: str, value: UpTotal, resource: str) -> None:
        flow.item(f"{label} ")
        if value.total == 0 and value.up == 0:
            flow.add("–", self._style(DIM))
        elif value.ok:
            flow.add(str(value), self._style(OK, resource))
        else:
            # Servers waiting for quorum run but have not joined: not DOWN, and not shown as down.
            parts = [f"{value.down} DOWN"] * bool(value.down) + [f"{value.waiting} waiting"] * bool(value.waiting)
            flow.add(f"{value} ({', '.join(parts)})", self._style(BAD if value.down else WARN, resource))

    def _volumes(self, flow: Flow) -> None:
        counts = self.health.volumes
        if not counts:
            flow.add("–", self._style(DIM))
            return
        parts = (
            ("up", "up", OK),
            ("up soon", "up soon", WARN),
            ("degraded", "DEGRADED", WARN),
            ("data lost", "DATA LOST", BAD),
            ("down", "DOWN", BAD),
        )
        known = {key for key, _, _ in parts}
        # A status a newer release added ("blocked") is counted and shown as the API spells it, never dropped.
        unknown = tuple((key, fmt.inert(key, WORD).upper(), WARN) for key in sorted(counts) if key not in known)
        first = True
        for key, word, cls in (*parts, *unknown):
            n = counts.get(key, 0)
            if key != "up" and n == 0:
                continue
            if not first:
                flow.add(" · ")
            first = False
            flow.add(f"{n} {word}", self._style(cls if n else DIM, "volumes"))
