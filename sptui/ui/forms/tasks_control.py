"""The relocator and the balancer: turn the relocator on or off; start, stop or commit the balancer.

The form shows both states as the API reports them now. Commit starts relocating data to the balancer's
plan, so it is confirmed with what the plan moves (VolumeBalancerVolumesStatus), and it is offered only when
the balancer has a plan ready; `p` in that confirmation opens the whole plan, per disk and per volume.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from ...api.client import SpClient
from ...api.models import BalancerStatus, BalancerVolumeStatus, RelocatorStatus
from ...state import format as fmt
from ...state.actionlog import cli_balancer, cli_relocator
from ...state.follow import Watch
from ...state.resources import release_19_or_newer
from ..screens.balancer_plan import BalancerPlanScreen
from ..widgets.choices import OneOf
from .base import ActionForm, Check, Mutation, Outbox
from .confirm import Confirmation

COMMANDS: dict[str, str] = {
    "relocator_on": "Relocator on: move data where placement says",
    "relocator_off": "Relocator off: stop relocating, soft-ejects too",
    "start": "Balancer start: compute a new plan (nothing moves yet)",
    "stop": "Balancer stop: discard the plan",
    "commit": "Balancer commit: start relocating data to the plan",
}


@dataclass(frozen=True)
class TasksState:
    relocator: RelocatorStatus
    balancer: BalancerStatus
    plan: tuple[BalancerVolumeStatus, ...]

    @property
    def moving(self) -> tuple[BalancerVolumeStatus, ...]:
        return tuple(v for v in self.plan if v.reallocated)


class TasksControlForm(ActionForm):
    """`b`: the cluster-wide relocation controls."""

    def __init__(self, outbox: Outbox) -> None:
        super().__init__(outbox, "Relocator and balancer", "Apply", loads=True)
        self.state: TasksState | None = None

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="tasks-state", classes="text", markup=False)
        # 19.01 dropped VolumeRelocatorOn/Off: offer only what the cluster's release can do.
        newer = release_19_or_newer(self.sptui.state)
        commands = {k: v for k, v in COMMANDS.items() if not (newer and k.startswith("relocator"))}
        yield from self.field_row(
            "command", "Do", OneOf(*(RadioButton(text, name=key) for key, text in commands.items()), compact=True)
        )

    async def fetch(self) -> TasksState:
        client: SpClient = self.sptui.client
        relocator, balancer, plan = await asyncio.gather(
            client.volume_relocator_status(),
            client.volume_balancer_get_status(),
            client.volume_balancer_volumes_status(),
        )
        return TasksState(relocator, balancer, tuple(plan))

    def populate(self, data: TasksState) -> None:
        self.state = data
        auto = " (auto)" if data.balancer.auto else ""
        plan = ""
        if data.balancer.status == "ready":
            plan = f"; its plan moves {fmt.plural(len(data.moving), 'volume or snapshot', 'volumes and snapshots')}"
        self.query_one("#tasks-state", Static).update(
            fmt.inert(
                f"Now: relocator {data.relocator.status or 'unknown'}; "
                f"balancer {fmt.api_word(data.balancer.status) or 'unknown'}{auto}{plan}."
            )
        )
        self.query_one("#field-command", RadioSet).focus()

    def build(self, check: Check) -> Mutation | None:
        pressed = self.query_one("#field-command", RadioSet).pressed_button
        command = pressed.name if pressed is not None else None
        state = self.state
        if command is None or command not in COMMANDS:
            check.error("command", "choose what to do")
            return None
        if state is not None:
            if command == "relocator_on" and state.relocator.status == "on":
                check.error("command", "the relocator is already on")
            elif command == "relocator_off" and state.relocator.status == "off":
                check.error("command", "the relocator is already off")
            elif command == "commit" and state.balancer.status != "ready":
                status = fmt.api_word(state.balancer.status)
                check.error("command", f"the balancer has no plan ready to commit (status: {status})")
        if check.errors:
            return None
        if command.startswith("relocator"):
            on = command == "relocator_on"

            async def relocate(client: SpClient) -> Any:
                return await (client.volume_relocator_on() if on else client.volume_relocator_off())

            async def verify_relocator(client: SpClient) -> str:
                return f"the relocator is {(await client.volume_relocator_status()).status}"

            what = f"relocator {'on' if on else 'off'}"
            return Mutation(what, "cluster", cli_relocator(on), relocate, refresh=("tasks",), verify=verify_relocator)

        async def balance(client: SpClient) -> Any:
            return await client.volume_balancer_set_status(command)

        async def verify_balancer(client: SpClient) -> str:
            return f"the balancer is {fmt.api_word((await client.volume_balancer_get_status()).status)}"

        moves = sum(v.objects_count for v in state.moving) if state is not None and command == "commit" else 0
        return Mutation(
            f"balancer {command}",
            "cluster",
            cli_balancer(command),
            balance,
            refresh=("tasks", "volumes", "disks"),
            verify=verify_balancer,
            follow=Watch("balancer commit", None, moves) if moves else None,
        )

    def confirmation(self, mutation: Mutation) -> Confirmation | None:
        state = self.state
        if mutation.what != "balancer commit" or state is None:
            return None
        moving = state.moving
        objects = sum(v.objects_count for v in moving)
        size = sum(v.size for v in moving)
        names = ", ".join(v.name for v in moving[:5]) + (f" and {len(moving) - 5} more" if len(moving) > 5 else "")
        return Confirmation(
            "Commit the balancer's plan",
            (
                f"To relocate to new disks: {fmt.plural(len(moving), 'volume or snapshot', 'volumes and snapshots')} "
                f"(together {fmt.count(objects)} objects, {fmt.size_bytes(size)} provisioned).",
                f"Moving: {names or 'nothing'}",
                "Relocation tasks then show on the Tasks pane; they add load on the disks involved.",
            ),
            "Commit",
            ("Committing cannot be undone; a new plan can only move data again.",),
            details=("the plan per disk and per volume", BalancerPlanScreen),
        )
