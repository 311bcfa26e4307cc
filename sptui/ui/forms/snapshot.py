"""Snapshot a volume: an optional name (empty lets the cluster name it; the name it chose is shown) and bind."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from ...api import rules
from ...api.client import SpClient
from ...state import format as fmt
from ...state.actionlog import cli_snapshot
from ..widgets.choices import Tick
from .base import ActionForm, Check, Mutation, Outbox


class SnapshotForm(ActionForm):
    """`n` on a volume."""

    def __init__(self, outbox: Outbox, volume: str) -> None:
        super().__init__(outbox, f"Snapshot volume {volume}", "Snapshot")
        self.volume = volume

    def compose_fields(self) -> ComposeResult:
        yield Static(
            "Freezes the volume's current data into a new snapshot, which becomes the volume's parent.",
            classes="text",
            markup=False,
        )
        yield from self.field_row("name", "Name", Input(placeholder="empty: the cluster names it", compact=True))
        yield from self.field_row("bind", "Bind", Tick("bound to the volume (deleted with it)", compact=True))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-name", Input).focus()

    def build(self, check: Check) -> Mutation | None:
        volume = self.volume
        text = self.query_one("#field-name", Input).value.strip()
        # 15.02 types the new snapshot's name as a VolumeName, so that is the rule (the client applies it too).
        name = check.rule("name", rules.volume_name, text) if text else None
        bind = self.query_one("#field-bind", Checkbox).value
        if check.errors:
            return None
        check.note("name", "" if name else "the cluster will name it; the name it chose is shown afterwards")

        async def call(client: SpClient) -> Any:
            return await client.snapshot_create(volume, name=name, bind=bind or None)

        async def verify(client: SpClient) -> str:
            snapshots = await client.volume_list_snapshots(volume)
            if name is not None:
                found = any(s.name == name for s in snapshots)
                return f"snapshot {name} {'exists' if found else 'does not exist'}"
            return f"volume {volume} has {fmt.plural(len(snapshots), 'snapshot')} in its chain; look for a new one"

        return Mutation(
            "snapshot",
            f"volume {volume}",
            cli_snapshot(volume, name, bind),
            call,
            refresh=("volumes",),
            pane="volumes",
            key=name,
            key_is_auto_name=name is None,
            new_object=True,
            verify=verify,
            made=lambda key: f"Snapshot {key or name} of volume {volume} created",
        )
