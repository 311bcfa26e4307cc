"""Maintenance actions: the keys that open forms, and the controller that sends what the forms build.

Mutating keys are declared once here and included in the app's BINDINGS, so the footer, the help screen and
the command palette all come from the same place. In `--read-only` mode the app's `check_action` hides them
(footer, help, palette) and a hidden twin of each key says that sptui runs read-only instead; the controller
refuses to open a form or send a request as well, so not one POST can leave.

The controller sends each mutation exactly once and never retries: when the answer is lost after sending
(a TransportError), the outcome is unknown, so it re-reads the cluster and says what it found instead.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from ..api.errors import ApiError, SpError, TransportError, ValidationError
from ..state.actionlog import ActionLog
from ..state.selection import Selection
from ..state.snapshot import ClusterState
from .forms.base import Done, Mutation, Outbox
from .forms.create_volume import CreateVolumeForm
from .forms.delete import DeleteForm
from .forms.disk_description import DiskDescriptionForm
from .forms.edit_volume import EditVolumeForm
from .forms.maintenance import MaintenanceForm
from .forms.reassign import Kind, ReassignForm
from .forms.resize import ResizeForm
from .forms.snapshot import SnapshotForm
from .forms.soft_eject import SoftEjectForm
from .forms.tasks_control import TasksControlForm
from .screens.action_log import ActionLogScreen
from .screens.balancer_plan import BalancerPlanScreen
from .screens.volume import VolumeScreen
from .view import ResourceView

if TYPE_CHECKING:
    from .app import SptuiApp

READ_ONLY_NOTICE = "sptui runs read-only (--read-only): {title} is not offered and nothing is sent to the API."


def _node_of(selection: Selection | None) -> int | None:
    """The node of the selected service or maintenance row, to fill the form with."""
    node = selection.row.get("node") if selection is not None else None
    return node if isinstance(node, int) else None


def _subject(selection: Selection | None) -> Selection:
    """The object an action acts on; `Actions.start` has checked that there is one, of the right kind."""
    if selection is None:
        raise ValueError("this action needs a selected object")
    return selection


@dataclass(frozen=True)
class ActionSpec:
    """One action: its key, what it acts on (empty: needs no selection), and whether it changes the cluster."""

    name: str
    key: str
    title: str
    kinds: tuple[str, ...]
    palette: str
    open: Callable[[Selection | None, Outbox], Screen[Any]]  # a form sends through the Outbox it is given
    mutating: bool = True
    # Whether the cluster's release has the calls (None: every release has them); unknown means not yet.
    offered: Callable[[ClusterState], bool] | None = None
    # The footer's word for it (help shows the title): short, so that wide terminals fit the keys that apply.
    short: str = ""  # empty: the title


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec(
            "create_volume",
            "c",
            "Create volume",
            (),
            "Create a volume: size, replication, placement groups or a template",
            lambda selection, outbox: CreateVolumeForm(outbox),
        ),
        ActionSpec(
            "snapshot",
            "n",
            "Snapshot",
            ("volume",),
            "Snapshot the selected volume",
            lambda selection, outbox: SnapshotForm(outbox, str(_subject(selection).key)),
        ),
        ActionSpec(
            "soft_eject",
            "e",
            "Soft-eject",
            ("disk",),
            "Soft-eject the selected disk, or pause / resume / cancel its soft-eject",
            lambda selection, outbox: SoftEjectForm(outbox, cast(int, _subject(selection).key)),
        ),
        ActionSpec(
            "reassign",
            "a",
            "Attach/detach",
            ("volume", "snapshot"),
            "Attach the selected volume or snapshot to clients, or detach it",
            lambda selection, outbox: ReassignForm(
                outbox, cast(Kind, _subject(selection).kind), str(_subject(selection).key)
            ),
            short="Attach",
        ),
        ActionSpec(
            "resize",
            "R",
            "Resize",
            ("volume",),
            "Resize the selected volume: grow it, or shrink it (data past the new size is lost)",
            lambda selection, outbox: ResizeForm(outbox, str(_subject(selection).key)),
            short="Resize",
        ),
        ActionSpec(
            "delete",
            "D",
            "Delete",
            ("volume", "snapshot"),
            "Delete the selected volume or snapshot (not while attached or depended on)",
            lambda selection, outbox: DeleteForm(
                outbox, cast(Kind, _subject(selection).kind), str(_subject(selection).key)
            ),
            short="Delete",
        ),
        ActionSpec(
            "edit_volume",
            "u",
            "Change volume",
            ("volume",),
            "Change the selected volume's template, replication, placement or tags",
            lambda selection, outbox: EditVolumeForm(outbox, str(_subject(selection).key)),
            short="Change",
        ),
        ActionSpec(
            "disk_description",
            "i",
            "Describe disk",
            ("disk",),
            "Set the selected disk's description",
            lambda selection, outbox: DiskDescriptionForm(outbox, cast(int, _subject(selection).key)),
            short="Describe",
        ),
        ActionSpec(
            "tasks",
            "b",
            "Balancer/relocator",
            (),
            "Turn the relocator on or off; start, stop or commit the balancer",
            lambda selection, outbox: TasksControlForm(outbox),
            short="Balancer",
        ),
        ActionSpec(
            "balancer_plan",
            "P",
            "Balancer plan",
            (),
            "What the balancer's plan would move, per disk and per volume, before it is committed",
            lambda selection, outbox: BalancerPlanScreen(),
            mutating=False,
            short="Plan",
        ),
        ActionSpec(
            "maintenance",
            "m",
            "Maintenance",
            (),
            "Put a node in maintenance before a reboot, or complete its maintenance (API 19.01)",
            lambda selection, outbox: MaintenanceForm(outbox, _node_of(selection)),
            offered=lambda state: state.offered.get("MaintenanceList") is True,
        ),
        ActionSpec(
            "log",
            "L",
            "Action log",
            (),
            "Every action of this run, its result and the storpool CLI line",
            lambda selection, outbox: ActionLogScreen(),
            mutating=False,
            short="Log",
        ),
    )
}


def _bindings() -> list[Binding]:
    keys = [
        Binding(s.key, f"act('{s.name}')", s.short or s.title, tooltip=s.title, id=f"actions.{s.name}")
        for s in ACTIONS.values()
    ]
    # Reached only when check_action hides the real key (read-only): the key then explains itself.
    twins = [
        Binding(
            s.key,
            f"notify({READ_ONLY_NOTICE.format(title=s.title.lower())!r}, 'read-only', 'warning')",
            "",
            show=False,
            id=f"actions.{s.name}.read_only",
        )
        for s in ACTIONS.values()
        if s.mutating and s.offered is None  # a release-dependent key is simply absent in read-only mode
    ]
    return keys + twins


ACTION_BINDINGS: list[Binding] = _bindings()


def is_mutating(action: str, parameters: tuple[object, ...]) -> bool:
    """Whether an app action string runs a mutating maintenance action."""
    if action != "act" or not parameters:
        return False
    spec = ACTIONS.get(str(parameters[0]))
    return spec is not None and spec.mutating


class Actions:
    """Opens the form for an action on the current selection, sends what forms submit, and logs it all."""

    def __init__(self, app: SptuiApp) -> None:
        self.app = app
        self.log = ActionLog()

    # ---------------------------------------------------------------- offering

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        """False hides a mutating key from the footer and keeps it from running, in read-only mode, and a key
        whose calls the cluster's release does not offer."""
        if action == "act" and parameters and not self.is_offered(str(parameters[0])):
            return False
        return not (self.app.read_only and is_mutating(action, parameters))

    def is_offered(self, name: str) -> bool:
        spec = ACTIONS.get(name)
        return spec is None or spec.offered is None or spec.offered(self.app.state)

    def applies(self, action: str, selection: Selection | None) -> bool:
        """Whether the footer offers an app action over `selection`: an action on objects only when the cursor is
        on one of its kinds, as the palette does (the key still answers elsewhere, saying what it needs)."""
        if not action.startswith("act("):
            return True
        spec = ACTIONS.get(action[len("act(") :].strip("()'\" "))
        return spec is None or not spec.kinds or (selection is not None and selection.kind in spec.kinds)

    def offered(self, bindings: Iterable[BindingType]) -> list[Binding]:
        """The bindings to list in help: without the mutating ones in read-only mode."""
        return [
            b
            for b in bindings
            if isinstance(b, Binding)
            and not (self.app.read_only and _binding_mutates(b))
            and not (b.action.startswith("act(") and not self.is_offered(b.action[len("act(") :].strip("()'\" ")))
        ]

    def available(self, screen: Screen[Any]) -> list[tuple[ActionSpec, Selection | None]]:
        """The actions to offer in the command palette over `screen`, each with what it would act on.

        None over a dialog: a form opened from the palette would stack on a form that may be sending.
        """
        if isinstance(screen, ModalScreen):
            return []
        selection = screen.selection() if isinstance(screen, ResourceView) else None
        return [
            (spec, selection)
            for spec in ACTIONS.values()
            if not (spec.mutating and self.app.read_only)
            and self.is_offered(spec.name)
            and (not spec.kinds or (selection is not None and selection.kind in spec.kinds))
        ]

    def start(self, action: str, selection: Selection | None) -> None:
        spec = ACTIONS.get(action)
        if spec is None:
            self.app.notify(f"Unknown action {action!r}.", severity="error")
            return
        if spec.mutating and self.app.read_only:
            self.app.notify(READ_ONLY_NOTICE.format(title=spec.title.lower()), title="read-only", severity="warning")
            return
        if not self.is_offered(spec.name):
            self.app.notify(f"{spec.title}: this cluster's API release has no such call.", severity="warning")
            return
        if isinstance(self.app.screen, ModalScreen):
            self.app.notify("Close the open dialog first.", severity="warning", timeout=3)
            return
        if spec.kinds and (selection is None or selection.kind not in spec.kinds):
            what = " or ".join(spec.kinds)
            self.app.notify(f"{spec.title}: put the cursor on a {what} first.", severity="warning", timeout=4)
            return
        self.app.push_screen(spec.open(selection, Outbox(self.send, self.log.now)), callback=self._closed)

    def _closed(self, result: object) -> None:
        """A form's result: what became of what it sent (None: it was cancelled before anything was sent)."""
        if isinstance(result, Done):
            self.after(result)

    # ---------------------------------------------------------------- sending

    async def send(self, mutation: Mutation) -> Done:
        """Send once. Refusals and successes are logged now; an unknown outcome after the re-read (`after`)."""
        at = self.log.now()
        if self.app.read_only:
            return Done(mutation, "refused", at, detail="sptui runs read-only; nothing was sent")
        try:
            answer = await mutation.call(self.app.client)
        except ApiError as error:
            self.log.record(mutation.what, mutation.target, "refused", f"{error.name}: {error.descr}", mutation.cli, at)
            return Done(mutation, "refused", at, error=error, detail=f"{error.name}: {error.descr}")
        except ValidationError as error:  # refused before sending: nothing left sptui
            return Done(mutation, "refused", at, error=error, detail=str(error))
        except TransportError as error:
            return Done(mutation, "unknown", at, error=error, detail=error.reason)
        except Exception as error:  # a bug after the request may have left: unknown, never a refusal
            return Done(mutation, "unknown", at, detail=f"internal error: {type(error).__name__}: {error}")
        named = f" (named {answer.auto_name})" if answer.auto_name else ""
        self.log.record(mutation.what, mutation.target, "ok", f"ok{named}", mutation.cli, at)
        return Done(mutation, "ok", at, answer=answer, entry=len(self.log) - 1)

    def after(self, done: Done) -> None:
        """After a form closed with a sent mutation: tell the operator, refresh what changed, put the cursor on it."""
        m = done.mutation
        if done.outcome == "ok" and m.follow is not None and done.entry is not None:
            # Accepted is not done: the data moves for minutes; the action log entry and the Tasks pane follow it.
            started = self.app.follower.start(m.follow, done.entry, self.app.state.get("tasks"))
            self.log.update(done.entry, started.result)
            self.app.notify(f"{m.follow.toast()}.", title="started")
        elif done.outcome == "ok" and m.made is not None:
            self.app.notify(f"{m.made(done.key)}.", title="ok")
        elif done.outcome == "ok":
            named = f" — named {done.answer.auto_name}" if done.answer and done.answer.auto_name else ""
            self.app.notify(f"{m.what.capitalize()} {m.target}: done{named}.", title="ok")
        self.app.run_worker(self._refresh(done), group="mutation", exit_on_error=False)

    async def _refresh(self, done: Done) -> None:
        m = done.mutation
        app = self.app
        names = [n for n in dict.fromkeys((*m.refresh, *app.scheduler.wanted())) if n in app.scheduler.specs]
        await app.poll_now(names)
        if done.outcome == "unknown":
            found = await self._verify(m)
            self.log.record(m.what, m.target, "unknown", f"unknown: {done.detail}; re-read: {found}", m.cli, done.at)
            app.notify(
                f"{m.what.capitalize()} {m.target}: the answer was lost ({done.detail}), so the outcome is unknown. "
                f"Re-read the cluster: {found}. sptui did not retry; check before trying again.",
                title="outcome unknown",
                severity="warning",
                timeout=20,
            )
        key = done.key
        if m.pane is not None and key is not None:
            app.call_later(self._show, m.pane, key, m.new_object)
        if m.removes is not None and done.outcome == "ok":
            app.call_later(self._leave, m.removes)

    async def _verify(self, mutation: Mutation) -> str:
        if mutation.verify is None:
            return "nothing to compare against"
        try:
            return await mutation.verify(self.app.client)
        except SpError as error:
            return f"could not re-read ({error})"

    def _leave(self, name: str) -> None:
        """Close the detail screens of a deleted volume or snapshot (and what was opened from them)."""
        stack = self.app.screen_stack
        gone = next((s for s in stack if isinstance(s, VolumeScreen) and s.volume_name == name), None)
        if gone is None or isinstance(self.app.screen, ModalScreen):
            return
        while self.app.screen is not gone:
            self.app.pop_screen()
        self.app.pop_screen()

    def _show(self, pane: str, key: Hashable, new_object: bool) -> None:
        """The cursor onto the new or changed object, if the operator is still on the dashboard."""
        if self.app.screen is self.app.dashboard:
            cleared = self.app.dashboard.show_object(pane, key, switch=new_object)
            if cleared is not None:
                self.app.notify(f"Filter '{cleared}' cleared to show {key}.", timeout=6)  # notify makes it inert


def _binding_mutates(binding: Binding) -> bool:
    action = binding.action
    if not action.startswith("act("):
        return False
    name = action[len("act(") :].strip("()'\" ")
    spec = ACTIONS.get(name)
    return spec is not None and spec.mutating
