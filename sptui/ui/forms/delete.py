"""Delete a volume or a snapshot, once its name is typed.

What would stop the API is said before anything is sent, and the form offers no way to send it: a volume or
snapshot attached to clients (the form names them, with their rights; `a` detaches), and a snapshot that other
volumes or snapshots depend on (the whole tree below it, from state/chain.py: deleting it would take their data)
or that a template names as its parent. Otherwise the form says what goes: the size and the data stored in it,
and a bound parent snapshot that goes with its last child.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from ...api.client import SpClient
from ...api.errors import ApiError
from ...api.models import Attachment, SnapshotSummary, VolumeSummary
from ...state import format as fmt
from ...state.actionlog import cli_delete
from ...state.chain import Dependent, dependents, describe_dependents
from ...state.detail.volume import volume_status
from .base import ActionForm, Check, Mutation, Outbox

Kind = Literal["volume", "snapshot"]


@dataclass(frozen=True)
class DeleteData:
    """The object, what holds it (clients, dependents, templates) and what would go with it."""

    own: VolumeSummary
    stored: int | None
    attached: tuple[Attachment, ...]
    below: tuple[Dependent, ...]
    templates: tuple[str, ...]
    bound_parents: tuple[str, ...]  # bound snapshots above it that go with it (it is their last child)

    @property
    def blockers(self) -> tuple[str, ...]:
        """Why the API would refuse, in the operator's words; empty when it can go."""
        own = self.own
        kind = "snapshot" if isinstance(own, SnapshotSummary) else "volume"
        out = []
        if self.attached:
            clients = ", ".join(f"{a.client} ({a.rights})" for a in self.attached)
            out.append(f"Attached to client(s) {clients}: detach it first (`a` on it).")
        if self.below:
            out.append(f"{describe_dependents(self.below)} depend on this {kind}: delete or rebase them first.")
        if self.templates:
            out.append(f"Template(s) {', '.join(self.templates)} use it as their parent: change them first.")
        return tuple(out)


def going_with(
    own: VolumeSummary, snapshots: dict[str, SnapshotSummary], everything: list[VolumeSummary], held: set[str]
) -> tuple[str, ...]:
    """The bound snapshots above `own` that lose their last child with it: the cluster collects them too, unless
    they are attached (`held`)."""
    out: list[str] = []
    child, parent = own.name, snapshots.get(own.parent_name)
    while parent is not None and parent.bound and parent.name not in held and parent.name not in out:
        if any(s.parent_name == parent.name and s.name != child for s in everything):
            break  # another volume or snapshot still needs it
        out.append(parent.name)
        child, parent = parent.name, snapshots.get(parent.parent_name)
    return tuple(out)


class DeleteForm(ActionForm):
    """`D` on a volume or snapshot."""

    DEFAULT_CSS = "DeleteForm #delete-body { height: auto; }"

    def __init__(self, outbox: Outbox, kind: Kind, name: str) -> None:
        super().__init__(outbox, f"Delete {kind} {name}", f"Delete {kind}", loads=True)
        self.kind: Kind = kind
        self.name_ = name
        self.data: DeleteData | None = None

    def compose_fields(self) -> ComposeResult:
        yield Vertical(id="delete-body")

    async def fetch(self) -> DeleteData:
        client: SpClient = self.sptui.client
        name, snapshot = self.name_, self.kind == "snapshot"
        found, volumes, snapshots, attachments, templates, status = await asyncio.gather(
            listed(client, self.kind, name),
            client.volumes_list(),
            client.snapshots_list(),
            client.attachments_list(),
            client.volume_templates_list(),
            volume_status(client, self.sptui.state, name),
        )
        own = found[0]
        attached = tuple(a for a in attachments if a.volume == name and a.snapshot == snapshot)
        below = dependents(name, volumes, snapshots) if snapshot else ()
        users = tuple(t.name for t in templates if snapshot and t.parent_name == name)
        # An attached bound snapshot is not collected when its last child goes.
        holders = {a.volume for a in attachments if a.snapshot}
        by_name = {s.name: s for s in snapshots if not s.deleted}
        everything = [*volumes, *by_name.values()]
        stored = status.stored_size if status is not None else None
        return DeleteData(own, stored, attached, below, users, going_with(own, by_name, everything, holders))

    async def populate(self, data: DeleteData) -> None:
        self.data = data
        own, kind, name = data.own, self.kind, self.name_
        stored = f", {fmt.size_bytes(data.stored)} of data stored in it" if data.stored is not None else ""
        lines = [f"Deletes {kind} {name}: {fmt.size_bytes(own.size)}{stored}. This cannot be undone."]
        if data.bound_parents:
            lines.append(
                f"Bound snapshot(s) {', '.join(data.bound_parents)} lose their last child and are deleted with it."
            )
        if kind == "snapshot" and not data.below:
            lines.append("Nothing depends on it.")
        widgets: list[Widget] = [Static(fmt.inert_lines(line), classes="text", markup=False) for line in lines]
        blockers = data.blockers
        widgets += [Static(fmt.inert_lines(f"⚠ {b}"), classes="text warning", markup=False) for b in blockers]
        submit = self.query_one("#submit", Button)
        submit.variant = "error"
        focus: Widget = self.query_one("#cancel", Button)
        if not blockers:
            focus = Input(placeholder=name, compact=True)
            widgets += self.field_row("confirm", "Type the name", focus)
        await self.query_one("#delete-body", Vertical).mount_all(widgets)
        focus.focus()

    def build(self, check: Check) -> Mutation | None:
        data = self.data
        if data is None or data.blockers:
            return None  # the form says why; nothing can be sent
        name, kind = self.name_, self.kind
        typed = self.query_one("#field-confirm", Input).value.strip()
        if typed != name:
            check.error("confirm", f"type the {kind}'s name, {name}, to delete it")
            return None

        async def call(client: SpClient) -> Any:
            if kind == "snapshot":
                return await client.snapshot_delete(name)
            return await client.volume_delete(name)

        async def verify(client: SpClient) -> str:
            return await still_there(client, kind, name)

        return Mutation(
            "delete",
            f"{kind} {name}",
            cli_delete(kind, name),
            call,
            refresh=("volumes",),
            verify=verify,
            removes=name,
        )


async def listed(client: SpClient, kind: Kind, name: str) -> list[VolumeSummary]:
    """The object's own VolumeList or SnapshotList answer (a list of one)."""
    if kind == "snapshot":
        return list(await client.snapshot_list(name))
    return await client.volume_list(name)


async def still_there(client: SpClient, kind: Kind, name: str) -> str:
    """Whether the object is gone, being deleted (a snapshot's space is reclaimed first), or still there."""
    try:
        found = await listed(client, kind, name)
    except ApiError as error:
        if error.name == "objectNotFound" or error.status == 404:
            return f"{kind} {name} does not exist any more"
        raise
    if found and isinstance(found[0], SnapshotSummary) and found[0].deleted:
        return f"{kind} {name} is being deleted"
    return f"{kind} {name} still exists"
