"""Soft-eject a disk, or pause / resume / cancel a soft-eject in progress.

Before anything is sent the dialog shows what a soft-eject means, from DiskGetInfo: how many objects and
bytes will move, which volumes have data on the disk, and warnings when another disk of the same placement
group is down or already soft-ejecting, or when the volumes would be left without enough servers with usable
disks for their replication. A disk that holds data asks for its id to be typed. On a disk that is already
soft-ejecting, `e` offers pause (or resume) and cancel instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from ...api.client import SpClient
from ...api.models import DiskInfo, VolumeSummary
from ...state import format as fmt
from ...state.actionlog import cli_disk
from ...state.detail import disk_info_any
from ...state.eject import EjectImpact, eject_impact, impact_lines
from ...state.follow import Watch
from ..widgets.choices import OneOf
from .base import ActionForm, Check, Mutation, Outbox
from .confirm import TYPED_PLACEHOLDER


@dataclass(frozen=True)
class EjectData:
    info: DiskInfo
    impact: EjectImpact


CONTROL = {
    # command: (what, CLI word, client method)
    "pause": ("pause soft-eject", "softEjectPause", "disk_soft_eject_pause"),
    "resume": ("resume soft-eject", "softEject", "disk_soft_eject"),
    "cancel": ("cancel soft-eject", "softEjectCancel", "disk_soft_eject_cancel"),
}


class SoftEjectForm(ActionForm):
    """`e` on a disk: the soft-eject confirmation, or the controls of one in progress."""

    DEFAULT_CSS = "SoftEjectForm #eject-body { height: auto; }"

    def __init__(self, outbox: Outbox, disk_id: int) -> None:
        super().__init__(outbox, f"Soft-eject disk {disk_id}", f"Soft-eject disk {disk_id}", loads=True)
        self.disk_id = disk_id
        self.data: EjectData | None = None

    def compose_fields(self) -> ComposeResult:
        yield Vertical(id="eject-body")

    async def fetch(self) -> EjectData:
        client: SpClient = self.sptui.client
        info, disks, groups, volumes, snapshots = await asyncio.gather(
            disk_info_any(client, self.sptui.state, self.disk_id),
            client.disks_list(),
            client.placement_groups_list(),
            client.volumes_list(),
            client.snapshots_list(),
        )
        policies: dict[str, VolumeSummary] = {v.name: v for v in (*volumes, *snapshots)}
        return EjectData(info, eject_impact(self.disk_id, info, disks, groups, policies))

    @property
    def mode(self) -> str:
        return self.data.info.soft_eject if self.data else "off"

    async def populate(self, data: EjectData) -> None:
        self.data = data
        impact = data.impact
        widgets: list[Widget] = []
        submit = self.query_one("#submit", Button)
        if self.mode == "off":
            widgets += [Static(fmt.inert_lines(line), classes="text", markup=False) for line in impact_lines(impact)]
            widgets += [
                Static(fmt.inert_lines(f"⚠ {w}"), classes="text warning", markup=False) for w in impact.warnings
            ]
            focus: Widget = submit
            if impact.holds_data:
                focus = Input(placeholder=TYPED_PLACEHOLDER, compact=True)
                widgets += self.field_row("confirm", f"Type {self.disk_id}", focus)
            submit.variant = "error"
        else:
            state = "paused" if self.mode == "paused" else "in progress"
            self.query_one("#form-title", Static).update(f"Disk {self.disk_id}: soft-eject {state}")
            left = f"{fmt.count(impact.objects)} objects ({fmt.size_bytes(impact.on_disk)}) are still on it."
            widgets.append(Static(f"Disk {self.disk_id} is being soft-ejected ({state}). {left}", classes="text"))
            widgets.append(
                Static("Pausing keeps it out of use; cancelling moves back what already left.", classes="text")
            )
            if self.mode == "paused":
                first = RadioButton("Resume: move the rest off the disk", name="resume")
            else:
                first = RadioButton("Pause: stop moving data for now", name="pause")
            cancel = RadioButton("Cancel soft-eject: use the disk again", name="cancel")
            focus = OneOf(first, cancel, compact=True)
            widgets += self.field_row("command", "Do", focus)
            submit.label = "Apply"
            # A label is not a layout change to Textual: without this the button keeps the width of its first
            # label or takes the new one, depending on whether it was laid out before the data came.
            submit.refresh(layout=True)
        await self.query_one("#eject-body", Vertical).mount_all(widgets)
        focus.focus()

    def build(self, check: Check) -> Mutation | None:
        disk_id = self.disk_id
        refresh = ("disks", "tasks", "volumes")
        impact = self.data.impact if self.data is not None else None
        moves = impact.objects if impact is not None and impact.holds_data else 0
        if self.mode == "off":
            if self.data is not None and self.data.impact.holds_data:
                typed = self.query_one("#field-confirm", Input).value.strip()
                if typed != str(disk_id):
                    check.error("confirm", f"type the disk id, {disk_id}, to confirm: this disk holds data")
                    return None

            async def verify(client: SpClient) -> str:
                return await soft_eject_state(client, disk_id)

            return Mutation(
                "soft-eject",
                f"disk {disk_id}",
                cli_disk(disk_id, "softEject"),
                lambda client: client.disk_soft_eject(disk_id),
                refresh=refresh,
                pane="disks",
                key=disk_id,
                verify=verify,
                follow=Watch("soft-eject", disk_id, moves) if moves else None,
            )
        pressed = self.query_one("#field-command", RadioSet).pressed_button
        if pressed is None or pressed.name not in CONTROL:
            check.error("command", "choose what to do")
            return None
        what, word, method = CONTROL[pressed.name]

        async def call(client: SpClient) -> Any:
            return await getattr(client, method)(disk_id)

        async def verify_control(client: SpClient) -> str:
            return await soft_eject_state(client, disk_id)

        return Mutation(
            what,
            f"disk {disk_id}",
            cli_disk(disk_id, word),
            call,
            refresh=refresh,
            pane="disks",
            key=disk_id,
            verify=verify_control,
            follow=Watch("soft-eject", disk_id, moves, "resumed") if moves and pressed.name == "resume" else None,
        )


async def soft_eject_state(client: SpClient, disk_id: int) -> str:
    disks = await client.disks_list()
    disk = disks.get(disk_id)
    if disk is None:
        return f"disk {disk_id} is not in the disk list"
    return f"disk {disk_id} soft-eject is {disk.soft_eject}"
