"""Attach a volume or snapshot to clients (read-write or read-only; snapshots only read-only), or detach it.

The clients come from the API with their state and what they have attached now. The confirmation lists every
client that gains or loses the volume; force gets an extra warning, and detaching from all clients asks for
the volume's name to be typed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection as Choice

from ...api.client import SpClient
from ...api.models import Attachment, SnapshotReassign, VolumeReassign
from ...state import format as fmt
from ...state.actionlog import cli_reassign
from ...state.format import inert
from ..widgets.choices import OneOf, Picks, Tick
from .base import ActionForm, Check, Mutation, Outbox
from .confirm import Confirmation

Kind = Literal["volume", "snapshot"]

OPERATIONS: dict[str, str] = {
    "rw": "attach read-write",
    "ro": "attach read-only",
    "detach": "detach from the chosen clients",
    "all": "detach from every client",
}


@dataclass(frozen=True)
class ClientInfo:
    id: int
    status: str
    has: str | None  # "rw" / "ro" when the volume is attached there now

    @property
    def up(self) -> bool:
        return self.status == "running"

    def label(self) -> str:
        now = f"has it {self.has}" if self.has else "not attached"
        return f"client {self.id:<5} {self.status or 'unknown':<9} {now}"


@dataclass(frozen=True)
class Plan:
    """What a submit would change: (client, rights) gained, and clients that lose it."""

    operation: str
    gains: tuple[tuple[int, str], ...]
    loses: tuple[int, ...]
    force: bool


class ReassignForm(ActionForm):
    """`a` on a volume or snapshot."""

    def __init__(self, outbox: Outbox, kind: Kind, name: str) -> None:
        super().__init__(outbox, f"Attach / detach {kind} {name}", "Review", loads=True)
        self.kind: Kind = kind
        self.name_ = name
        self.clients: dict[int, ClientInfo] = {}
        self.plan: Plan | None = None

    def compose_fields(self) -> ComposeResult:
        operations = [k for k in OPERATIONS if not (self.kind == "snapshot" and k == "rw")]
        yield from self.field_row(
            "operation",
            "Operation",
            OneOf(*(RadioButton(OPERATIONS[k], name=k) for k in operations), compact=True),
        )
        yield from self.field_row("clients", "Clients", Picks[int](compact=True))
        yield from self.field_row("force", "Force", Tick("detach even if it is open (I/O errors there)", compact=True))
        yield Static("space picks clients · every change is shown before it is sent", classes="text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-operation", RadioSet).focus()

    async def fetch(self) -> dict[int, ClientInfo]:
        client: SpClient = self.sptui.client
        services, attachments = await asyncio.gather(client.services_list(), client.attachments_list())
        has = {a.client: a.rights for a in attachments if self._is_ours(a)}
        status = {cid: svc.status for cid, svc in services.clients.items()}
        # A client that has it attached but is missing from ServicesList is still listed: it can be detached.
        return {cid: ClientInfo(cid, status.get(cid, "unknown"), has.get(cid)) for cid in sorted({*status, *has})}

    def _is_ours(self, attachment: Attachment) -> bool:
        return attachment.volume == self.name_ and attachment.snapshot == (self.kind == "snapshot")

    def populate(self, data: dict[int, ClientInfo]) -> None:
        self.clients = data
        choices = self.query_one("#field-clients", SelectionList)
        choices.clear_options()
        # Content, not str: a str prompt is parsed as markup, and a client's status is the API's text.
        choices.add_options([Choice(Content(inert(info.label())), cid) for cid, info in sorted(data.items())])

    def build(self, check: Check) -> Mutation | None:
        pressed = self.query_one("#field-operation", RadioSet).pressed_button
        operation = pressed.name if pressed is not None else None
        chosen = sorted(self.query_one("#field-clients", SelectionList).selected)
        force = self.query_one("#field-force", Checkbox).value
        if operation is None:
            check.error("operation", "choose attach or detach")
            return None
        clients = self.clients
        if operation == "all":
            loses = tuple(cid for cid, info in sorted(clients.items()) if info.has)
            if not loses:
                check.error("operation", f"{self.name_} is not attached to any client")
            if chosen:
                check.note("clients", "detaching from every client: the choice of clients is not used")
            gains: tuple[tuple[int, str], ...] = ()
        elif not chosen:
            check.error("clients", "pick at least one client (space)")
            return None
        elif operation == "detach":
            missing = [cid for cid in chosen if not clients[cid].has]
            if missing:
                check.error("clients", f"not attached on {fmt.named(missing, 'client')}")
            loses, gains = tuple(chosen), ()
        else:
            down = [cid for cid in chosen if not clients[cid].up]
            if down:
                check.error("clients", f"{fmt.named(down, 'client')} not running: cannot attach there")
            same = [cid for cid in chosen if clients[cid].has == operation]
            if same:
                check.error("clients", f"already {operation} on {fmt.named(same, 'client')}")
            loses, gains = (), tuple((cid, operation) for cid in chosen)
        if force and operation in ("rw", "ro"):
            check.error("force", "force only applies to detaching")
        if check.errors:
            return None
        plan = Plan(operation, gains, loses, force)
        self.plan = plan
        return self._mutation(plan)

    def _mutation(self, plan: Plan) -> Mutation:
        name, kind = self.name_, self.kind
        rw = [cid for cid, rights in plan.gains if rights == "rw"]
        ro = [cid for cid, rights in plan.gains if rights == "ro"]
        detach: list[int] | Literal["all"] = "all" if plan.operation == "all" else list(plan.loses)
        item: VolumeReassign | SnapshotReassign
        if kind == "snapshot":
            item = SnapshotReassign(snapshot=name, ro=ro or None, detach=detach or None, force=plan.force)
        else:
            item = VolumeReassign(volume=name, rw=rw or None, ro=ro or None, detach=detach or None, force=plan.force)
        what = "attach" if plan.gains else "detach"
        expected = {cid: rights for cid, rights in plan.gains}

        async def call(client: SpClient) -> Any:
            return await client.volumes_reassign([item])

        async def verify(client: SpClient) -> str:
            attachments = await client.attachments_list()
            now = {a.client: a.rights for a in attachments if self._is_ours(a)}
            missing = [cid for cid, rights in expected.items() if now.get(cid) != rights]
            still = [cid for cid in plan.loses if cid in now]
            if not missing and not still:
                return "the attachments are as requested"
            parts = [f"not attached on {', '.join(map(str, missing))}"] if missing else []
            parts += [f"still attached on {', '.join(map(str, still))}"] if still else []
            return "; ".join(parts)

        return Mutation(
            what,
            f"{kind} {name}",
            cli_reassign(kind, name, rw=rw, ro=ro, detach=detach, force=plan.force),
            call,
            refresh=("volumes",),
            pane="volumes",
            key=name,
            verify=verify,
        )

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        plan = self.plan
        if plan is None:
            return None
        name, kind = self.name_, self.kind
        lines: list[str] = []
        for cid, rights in plan.gains:
            before = self.clients[cid].has
            change = f"(now {before})" if before else "(new)"
            mode = "read-write" if rights == "rw" else "read-only"
            lines.append(f"client {cid} gains {kind} {name} {mode} {change}")
        for cid in plan.loses:
            lines.append(f"client {cid} loses {kind} {name} (it has it {self.clients[cid].has})")
        changing = len(plan.gains) + len(plan.loses)
        after = {cid: info.has for cid, info in self.clients.items() if info.has and cid not in plan.loses}
        after.update(dict(plan.gains))
        touched = {cid for cid, _ in plan.gains} | set(plan.loses)
        for cid, has in sorted(after.items()):
            if cid not in touched:  # the whole picture: who else has it, unchanged
                lines.append(f"client {cid} keeps {kind} {name} {'read-write' if has == 'rw' else 'read-only'}")
        warnings: list[str] = []
        if plan.loses:
            warnings.append(f"Anything using the {kind} on {fmt.named(plan.loses, 'client')} stops.")
        writers = sorted(cid for cid, has in after.items() if has == "rw")
        if len(writers) > 1 and any(rights == "rw" for _, rights in plan.gains):
            warnings.append(
                f"{name} will be writable on {fmt.named(writers, 'client')} at once: only safe with a cluster-aware "
                "file system or application."
            )
        if plan.force:
            warnings.append(
                "FORCE: detaches even where the device is open — running I/O fails and file systems on it may "
                "be damaged. Make sure nothing uses it."
            )
        verb = "Attach" if plan.gains else "Detach"
        return Confirmation(
            f"{verb} {kind} {name}: {fmt.plural(changing, 'client')} affected",
            tuple(lines),
            f"{verb} ({fmt.plural(changing, 'client')})",
            tuple(warnings),
            typed=name if plan.operation == "all" else None,
        )
