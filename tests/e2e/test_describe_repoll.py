"""A disk's DiskDescribe polled again over real HTTP: the objects at rest are compared as they are read and kept, the
summary around them is always the new one, and objects that changed are asked for again and decoded exactly as a
first answer would be."""

from __future__ import annotations

import msgspec
import pytest

from sptui.api.client import SpClient
from sptui.api.models import Disk
from sptui.sim.api import SimApp
from sptui.sim.cluster import Cluster


def summary(disk: Disk) -> dict[str, object]:
    return {key: value for key, value in msgspec.structs.asdict(disk).items() if key != "objects"}


@pytest.mark.parametrize("sim_release", ["15.02", "19.01"])
async def test_objects_stay_while_at_rest_and_a_change_is_applied_exactly(
    sp_client: SpClient, sim_cluster: Cluster, sim_app: SimApp
) -> None:
    disk_id = max(sim_cluster.disk_objects().objects.items(), key=lambda item: item[1])[0]

    def asked() -> int:
        return sim_app.stats.requests.get("GET DiskDescribe", 0)

    first = await sp_client.disk_describe(disk_id)
    # The summary before the objects in the answer grows ("description" sorts before "objects"): the objects'
    # text is found where it now starts.
    assert (await sp_client.disk_set_desc(disk_id, "moved-by-a-test")).ok
    again = await sp_client.disk_describe(disk_id, reuse=first)
    assert again.objects is first.objects and again.description == "moved-by-a-test" and asked() == 2

    # A volume with objects on the disk renamed to a name of the same length: the objects' text is as long as
    # before, and differs.
    volumes = {volume.name for volume in await sp_client.volumes_list()}
    name = next(o.volume for o in first.objects.values() if o.volume in volumes)
    renamed = name[:-1] + ("x" if name[-1] != "x" else "y")
    assert renamed not in volumes
    assert (await sp_client.volume_update(name, rename=renamed)).ok
    changed = await sp_client.disk_describe(disk_id, reuse=again)
    assert asked() == 4  # compared as read, found to differ: asked again and read whole
    assert changed.objects is not first.objects
    assert {o.volume for o in changed.objects.values()} == ({o.volume for o in first.objects.values()} - {name}) | {
        renamed
    }
    kept = await sp_client.disk_describe(disk_id, reuse=changed)
    assert kept.objects is changed.objects and asked() == 5
    rested = await sp_client.disk_describe(disk_id, reuse=kept)
    assert rested.objects is changed.objects and asked() == 6
    # Exactly what a first answer decodes to, summary and objects.
    fresh = await sp_client.disk_describe(disk_id)
    assert fresh.objects is not changed.objects
    assert fresh.objects == changed.objects and summary(fresh) == summary(rested)
