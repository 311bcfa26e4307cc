"""Build the initial cluster of a scale preset from the cluster's seeded RNG.

What a new operator would find: servers full of disks (one of them added last week and still
empty), volumes of a few kinds (VM disks cloned from base images, databases, Kubernetes volumes,
scratch space with a single replica), their snapshots, attachments on the clients, templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import (
    OBJECT_SIZE,
    SECTOR,
    AoeTarget,
    Attachment,
    Client,
    Disk,
    Export,
    Mgmt,
    PlacementGroup,
    Server,
    Template,
    Volume,
)

if TYPE_CHECKING:
    from .cluster import Cluster

GIB = 1024**3
VERSION = "15.02.1542.7f3c2b1"
MAX_NODE_ID = 63

DRIVES = {
    # drive kind: (model, size in bytes, device pattern)
    "ssd": ("SAMSUNG MZ7LH1T9HMLT-00005", 1_920_383_410_176, "/dev/sd{}1"),
    "nvme": ("INTEL SSDPE2KX040T8", 4_000_787_030_016, "/dev/nvme{}n1p1"),
    "hdd": ("ST16000NM001G-2KK103", 16_000_900_661_248, "/dev/sd{}1"),
    "qlc": ("SOLIDIGM SBFPF2BV614T", 61_440_000_000_000, "/dev/nvme{}n1p1"),
}

BASE_IMAGES = ("debian-12-base", "ubuntu-24.04-base", "rocky-9-base", "windows-2022-base")


def node_of(service_id: int) -> int:
    """NodeID is 0..63 in 15.02; the large preset has more services than nodes, so ids wrap."""
    return (service_id - 1) % MAX_NODE_ID + 1


def populate(c: Cluster) -> None:
    rng = c.rng
    scale = c.scale
    c.generation = 12_000 + rng.randrange(8_000)
    c.next_transaction = 40_000 + rng.randrange(10_000)

    for sid in range(1, scale.servers + 1):
        c.servers[sid] = Server(sid, node_of(sid), VERSION)
    drive_of = {}
    for spec in scale.pools:
        for sid in range(spec.first_server, spec.last_server + 1):
            drive_of[sid] = spec.drive
    for sid in c.servers:
        drive = drive_of.get(sid, "ssd")
        model, size, device = DRIVES[drive]
        for n, did in enumerate(scale.disk_ids(sid)):
            letter = chr(ord("b") + n) if device.startswith("/dev/sd") else str(n)
            c.disks[did] = Disk(
                id=did,
                server_id=sid,
                model=model,
                serial=f"{'ZL' if drive == 'hdd' else 'S4'}{rng.randrange(16**8):08X}",
                device=device.format(letter),
                drive=drive,
                sectors=size // SECTOR,
                capacity=int(size // OBJECT_SIZE * 0.92),
            )
    for cid in range(1, scale.clients + 1):
        c.clients[cid] = Client(cid, node_of(cid), VERSION, generation=c.generation, lag=0.1 + rng.random() * 0.9)
    for tid in range(1, scale.aoe_targets + 1):
        c.aoe_targets[tid] = AoeTarget(tid, node_of(tid), VERSION)
    c.mgmt[1] = Mgmt(1, node_of(1), VERSION, active=True, prio=0)
    c.mgmt[2] = Mgmt(2, node_of(2), VERSION, active=False, prio=1)

    pg_ids = {}
    for n, pool in enumerate(scale.pools, start=1):
        disks = {d for sid in range(pool.first_server, pool.last_server + 1) for d in scale.disk_ids(sid)}
        c.pgs[n] = PlacementGroup(n, pool.name, disks)
        pg_ids[pool.name] = n
    c.pgs[len(c.pgs) + 1] = PlacementGroup(len(c.pgs) + 1, "default", set(c.disks))
    for n, template in enumerate(scale.templates, start=1):
        c.templates[n] = Template(
            id=n,
            name=template.name,
            place_all=pg_ids[template.place_all],
            place_tail=pg_ids[template.place_tail],
            replication=template.replication,
            size=template.size_gib * GIB if template.size_gib else None,
            parent="",
        )

    # The last disk of the last server joined last week: empty, so the balancer has work to do.
    # The big disk of the large preset holds only the archive volumes (exactly big_disk_objects).
    keep_out = {scale.disk_ids(scale.servers)[-1]} if scale.fresh_disk else set()
    if scale.big_disk_objects:
        keep_out.add(scale.disk_ids(1)[0])
    _volumes(c, frozenset(keep_out))
    _attachments(c)
    first_volume = next((v for v in c.volumes.values() if not v.snapshot), None)
    if c.aoe_targets and first_volume is not None:
        c.exports[first_volume.id] = Export(first_volume.id, 1, "e1.1")
    c.revision = 1


def _volumes(c: Cluster, fresh: frozenset[int]) -> None:
    rng = c.rng
    scale = c.scale
    templates = [t for t in c.templates.values() if t.replication != 1]
    main = templates[0]
    low, high = scale.volume_gib

    def new(name: str, tpl: Template, size: int, parent: int = 0, first: int | None = None) -> Volume:
        vol = new_volume(
            c, name, size, tpl.replication or 3, tpl.place_all, tpl.place_tail, tpl.id, parent, fresh, first
        )
        # Made long ago and written since; drawn after the placement, so a seed keeps building the same cluster.
        vol.created = c.epoch - rng.randrange(3 * 86400, 400 * 86400)
        vol.created_generation = c.generation - rng.randrange(1, 5000)
        vol.fill = round(0.15 + rng.random() * 0.7, 3)
        c.volumes[vol.id] = vol
        c.names[name] = vol.id
        if parent:
            c.children.setdefault(parent, set()).add(vol.id)
        return vol

    bases = []
    for name in BASE_IMAGES[: max(1, min(len(BASE_IMAGES), scale.volumes // 8))]:
        base = new(name, main, 20 * GIB)
        base.snapshot = True
        base.on_volume = name
        bases.append(base)

    if scale.big_disk_objects:
        archive = c.template("archive")
        per_volume = 10_000
        first_disk = scale.disk_ids(1)[0]
        for n in range(scale.big_disk_objects // per_volume):
            new(f"archive-{n:02d}", archive, per_volume * OBJECT_SIZE, first=first_disk)

    scratch = next((t for t in c.templates.values() if t.replication == 1), None)
    others = [t for t in templates[1:] if t.name != "archive"]

    def pick_template() -> Template:
        return main if not others or rng.random() < 0.7 else others[int(rng.random() * len(others))]

    live = [v for v in c.volumes.values() if not v.snapshot]
    n = 0
    while len(live) < scale.volumes:
        n += 1
        kind = rng.random()
        size = rng.randint(low, high) * GIB
        if scratch is not None and kind < 0.07:
            vol = new(f"scratch-{n:04d}", scratch, scratch.size or 10 * GIB)
        elif kind < 0.55 and bases:
            base = bases[n % len(bases)]
            vol = new(f"vm-{100 + n}-disk-0", pick_template(), max(base.size, size), parent=base.id)
            vol.fill = round(0.05 + rng.random() * 0.4, 3)
            vol.created = max(vol.created, base.created + 3600)  # cloned from the image once it existed
        elif kind < 0.75:
            vol = new(f"db-{('prod', 'stage', 'dev')[n % 3]}-{n:04d}", main, size)
        else:
            vol = new(f"pvc-{rng.randrange(16**8):08x}", pick_template(), size)
        live.append(vol)

    candidates = [v for v in live if not v.name.startswith(("archive", "scratch"))]
    for i in range(max(0, scale.snapshots - len(bases)) if candidates else 0):
        vol = candidates[i % len(candidates)]
        auto = rng.random() < 0.1
        name = f"*{base36(c.next_id + 1)}" if auto else f"{vol.name}.daily-{i // len(candidates) + 1}"
        snap = new(name, c.templates.get(vol.template, main), vol.size, parent=vol.parent)
        snap.snapshot = True
        snap.groups = [list(g) for g in vol.groups]
        snap.replication, snap.place_all, snap.place_tail = vol.replication, vol.place_all, vol.place_tail
        snap.fill = vol.fill
        snap.on_volume = vol.name
        snap.auto_name = auto
        snap.bound = rng.random() < 0.2
        # Taken after the volume was made and after the snapshot it is layered on; never in the future.
        since = max(vol.created, c.volumes[vol.parent].created if vol.parent else 0)
        snap.created = min(c.epoch - 60, since + rng.randrange(3600, 86400 * 3))
        c.set_parent(vol, snap.id)
        vol.original_parent = vol.original_parent or snap.id
        vol.fill = round(vol.fill * 0.3, 3)
    for vol in c.volumes.values():
        c.account(vol, +1)


def _attachments(c: Cluster) -> None:
    """Most volumes are attached read-write on one client (a running VM); some snapshots read-only."""
    rng = c.rng
    clients = sorted(c.clients)
    positions = dict.fromkeys(clients, 0)
    for vol in c.volumes.values():
        if vol.snapshot and not (vol.name.endswith(".daily-1") and rng.random() < 0.1):
            continue
        if not vol.snapshot and rng.random() > 0.7:
            continue
        client = clients[vol.id % len(clients)]
        if positions[client] > 1023:
            continue
        rights = "ro" if vol.snapshot else "rw"
        c.attachments.append(Attachment(vol.id, client, rights, positions[client], open=rights == "rw"))
        positions[client] += 1


def new_volume(
    c: Cluster,
    name: str,
    size: int,
    replication: int,
    place_all: int,
    place_tail: int,
    template: int = 0,
    parent: int = 0,
    exclude: frozenset[int] = frozenset(),
    first: int | None = None,
) -> Volume:
    """A volume created now, empty, on freshly chosen disk sets; the caller adds it to the cluster."""
    return Volume(
        id=c.new_id(),
        name=name,
        snapshot=False,
        size=size,
        replication=replication,
        place_all=place_all,
        place_tail=place_tail,
        groups=c.choose_disks(replication, place_all, place_tail, -(-size // OBJECT_SIZE), exclude, first),
        created=c.timestamp(),
        created_generation=c.generation + 1,
        fill=0.0,
        parent=parent,
        original_parent=parent,
        template=template,
    )


def base36(n: int) -> str:
    """Short names for auto-named snapshots, as StorPool's anonymous ones look."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out
