"""Maintenance mode (API 19.01): put a node in maintenance before rebooting it, and complete it afterwards.

The cluster refuses when a volume would be left with fewer copies than asked (default 2) or quorum would drop;
the refusal is shown in the form and what was typed stays.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, Static

from ...api import rules
from ...api.client import SpClient
from ...state.actionlog import cli_maintenance_complete, cli_maintenance_set
from ..widgets.choices import OneOf
from .base import ActionForm, Check, Mutation, Outbox


def nodes_in_maintenance(data: Any) -> set[int]:
    """The nodes the last ServicesList poll saw in maintenance (none where the release has no such call)."""
    return {n.node_id for n in getattr(data, "maintenance", None) or ()}


class MaintenanceForm(ActionForm):
    """`m`: set a node in maintenance (duration, description, copies to keep), or complete its maintenance."""

    def __init__(self, outbox: Outbox, node: int | None = None) -> None:
        super().__init__(outbox, "Node maintenance", "Apply")
        self.node = node

    def compose_fields(self) -> ComposeResult:
        services = self.sptui.state.get("services")
        busy = nodes_in_maintenance(services.data if services is not None else None)
        completing = self.node is not None and self.node in busy
        yield Static(
            "Maintenance tells the cluster a node is going down on purpose (a reboot, a disk swap): it refuses "
            "when data would be left with too few copies or quorum would drop.",
            classes="text",
            markup=False,
        )
        yield from self.field_row(
            "do",
            "Do",
            OneOf(
                RadioButton("Set in maintenance", name="set", value=not completing),
                RadioButton("Complete maintenance", name="complete", value=completing),
                compact=True,
            ),
        )
        node = "" if self.node is None else str(self.node)
        yield from self.field_row("node", "Node", Input(node, placeholder="node id", compact=True))
        yield from self.field_row("duration", "Duration", Input(placeholder="30m, 2h, 1d", compact=True))
        yield from self.field_row("description", "Description", Input(placeholder="why", compact=True))
        yield from self.field_row("copies", "Min copies", Input("2", placeholder="copies to keep up", compact=True))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#field-duration" if self.node is not None else "#field-node", Input).focus()

    def build(self, check: Check) -> Mutation | None:
        pressed = self.query_one("#field-do", RadioSet).pressed_button
        command = pressed.name if pressed is not None else "set"
        text = self.query_one("#field-node", Input).value.strip()
        node = check.rule("node", rules.node_id, int(text)) if text.isdigit() else None
        if node is None:
            check.error("node", f"a node id, 0 to {rules.MAX_NODE_ID}")
        if command == "complete":
            if check.errors or node is None:
                return None
            return self._complete(node)
        duration = check.rule("duration", rules.parse_duration, self.query_one("#field-duration", Input).value)
        description = check.rule(
            "description", rules.maintenance_description, self.query_one("#field-description", Input).value.strip()
        )
        copies_text = self.query_one("#field-copies", Input).value.strip()
        copies = check.rule("copies", rules.replication, int(copies_text)) if copies_text.isdigit() else None
        if copies is None:
            check.error("copies", "1, 2 or 3 copies of each volume's data must stay up")
        if check.errors or node is None or duration is None or description is None or copies is None:
            return None
        # 2 is the cluster's own default: send it only when the operator asked for something else.
        asked = None if copies == 2 else copies

        async def call(client: SpClient) -> Any:
            return await client.maintenance_set(node, duration, description, min_ok_replicas=asked)

        async def verify(client: SpClient) -> str:
            listed = nodes_in_maintenance_of(await client.maintenance_list())
            return f"node {node} {'is' if node in listed else 'is not'} in maintenance"

        return Mutation(
            "maintenance set",
            f"node {node}",
            cli_maintenance_set(node, duration, description, asked),
            call,
            refresh=("services",),
            pane="services",
            key=("maintenance", node),
            verify=verify,
        )

    def _complete(self, node: int) -> Mutation:
        async def call(client: SpClient) -> Any:
            return await client.maintenance_complete(node)

        async def verify(client: SpClient) -> str:
            listed = nodes_in_maintenance_of(await client.maintenance_list())
            return f"node {node} {'is still' if node in listed else 'is no longer'} in maintenance"

        return Mutation(
            "maintenance complete",
            f"node {node}",
            cli_maintenance_complete(node),
            call,
            refresh=("services",),
            pane="services",
            verify=verify,
        )


def nodes_in_maintenance_of(listed: Any) -> set[int]:
    return {n.node_id for n in listed.nodes}
