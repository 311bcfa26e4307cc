"""The resources of the detail screens (a disk, a volume or snapshot, a server, a client), and their rows.

Each builder returns ResourceSpecs named after one object ("disk:101:objects"), so a screen registers them
with the app's poll engine while it is open and drops them when it closes. Everything here is pure: fetches
await the client, rows and summaries are plain data; the screens only draw them. One module per screen
(disk, volume, service) over what they share (common); the names others use are re-exported here.
"""

from __future__ import annotations

from ..offered import not_offered
from .common import CallProbe, Summary, kind_of
from .disk import (
    DISK_OBJECTS_COLUMNS,
    DISK_VOLUME_COLUMNS,
    DiskDetail,
    ObjectCounts,
    SharedDescribe,
    count_objects,
    disk_info_any,
    disk_info_spec,
    disk_objects_spec,
    disk_requests_spec,
    disk_summary,
    disk_volume_rows,
    info_from_describe,
    object_levels,
)
from .service import (
    ClientDetail,
    ServerDetail,
    client_attachment_rows,
    client_info_spec,
    client_requests_spec,
    client_summary,
    server_disk_rows,
    server_disks_spec,
    server_summary,
)
from .volume import (
    VolumeDetail,
    VolumeKind,
    disk_set_rows,
    disk_sets_spec,
    misplaced_count,
    placement_rows,
    volume_info_spec,
    volume_summary,
)
from .volume_extras import (
    AttachmentsData,
    ChainData,
    EstimatesData,
    chain_from,
    chain_rows,
    estimate_rows,
    volume_attachment_rows,
    volume_attachments_spec,
    volume_chain_spec,
    volume_estimates_spec,
)

__all__ = [
    "DISK_OBJECTS_COLUMNS",
    "DISK_VOLUME_COLUMNS",
    "AttachmentsData",
    "CallProbe",
    "ChainData",
    "ClientDetail",
    "DiskDetail",
    "EstimatesData",
    "ObjectCounts",
    "ServerDetail",
    "SharedDescribe",
    "Summary",
    "VolumeDetail",
    "VolumeKind",
    "chain_from",
    "chain_rows",
    "client_attachment_rows",
    "client_info_spec",
    "client_requests_spec",
    "client_summary",
    "count_objects",
    "disk_info_any",
    "disk_info_spec",
    "disk_objects_spec",
    "disk_requests_spec",
    "disk_set_rows",
    "disk_sets_spec",
    "disk_summary",
    "disk_volume_rows",
    "estimate_rows",
    "info_from_describe",
    "kind_of",
    "misplaced_count",
    "not_offered",
    "object_levels",
    "placement_rows",
    "server_disk_rows",
    "server_disks_spec",
    "server_summary",
    "volume_attachment_rows",
    "volume_attachments_spec",
    "volume_chain_spec",
    "volume_estimates_spec",
    "volume_info_spec",
    "volume_summary",
]
