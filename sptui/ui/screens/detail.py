"""The base of every detail screen: a breadcrumb, a summary, views of polled tables, and escape back.

A detail screen declares its views (one ResourceSpec each, named after its object) and how to summarise
the first view's data; this base registers each view's resource with the app's poll engine when the view
is first shown, hands the visible one its state, and drops them all when the screen closes. The dashboard
stays underneath, so escape returns to exactly the pane, row and filter the operator left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from ...state import format as fmt
from ...state.detail.common import Summary
from ...state.resources import RESOURCES, ResourceSpec
from ...state.selection import Selection
from ...state.snapshot import ResourceState, Snapshot
from ..handle import SptuiNode
from ..view import ResourceView
from ..widgets.footer import KeyFooter
from ..widgets.pane import ResourcePane
from ..widgets.table import VirtualTable
from ..widgets.tabline import append_tabs
from .dashboard import DashboardScreen

MAX_VIEWS = 5


@dataclass(frozen=True)
class View:
    """One table of a detail screen."""

    spec: ResourceSpec[Any]
    label: str  # in the view bar: "1 Volumes  2 Objects  3 Requests"
    source: str | None = None  # rows derived from this polled resource's data (spec.to_rows); not polled itself
    # Fetched once when the screen opens, not when first shown: a big answer (a disk's 200k objects) is then
    # ready, or nearly, by the time the operator turns to it. Polled only while shown, like any view.
    prefetch: bool = False
    acts_on_rows: bool = False  # actions take the row's object (a server's disk), not the screen's own

    @property
    def resource(self) -> str:
        """The resource that must be polled for this view."""
        return self.source or self.spec.name


class DetailScreen(Screen[None], SptuiNode):
    """Subclasses give `make_views` and `summarize`; the first view's resource feeds the summary."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        *(
            Binding(str(i), f"show_view({i - 1})", f"View {i}", show=False, id=f"detail.view.{i}")
            for i in range(1, MAX_VIEWS + 1)
        ),
        Binding("tab", "cycle_view(1)", "Next view", id="detail.next"),
        Binding("shift+tab", "cycle_view(-1)", "Previous view", show=False, id="detail.previous"),
    ]

    DEFAULT_CSS = """
    DetailScreen > #crumbs { height: 1; padding: 0 1; background: $primary-background; text-style: bold; }
    DetailScreen > #summary { height: auto; padding: 0 1; background: $boost; }
    DetailScreen > #summary.-warn { color: $warning; }
    DetailScreen > #summary.-error { color: $error; text-style: bold; }
    DetailScreen > #summary.-stale { background: $warning 30%; }
    DetailScreen > #views { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    DetailScreen > ContentSwitcher { height: 1fr; }
    """

    def __init__(self, selection: Selection) -> None:
        super().__init__()
        self.subject = selection
        self.views = self.make_views()[:MAX_VIEWS]
        self.current = 0
        self.panes = [ResourcePane(view.spec, id=f"view-{index}") for index, view in enumerate(self.views)]
        self.crumbs = Static("", id="crumbs", markup=False)
        self.summary = Static("", id="summary", markup=False)
        self.view_bar = Static("", id="views", markup=False)
        self._registered: list[str] = []
        self._derived: dict[str, tuple[Snapshot, Snapshot]] = {}  # view name -> (source snapshot, derived)

    # ---------------------------------------------------------------- what subclasses say

    def make_views(self) -> list[View]:
        raise NotImplementedError

    def summarize(self, data: Any) -> Summary:
        raise NotImplementedError

    def early_summary(self) -> Summary | None:
        """What is known already (from the dashboard's data) while the summary's own answer is awaited."""
        return None

    def crumb(self) -> str:
        """This screen in the breadcrumb."""
        return self.subject.label

    def subject_selection(self) -> Selection:
        """The object the screen shows, for actions."""
        return self.subject

    @property
    def summary_resource(self) -> str:
        return self.views[0].resource

    def spec_named(self, name: str) -> ResourceSpec[Any]:
        """The polled spec behind a resource name of this screen's views."""
        return next(view.spec for view in self.views if view.spec.name == name)

    # ---------------------------------------------------------------- lifecycle

    def compose(self) -> ComposeResult:
        yield self.crumbs
        yield self.summary
        yield self.view_bar
        with ContentSwitcher(initial="view-0"):
            yield from self.panes
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_show_view(0)

    def on_unmount(self) -> None:
        app = self.sptui
        for name in self._registered:
            # A screen of the same object opened right after this one closed has registered its own spec under
            # the same name by now (unmounting lags the pop): leave that one alone.
            if app.scheduler.specs.get(name) is self.spec_named(name):
                app.scheduler.unregister(name)
        self._registered.clear()

    def on_screen_resume(self) -> None:
        """Back on top (a modal closed, or a deeper screen): poll what is visible at the visible pace again."""
        self._activate()
        self.pane.table.focus()

    def _activate(self) -> None:
        app = self.sptui
        for name in self.wanted_resources():
            if name not in self._registered:
                self._registered.append(name)
                app.scheduler.register(self.spec_named(name))
            app.pane_shown(name)

    # ---------------------------------------------------------------- ResourceView

    def wanted_resources(self) -> tuple[str, ...]:
        """The summary's and the current view's resources; a prefetched view's too until its first answer."""
        state = self.sptui.state
        early = [view.resource for view in self.views if view.prefetch and state.get(view.resource) is None]
        return tuple(dict.fromkeys((self.summary_resource, self.views[self.current].resource, *early)))

    def show_resources(self) -> None:
        app = self.sptui
        now = app.clock()
        self.crumbs.update(self._crumb_text())
        self._show_summary(now)
        for index, (view, pane) in enumerate(zip(self.views, self.panes, strict=True)):
            # A prefetched view's table takes its rows while hidden, so it shows them the moment it is chosen.
            if index == self.current or (view.prefetch and view.resource in self._registered):
                pane.show_state(self._state_of(view), now, app.scheduler.retry_in(view.resource))

    @property
    def pane(self) -> ResourcePane:
        return self.panes[self.current]

    def _state_of(self, view: View) -> ResourceState | None:
        """The view's state; a derived view gets its rows from its source's snapshot, once per snapshot."""
        state: ResourceState | None = self.sptui.state.resources.get(view.resource)
        if view.source is None or state is None or state.snapshot is None:
            return state
        source = state.snapshot
        cached = self._derived.get(view.spec.name)
        if cached is None or cached[0] is not source:
            rows, levels = view.spec.to_rows(source.data, self.sptui.state)
            derived = Snapshot(
                view.spec.name, source.data, rows, levels, source.fetched_at, source.latency, source.generation
            )
            cached = self._derived[view.spec.name] = (source, derived)
        return ResourceState(
            snapshot=cached[1],
            error=state.error,
            error_at=state.error_at,
            failures=state.failures,
            auth_failed=state.auth_failed,
        )

    def _show_summary(self, now: float) -> None:
        state: ResourceState | None = self.sptui.state.resources.get(self.summary_resource)
        level: str | None = None
        if state is None or state.snapshot is None:
            early = self.early_summary()
            lines = list(early.lines) if early is not None else []
            level = early.level if early is not None else None
            if state is not None and state.error:
                lines.append(f"no data yet: {fmt.inert(state.error)}")
            elif early is None:
                lines.append("loading…")
        else:
            summary = self.summarize(state.snapshot.data)
            lines, level = list(summary.lines), summary.level
        stale = state is not None and state.error is not None
        if stale and state is not None and state.snapshot is not None:
            lines.append(state.stale_line(now, self.sptui.scheduler.retry_in(self.summary_resource)))
        self.summary.update(Text("\n".join(lines)))
        self.summary.set_class(level == "warn", "-warn")
        self.summary.set_class(level == "error", "-error")
        self.summary.set_class(stale, "-stale")

    def _crumb_text(self) -> Text:
        parts: list[str] = []
        for screen in self.app.screen_stack:
            if isinstance(screen, DashboardScreen):
                parts.append(f"Dashboard: {RESOURCES[screen.current].title}")
            elif isinstance(screen, DetailScreen):
                parts.append(fmt.inert(screen.crumb(), 60))
            if screen is self:
                break
        text = Text(" › ".join(parts))
        for badge in self.sptui.badges:
            text.append(f"  [{badge}]", style="reverse")
        return text

    def _view_bar_text(self) -> Text:
        """The view keys, the current view bracketed (readable without colour) and highlighted."""
        views = enumerate(self.views)
        return append_tabs(Text(), [(f"{index + 1} {view.label}", index == self.current) for index, view in views])

    # ---------------------------------------------------------------- selection and opening

    def row_selection(self) -> Selection | None:
        """The object under the cursor of the visible table, if its rows stand for objects."""
        table, spec = self.pane.table, self.views[self.current].spec
        key = table.cursor_key
        if key is None or spec.select is None:
            return None
        row = table.row(key)
        return spec.select(key, row) if row is not None else None

    def selection(self) -> Selection | None:
        """What actions act on: the screen's own object, or the row's on views that list objects to act on."""
        if self.views[self.current].acts_on_rows:
            return self.row_selection()
        return self.subject_selection()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        selection = self.row_selection()
        if selection is not None:
            self.open(selection)

    def open(self, selection: Selection) -> None:
        """Open the object's screen; if it is already open further down, go back to it instead of stacking a
        second copy (its resources are polled under the same names)."""
        app = self.sptui
        for screen in reversed(app.screen_stack):
            if isinstance(screen, DetailScreen) and same_object(screen.subject, selection):
                while app.screen is not screen:
                    app.pop_screen()
                return
        app.open_detail(selection)

    # ---------------------------------------------------------------- actions

    def action_back(self) -> None:
        app = self.sptui
        app.pop_screen()
        top = app.screen
        if isinstance(top, ResourceView) and not isinstance(top, DetailScreen):
            for name in top.wanted_resources():  # the dashboard's pane: back to its visible pace
                app.pane_shown(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_view" and parameters:
            index = parameters[0]
            return isinstance(index, int) and 0 <= index < len(self.views)
        return not (action == "cycle_view" and len(self.views) < 2)

    def action_show_view(self, index: int) -> None:
        if not 0 <= index < len(self.views):
            return
        self.current = index
        self.query_one(ContentSwitcher).current = f"view-{index}"
        self.view_bar.update(self._view_bar_text())
        self.pane.table.focus()
        self._activate()
        self.show_resources()

    def action_cycle_view(self, step: int) -> None:
        self.action_show_view((self.current + step) % len(self.views))


def same_object(a: Selection, b: Selection) -> bool:
    """Volumes and snapshots share one namespace, so a name is the same object whichever kind was guessed."""
    named = {"volume", "snapshot"}
    kinds_match = a.kind == b.kind or (a.kind in named and b.kind in named)
    return kinds_match and str(a.key) == str(b.key)
