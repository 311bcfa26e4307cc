"""SptuiApp: owns the API client, the cluster state and the poll workers.

Data flow (DESIGN.md): a one-shot timer per resource starts a worker; the worker awaits
the client, builds an immutable Snapshot and posts a message; the handler stores it in
ClusterState and hands it to the visible pane; only then is the timer re-armed, so polls
of one resource never overlap, failures back off and success resets.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import partial
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.message import Message
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import ModalScreen, Screen

from ..api.client import SpClient
from ..api.errors import ApiError
from ..files import write_crash_report
from ..state.eventlog import EventLog
from ..state.eventrows import EVENTS
from ..state.events import Event
from ..state.follow import FOLLOW, Follower
from ..state.format import inert, inert_lines
from ..state.health import CORE, HealthSummary, health_changed
from ..state.journal import Journal
from ..state.jump import Jump
from ..state.messages import describe_error
from ..state.resources import RESOURCES, Res, ResourceSpec
from ..state.scheduler import PollScheduler
from ..state.selection import Selection
from ..state.snapshot import ClusterState, Deferred, Row, Snapshot
from ..state.thresholds import DEFAULT_THRESHOLDS, Thresholds
from .actions import ACTION_BINDINGS, Actions
from .drill import detail_screen
from .forms.base import ActionForm
from .forms.confirm import ConfirmScreen
from .gcpolicy import GcPolicy
from .keys import KeyGate
from .screens.dashboard import PANES, DashboardScreen
from .screens.help import HelpScreen
from .screens.jump import JumpScreen
from .view import LiveView, ResourceView
from .widgets.footer import KeyFooter
from .widgets.table import VirtualTable

EVENTS_KEY = list(RESOURCES).index(Res.EVENTS) + 1  # the pane's number key

log = logging.getLogger("sptui")

NOTICES_KEPT = 200


class Polled(Message):
    """A poll succeeded; `unchanged` when its answer equals the last one (then nothing derived from it moves)."""

    def __init__(self, snapshot: Snapshot, unchanged: bool = False) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.unchanged = unchanged


class PollFailed(Message):
    """A poll gave no usable answer; the last good data stays."""

    def __init__(self, resource: str, reason: str, auth_failed: bool = False, answered: bool = False) -> None:
        super().__init__()
        self.resource = resource
        self.reason = reason
        self.auth_failed = auth_failed
        self.answered = answered


def lay_out(
    spec: ResourceSpec[Any], data: Any, previous: Snapshot | None, state: ClusterState, visible: bool = True
) -> tuple[Mapping[Hashable, Row], Mapping[Hashable, str], bool]:
    """The rows of a new answer, and whether it equals the last one. An equal answer of a resource whose rows
    follow its data alone keeps the last rows (the transport hands back the very object when the bytes are the
    same, so the comparison is then one identity check); so do rows made again from an equal answer that come out
    equal. A hidden pane's rows that only it reads are laid out when it is shown (`rows_when_shown`)."""
    unchanged = previous is not None and (data is previous.data or data == previous.data)
    if unchanged and spec.rows_follow_data and previous is not None:
        return previous.rows, previous.levels, True
    if not visible and spec.rows_when_shown and spec.rows_follow_data:
        return (*Deferred(partial(spec.to_rows, data, state)).mappings(), unchanged)
    rows, levels = spec.to_rows(data, state)
    if unchanged and previous is not None and rows == previous.rows and levels == previous.levels:
        # Rows made from the clock too (the services' uptimes as shown) that came out as they were: the last ones
        # stand, so the pane has nothing to diff.
        return previous.rows, previous.levels, True
    return rows, levels, unchanged


class SptuiApp(App[None]):
    """The dashboard app. Tests pass `auto_poll=False` and a frozen `clock` (and `wall_clock`, for the API's
    timestamps: service uptime, maintenance), and call `poll_now()`. `thresholds` (the config file's) say how
    full is too full in every view; `cluster_name` (SP_CLUSTER_NAME) names the cluster in the header;
    `gc_policy` (the command line's; tests leave the process's collector alone) keeps full collections out of
    keypresses (gcpolicy.py)."""

    TITLE = "sptui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="app.refresh"),
        Binding("p", "toggle_pause", "Pause/resume", id="app.pause"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        # Not in the footer (it is full at 80 columns): the bar's problem count and the tab line lead there.
        Binding("exclamation_mark", "problems", "Problems", key_display="!", show=False, id="app.problems"),
        Binding("colon", "jump", "Jump to an object or pane", key_display=":", show=False, id="app.jump"),
        Binding("q", "quit", "Quit", id="app.quit"),
        *ACTION_BINDINGS,
    ]

    def __init__(
        self,
        client: SpClient,
        *,
        demo: bool = False,
        read_only: bool = False,
        refresh_scale: float = 1.0,
        auto_poll: bool = True,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        journal: Journal | None = None,
        bell: bool = True,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        cluster_name: str = "",
        gc_policy: GcPolicy | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.demo = demo
        self.read_only = read_only
        self.clock = clock
        self.state = ClusterState(clock, wall=wall_clock, thresholds=thresholds)
        self._offered_seen: dict[str, bool] = {}
        self.refresh_scale = refresh_scale
        self.scheduler = PollScheduler(
            RESOURCES,
            state=self.state,
            clock=clock,
            set_timer=lambda delay, fire, name: self.set_timer(delay, fire, name=name),
            start_work=self._poll,
            visible=self.visible_resources,
            scale=refresh_scale,
            auto=auto_poll,
        )
        self.dashboard = DashboardScreen(self.badges, self.identity(cluster_name))
        self.actions = Actions(self)
        self.eventlog = EventLog(wall_clock, journal)
        self.follower = Follower(clock, wall_clock)
        # The last toasts raised, newest last, kept after they fade: what the operator was told (Textual keeps
        # only the live ones, privately).
        self.notices: deque[Notification] = deque(maxlen=NOTICES_KEPT)
        self.state.derived[FOLLOW] = self.follower  # the Tasks pane's status line shows its progress
        self.actions.log.listeners.append(self.eventlog.action)
        self.state.derived[EVENTS] = self.eventlog  # the Events pane is derived from it
        self.eventlog.listeners.append(lambda _: self._derive(Res.EVENTS, answered=True))
        self.bell_on = bell
        self._told_journal_error = False
        self._summarize = HealthSummary()
        self.keys = KeyGate(self, super().on_event)
        self.gc_policy = gc_policy

    # ---------------------------------------------------------------- lifecycle

    def identity(self, cluster_name: str) -> str:
        """What the header names the cluster by: its configured name, else the API's host:port; the demo's
        simulator listens on a random port, which says nothing, so it is "sim" (short: the DEMO badge follows)."""
        return cluster_name.strip() or ("sim" if self.demo else self.client.endpoint)

    @property
    def badges(self) -> tuple[str, ...]:
        flags = (("DEMO", self.demo), ("READ-ONLY", self.read_only), ("PAUSED", self.scheduler.paused))
        return tuple(word for word, on_ in flags if on_)

    def on_mount(self) -> None:
        self.push_screen(self.dashboard)
        self.set_interval(1.0, self.redraw, name="ages tick")
        self.eventlog.start()
        self.set_interval(60.0, self.eventlog.alive, name="journal alive")
        if self.gc_policy is not None:
            self.gc_policy.start()
            self.set_interval(1.0, self.collect_when_idle, name="idle gc")
        self.scheduler.start_wanted()
        self.redraw()

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes from the driver go through the gate, one at a time (see keys.py for why)."""
        if KeyGate.takes(event):
            if self.gc_policy is not None:
                self.gc_policy.key()
            await self.keys.receive(event)
        else:
            await super().on_event(event)

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text made inert: they quote names and reasons from the API (an `autoName`,
        an HTTP reason phrase), which must neither apply markup nor crash the app on an unbalanced `[/]`."""
        super().notify(inert_lines(message), title=inert(title), severity=severity, timeout=timeout, markup=False)

    @on(Notify)
    def _keep_notice(self, event: Notify) -> None:
        self.notices.append(event.notification)

    @on(VirtualTable.RowHighlighted)
    def _fit_footer(self) -> None:
        """The footer offers the actions that apply to the row under the cursor, so it follows the cursor."""
        for footer in self.screen.query(KeyFooter):
            footer.fit_keys()

    def _fatal_error(self) -> None:
        """An unexpected crash: Textual would print the traceback with its local variables, and the token can
        be one of them. Write a plain, token-free traceback to a private file instead, and say where it is;
        the exit status is non-zero (Textual sets it before calling this)."""
        error = sys.exc_info()[1] or self._exception
        what = type(error).__name__ if error is not None else "unknown error"
        report = "".join(traceback.format_exception(error)) if error is not None else "no exception recorded\n"
        try:
            path = write_crash_report(self.client.scrub(report))
            message = f"sptui crashed ({what}); the traceback is in {path}"
        except OSError as failure:
            message = f"sptui crashed ({what}); the traceback could not be written: {failure}"
        log.error("%s", message)
        self.bell()
        self._exit_renderables.append(Text(inert(message)))
        self._close_messages_no_wait()

    def visible_resources(self) -> tuple[str, ...]:
        """What the top screen shows now (a ResourceView); everything else is hidden. A modal (a form, help)
        leaves the screen beneath in view, so that screen's resources stay visible."""
        for view in reversed(self.screen_stack):
            if isinstance(view, ResourceView):
                return view.wanted_resources()
            if not isinstance(view, ModalScreen):
                break
        return self.dashboard.wanted_resources()

    # ---------------------------------------------------------------- polling

    @work(group="poll", exit_on_error=False)
    async def _poll(self, name: str) -> None:
        spec = self.scheduler.specs[name]
        started = self.clock()
        previous = self.state.get(name)
        try:
            data = await self.scheduler.fetch_for(name)(self.client, self.state)
            # 20,000 rows take a few hundred ms to build: off the event loop, so keys keep working.
            visible = name in self.visible_resources()
            rows, levels, unchanged = await asyncio.to_thread(lay_out, spec, data, previous, self.state, visible)
        except Exception as error:
            auth = isinstance(error, ApiError) and error.auth_failed
            answered = isinstance(error, ApiError)
            self.post_message(PollFailed(name, describe_error(error, self.client.endpoint), auth, answered))
            return
        finished = self.clock()
        note = spec.note(data) if spec.note else ""
        snapshot = Snapshot(name, data, rows, levels, finished, finished - started, self.client.last_generation, note)
        self.post_message(Polled(snapshot, unchanged))

    @on(Polled)
    def _polled(self, message: Polled) -> None:
        name = message.snapshot.resource
        if name in self.scheduler.specs:  # not a late answer for a screen that has closed
            if self.state.of(name).error:
                log.info("%s: answering again", name)
            stored = self.state.store(message.snapshot)
            if self.state.offered != self._offered_seen:  # a release-dependent key appears (or goes)
                self._offered_seen = dict(self.state.offered)
                self.refresh_bindings()
            self._announce(self.eventlog.observe(message.snapshot, self.follower.disks(), message.unchanged))
            self._follow(message.snapshot)
            if not message.unchanged and health_changed(stored.previous, message.snapshot):
                self.scheduler.changed(name)  # what it implies (a disk down → volume states) is polled now
            self._derive(name, answered=True, changed=not message.unchanged)
        self._finish(name)

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        name = message.resource
        if name in self.scheduler.specs:
            if self.state.of(name).error != message.reason:  # log changes, not every retry
                log.warning("%s: %s", name, message.reason)
            self.state.fail(name, message.reason, auth_failed=message.auth_failed, answered=message.answered)
            self._derive(name, answered=False)
        self._finish(name)

    def _finish(self, name: str) -> None:
        self._announce(self.eventlog.connection(self.state))
        self.scheduler.finished(name)
        self.redraw()
        if self.gc_policy is not None and not self.gc_policy.frozen and self._first_round_answered():
            self.gc_policy.loaded()

    def _first_round_answered(self) -> bool:
        """Every resource polled now has answered (or failed) at least once: the start-up heap is complete."""
        states = [self.state.of(name) for name in self.scheduler.wanted()]
        return all(state.snapshot is not None or state.error for state in states)

    def collect_when_idle(self) -> None:
        """The one-second tick: a full garbage collection if one is due and no key is being handled."""
        if self.gc_policy is not None:
            self.gc_policy.idle(self.keys.busy, len(self.screen_stack))

    def _derive(self, name: str, answered: bool, changed: bool = True) -> None:
        """Views derived from `name` (Problems; Capacity over the disks) follow its answer or failure at once,
        without a poll of their own; a derived view's own answer is laid out again over the latest inputs (they
        may have come in while it was being fetched). An answer equal to the last one changes nothing derived
        from it but the ages, so only the views on screen are laid out again then."""
        visible = None if changed else self.visible_resources()
        for spec in self.scheduler.specs.values():
            if spec.derive is None or not (name in spec.reads or (answered and name == spec.name)):
                continue
            if visible is not None and spec.name != name and spec.name not in visible:
                continue
            data = spec.derive(self.state)
            if data is not None:
                self.state.relayout(spec.name, data, *spec.to_rows(data, self.state))

    def _follow(self, snapshot: Snapshot) -> None:
        """Followed actions move on with the disks' answer: their action log results, and an event (and a toast)
        when one ends or stalls."""
        self.follower.discover(snapshot)
        for update in self.follower.observe(snapshot):
            if update.entry is None:  # a soft-eject found running: news only if it stalls, and no toast
                self.eventlog.add([update.event] if update.event is not None else [])
                continue
            self.actions.log.update(update.entry, update.result, update.final)
            if update.event is not None:
                event = update.event
                self.eventlog.add([event])
                severity: SeverityLevel = "warning" if event.severity in ("warning", "critical") else "information"
                self.notify(f"{event.subject.capitalize()} {event.text}.", title="action", severity=severity)

    def _announce(self, events: list[Event]) -> None:
        """Critical news rings the bell once and shows one toast (the rest are a key away in Events); the
        operator's own actions never do."""
        critical = [event for event in events if event.severity == "critical" and event.kind != "action"]
        if critical:
            if self.bell_on:
                self.bell()
            first = critical[0]
            more = f"\nand {len(critical) - 1} more ({EVENTS_KEY} Events)" if len(critical) > 1 else ""
            self.notify(f"{first.subject}: {first.text}{more}", title="critical", severity="error", timeout=10)
        if self.eventlog.error and not self._told_journal_error:
            self._told_journal_error = True
            self.notify(f"{self.eventlog.error}. Events are kept for this run only.", severity="warning", timeout=10)

    async def poll_now(self, names: Iterable[str] | None = None) -> None:
        """Poll at once and wait for the answers (the `r` key, and tests with auto-polling off)."""
        await self.scheduler.poll_now(names)

    def pane_shown(self, name: str) -> None:
        """A view of the resource became visible: the scheduler decides whether to poll it now."""
        self.scheduler.shown(name)
        self.redraw()

    # ---------------------------------------------------------------- rendering

    def redraw(self) -> None:
        """Redraw the health bar and the views on screen from ClusterState: every second (ages and retry
        countdowns move on) and after each poll. A view applies a snapshot's rows only when it is new to it,
        so the one-second redraw costs the title lines, not the tables. Nothing once the app has begun to close:
        its screens' widgets are being taken down (a timer tick or a poll's end can land in between)."""
        if not self.is_running or not self.dashboard.health.is_mounted:
            return
        health = self._summarize(self.state, late=self.scheduler.late(CORE))
        self.dashboard.health.show(health, self.badges)
        view = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(view, LiveView):
            view.show_resources()
        if view is not self.dashboard:
            self.dashboard.show_resources()

    # ---------------------------------------------------------------- actions

    def action_refresh(self) -> None:
        self.run_worker(self.poll_now(), group="refresh", exit_on_error=False)

    def action_toggle_pause(self) -> None:
        if self.scheduler.paused:
            self.notify("Polling resumed.")
            self.scheduler.resume()
        else:
            self.scheduler.pause()
            self.notify("Polling paused — p resumes, r refreshes once.")
        self.redraw()

    def selection(self) -> Selection | None:
        """The object under the cursor of the top screen, if it shows one."""
        view = self.screen_stack[-1] if self.screen_stack else None
        return view.selection() if isinstance(view, ResourceView) else None

    def open_detail(self, selection: Selection | None) -> None:
        """`enter`: open the detail screen of the selected object, if it has one."""
        if selection is None:
            return
        screen = detail_screen(selection)
        if screen is None:
            self.notify(f"No detail view for {selection.kind}s.", timeout=3)
            return
        self.push_screen(screen)

    def action_act(self, action: str) -> None:
        self.actions.start(action, self.selection())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only mode hides the mutating keys (footer, key panel) and keeps them from running."""
        return self.actions.check_action(action, parameters)

    def _over_a_form(self) -> bool:
        """A form or a confirmation is open: keys that leave it would lose what was typed there."""
        return any(isinstance(screen, (ActionForm, ConfirmScreen)) for screen in self.screen_stack)

    def _to_pane(self, name: str) -> None:
        """Back to the dashboard (closing detail screens), on the pane `name`."""
        while self.screen is not self.dashboard and len(self.screen_stack) > 1:
            self.pop_screen()
        self.dashboard.action_show_pane(name)

    def action_problems(self) -> None:
        """`!` from the dashboard or a detail screen: back to the dashboard, on the Problems pane. Never over a
        form or a confirmation."""
        if not self._over_a_form():
            self._to_pane(Res.PROBLEMS)

    def action_jump(self) -> None:
        """`:` from the dashboard or a detail screen (not over a form, help or another modal): the jump line."""
        if not self._over_a_form() and isinstance(self.screen, ResourceView):
            self.push_screen(JumpScreen(self.state), self._jumped)

    def _jumped(self, jump: Jump | None) -> None:
        """Where the jump line leads: an object's detail screen (over the screen it was typed on), or a pane."""
        if jump is None:
            return
        if jump.selection is None:
            self._to_pane(jump.pane)
        else:
            self.open_detail(jump.selection)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.actions.offered(self.BINDINGS)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's own "Keys" (a side panel of the focused widget's keys) would sit beside sptui's help.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        for name in PANES:
            title = RESOURCES[name].title
            yield SystemCommand(f"Show {title}", f"Switch to the {title} pane", partial(self._palette_pane, name))
        if screen is self.dashboard:
            yield SystemCommand(
                "Overview on or off",
                "Every pane at once, on a terminal of 160x45 or more",
                self.dashboard.action_toggle_overview,
            )
        if isinstance(screen, ResourceView):
            yield SystemCommand("Jump to an object or pane", ": then disk 203, volume NAME, events…", self.action_jump)
        yield SystemCommand("Refresh now", "Poll the visible pane and the health bar now", self.action_refresh)
        yield SystemCommand("Pause or resume polling", "Stop or restart the timers", self.action_toggle_pause)
        yield SystemCommand("Keys", "Every key sptui knows, by where it works (?)", self.action_help)
        for spec, selection in self.actions.available(screen):
            # The palette parses titles as markup, and a selection's label is the API's name for it.
            label = escape(inert(selection.label, 60)) if selection is not None else ""
            title = f"{spec.title} {label}" if spec.kinds and selection is not None else spec.title
            yield SystemCommand(title, spec.palette, partial(self.actions.start, spec.name, selection))

    def _palette_pane(self, name: str) -> None:
        self.dashboard.action_show_pane(name)
