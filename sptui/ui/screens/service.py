"""A server's and a client's detail: the server's disks; the client's attachments, config and active requests."""

from __future__ import annotations

from typing import Any

from ...state.detail.common import Summary
from ...state.detail.service import (
    client_info_spec,
    client_requests_spec,
    client_summary,
    server_disks_spec,
    server_summary,
)
from ...state.selection import Selection
from .detail import DetailScreen, View


class _ServiceScreen(DetailScreen):
    kind = ""

    def __init__(self, selection: Selection) -> None:
        self.service_id = selection.number
        super().__init__(selection)

    def crumb(self) -> str:
        return f"{self.kind} {self.service_id}"

    def subject_selection(self) -> Selection:
        services = self.sptui.state.get("services")
        row = services.rows.get((self.kind, self.service_id)) if services is not None else None
        return Selection(self.kind, self.service_id, row or self.subject.row)


class ServerScreen(_ServiceScreen):
    """`enter` on a server in Services: its disks, as the Disks pane shows them; missing and pending stand out."""

    kind = "server"

    def make_views(self) -> list[View]:
        return [View(server_disks_spec(self.service_id), "Disks", acts_on_rows=True)]

    def summarize(self, data: Any) -> Summary:
        return server_summary(data)


class ClientScreen(_ServiceScreen):
    """`enter` on a client (Services, a request, a volume's attachments): attachments, config, live requests."""

    kind = "client"

    def make_views(self) -> list[View]:
        return [
            View(client_info_spec(self.service_id), "Attachments", acts_on_rows=True),
            View(client_requests_spec(self.service_id), "Requests"),
        ]

    def summarize(self, data: Any) -> Summary:
        return client_summary(data)
