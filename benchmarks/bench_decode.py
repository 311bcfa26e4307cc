"""Benchmark: decoding the large simulator's biggest answers — sptui's client against json.loads and the bindings.

The exact bytes of three answers of `Cluster("large", seed=1)` are fetched in-process (httpx over the
simulator's ASGI app, no socket), then each is decoded side by side, in rounds, by:

    sptui    what SpClient itself does with the bytes of an answer it has not seen: the decoder of the call's
             `sptui.api.calls.TABLE` entry (`sptui.api.answers.decoder`): msgspec into the typed Structs,
             envelope included, in one pass (a polled list is compared with the last answer's bytes as it is
             read, which stops at the first byte that differs: nothing to time here); a call read entry by
             entry (`by_entry`: DisksList) is decoded so too when there is no last answer to compare with, and
             only its later answers are split into each entry's text with just the changed entries decoded;
             for DiskDescribe the transport's own two steps (the summary with its
             objects as raw JSON, then `sptui.api.transport.disk_objects`): what the disk screen paints
             from. The pass that then shares the objects' repeated values (`objects_sharing`, run a slice per
             step after the rows are on screen) is timed on its own, with the memory it gives back
    json     `json.loads` of the same bytes: plain dicts and lists, no types
    pypi     StorPool's official bindings, `storpool` from PyPI: the bindings' own Api method (its JSON
             parse, then the return type's validators building typed objects), HTTP replaced by the bytes
    port     the same through the Python 3 port of the bindings 2.0.0 (API 15.02), found at --port-dir
             and put on sys.path at run time only

The PyPI package (7.x) speaks a newer API than the simulator's 15.02: its types require fields that 15.02
does not send, so it returns partial objects (or None) for some answers. The script says so per answer
(`validated`), and measures the 15.02 port as well, which parses these answers cleanly.

--floor adds DisksList read with fewer fields (none, the id only, only those the app reads) and split into raw
texts, in interleaved rounds of their own: how far a typed decode of it can go below sptui's, against the 15.02 port.

Run: python benchmarks/bench_decode.py [--repeats 5] [--quick] [--bindings pypi,port] [--port-dir DIR] [--floor]
Writes benchmarks/results/decode.json: every sample, the medians, and the ratios baseline / sptui.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import GenericAlias
from typing import Any, get_args

import httpx
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sptui.api.answers import decoder as envelope_decoder
from sptui.api.calls import TABLE
from sptui.api.models import Disk, DiskSummary
from sptui.api.transport import RawDisk, Transport, disk_objects, entry_decoder, objects_sharing
from sptui.sim.api import make_app
from sptui.sim.cluster import Cluster

RESULTS = Path(__file__).resolve().parent / "results" / "decode.json"
PORT_DIR = Path(__file__).resolve().parents[2] / "shared" / "tools" / "spapi15"  # ../shared beside the repo
SCALE, SEED = "large", 1
TOKEN = "bench-decode-token"


@dataclass(frozen=True)
class Answer:
    """One API answer to decode: the client's `TABLE` key, its path arguments and the bindings' method."""

    method: str
    args: tuple[int, ...]
    bindings_method: str
    nested: str | None = None  # count the items of this attribute (the disk's objects), not of the answer

    @property
    def wire(self) -> str:
        return TABLE[self.method].wire

    @property
    def path(self) -> str:
        return "/".join([self.wire, *(str(a) for a in self.args)])


def _answers(cluster: Cluster) -> tuple[Answer, ...]:
    # The large preset puts its archive volumes (exactly big_disk_objects objects) on server 1's first disk.
    big_disk = cluster.scale.disk_ids(1)[0]
    return (
        Answer("disk_describe", (big_disk,), "diskDescribe", nested="objects"),
        Answer("volumes_status", (), "volumesStatus"),
        Answer("disks_list", (), "disksList"),
    )


def _items(data: Any, nested: str | None) -> int:
    if nested is not None:
        data = data[nested] if isinstance(data, dict) else getattr(data, nested)
    return len(data)


# ---------------------------------------------------------------------- the bytes


async def _fetch(app: Any, answers: tuple[Answer, ...]) -> dict[str, bytes]:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Storpool v1:{TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://sim/ctrl/1.0/", headers=headers) as http:
        bodies = {}
        for answer in answers:
            response = await http.get(answer.path)
            if response.status_code != 200:
                raise SystemExit(f"{answer.path}: HTTP {response.status_code}: {response.text[:200]}")
            bodies[answer.path] = response.content
    return bodies


def fetch_answers() -> tuple[tuple[Answer, ...], dict[str, bytes], int]:
    """The answers' bytes; the cluster is dropped afterwards so its heap does not weigh on the timed decodes."""
    cluster = Cluster(SCALE, seed=SEED)
    answers = _answers(cluster)
    bodies = asyncio.run(_fetch(make_app(cluster, TOKEN), answers))
    big_disk_objects = cluster.scale.big_disk_objects
    del cluster
    gc.collect()
    return answers, bodies, big_disk_objects


# ---------------------------------------------------------------------- the decoders


@dataclass
class Decoder:
    """One way to turn the answer's bytes into data: `decode` returns the data the caller would use."""

    key: str
    label: str
    decode: Callable[[Answer, bytes], Any]
    check: Callable[[Answer, bytes], str | None] | None = None  # None = validated; else why not


def _sptui(answer: Answer, body: bytes) -> Any:
    if answer.method == "disk_describe":
        # The transport's own path: the summary with the objects as raw JSON, then the objects decoded (their
        # digest runs meanwhile in a worker thread, off the event loop); sharing comes after the paint (below).
        described = envelope_decoder(RawDisk).decode(body).data
        fields = msgspec.structs.asdict(described)
        fields["objects"] = disk_objects(described.objects)
        return Disk(**fields)
    return envelope_decoder(TABLE[answer.method].returns).decode(body).data


def _json(answer: Answer, body: bytes) -> Any:
    return json.loads(body)["data"]


def _load_bindings(key: str, port_dir: Path) -> tuple[Decoder | None, dict[str, str]]:
    """The bindings' Api with its HTTP call replaced by the answer's bytes; or why they are not available."""
    if key == "pypi":
        package, source = "storpool", "storpool from PyPI"
    else:
        if not (port_dir / "storpool2" / "spapi.py").is_file():
            return None, {"source": f"15.02 port at {port_dir}", "error": "not found"}
        if str(port_dir) not in sys.path:
            sys.path.append(str(port_dir))
        package, source = "storpool2", f"15.02 port (bindings 2.0.0, Python 3 port) at {port_dir}"
    try:
        spapi = importlib.import_module(f"{package}.spapi")
        spjson = importlib.import_module(f"{package}.spjson")
    except Exception as exc:  # an old package on a new Python fails in many ways; report whichever
        return None, {"source": source, "error": f"does not import on Python {platform.python_version()}: {exc!r}"}
    version = importlib.metadata.version("storpool") if key == "pypi" else "2.0.0"
    info = {"source": source, "version": version, "module": str(Path(spapi.__file__).resolve())}

    class CannedApi(spapi.Api):
        """The bindings' own call path (argument check, JSON parse, typed return) minus the HTTP round trip."""

        body = b""

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            answer = spjson.loads(self.body)
            if "error" in answer:
                raise RuntimeError(f"the simulator answered an error: {answer['error']}")
            return answer["data"]

    api = CannedApi()

    def decode(answer: Answer, body: bytes) -> Any:
        api.body = body
        return getattr(api, answer.bindings_method)(*answer.args)

    def check(answer: Answer, body: bytes) -> str | None:
        # The compiled Api method hides a validation failure (7.x returns the partial object), so run the
        # return type's validator it calls (the `returns` global of the generated function) directly.
        validate = getattr(spapi.Api, answer.bindings_method).__globals__["returns"]
        try:
            validate(spjson.loads(body)["data"])
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc)[:300]}"
        return None

    label = f"bindings storpool {version} (PyPI)" if key == "pypi" else "bindings 2.0.0 (15.02 port)"
    return Decoder(key, label, decode, check), info


# ---------------------------------------------------------------------- timing


def _time(decoder: Decoder, answer: Answer, body: bytes) -> tuple[float, Any]:
    body = bytes(bytearray(body))  # new bytes as from the network: no hash cached on the object by a last round
    gc.collect()
    start = time.perf_counter()
    data = decoder.decode(answer, body)
    return time.perf_counter() - start, data


def measure_sharing(body: bytes, repeats: int) -> dict[str, Any]:
    """DiskDescribe's objects as decoded, then the sharing pass the disk screen runs after their first paint:
    its time (all slices back to back) and the memory the objects hold before and after (tracemalloc)."""
    runs: list[float] = []
    for _ in range(repeats):
        objects = disk_objects(envelope_decoder(RawDisk).decode(body).data.objects)
        gc.collect()
        start = time.perf_counter()
        objects_sharing(objects).finish()
        runs.append(time.perf_counter() - start)
        del objects
    # The memory once more, apart: tracemalloc slows every allocation and free the timed pass does.
    text = envelope_decoder(RawDisk).decode(body).data.objects
    gc.collect()
    tracemalloc.start()
    objects = disk_objects(text)
    before = tracemalloc.get_traced_memory()[0]
    objects_sharing(objects).finish()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "median_s": statistics.median(runs),
        "min_s": min(runs),
        "samples_s": runs,
        "held_before_mib": round(before / 2**20, 1),
        "held_after_mib": round(after / 2**20, 1),
    }


# DiskSummary's fields that sptui/state and sptui/ui read (grep, 2026-12-07); the others are declared so that their
# keys are found at the first try (see DiskSummary). A field renamed in the model fails here loudly (KeyError).
DISK_FIELDS_READ = (
    "ag_allocated", "ag_count", "ag_free", "description", "device", "entries_allocated", "entries_count",
    "generation_left", "id", "is_wbc", "model", "objects_allocated", "objects_count", "objects_free",
    "objects_on_disk_size", "scrubbed_bytes", "scrubbing_finish_after", "scrubbing_paused", "scrubbing_paused_for",
    "scrubbing_started_before", "sectors_count", "serial", "server_id", "soft_eject", "ssd",
)  # fmt: skip


class _Nothing(msgspec.Struct, gc=False):
    """A disk with no fields: every key skipped, so only the JSON is read (and one struct made per disk)."""


def _disk_subset(names: tuple[str, ...]) -> type:
    """A struct of only these fields of DiskSummary: the same wire names, types, defaults and options."""
    fields = {field.name: field for field in msgspec.structs.fields(DiskSummary)}
    spec = []
    for name in names:
        field = fields[name]
        if field.required:
            spec.append((name, field.type, msgspec.field(name=field.encode_name)))
        else:
            spec.append((name, field.type, msgspec.field(default=field.default, name=field.encode_name)))
    return msgspec.defstruct("DiskSubset", spec, kw_only=True, frozen=True, gc=False)


def measure_floor(body: bytes, repeats: int) -> dict[str, Any]:
    """How far below sptui's one typed pass a DisksList decode can go: the same bytes read with no fields, with
    the id only, with only the fields the app reads (the other keys skipped), and split into raw texts."""
    decoders = {
        "no fields (the JSON read, a struct per disk)": envelope_decoder(dict[int, _Nothing]),
        "the id only": envelope_decoder(dict[int, _disk_subset(("id",))]),
        f"only the {len(DISK_FIELDS_READ)} fields the app reads": envelope_decoder(
            dict[int, _disk_subset(DISK_FIELDS_READ)]
        ),
        f"DiskSummary, all {len(DiskSummary.__struct_fields__)} fields (sptui)": envelope_decoder(
            dict[int, DiskSummary]
        ),
        "split into each disk's raw text": envelope_decoder(dict[int, msgspec.Raw]),
    }
    runs: dict[str, list[float]] = {label: [] for label in decoders}
    for _ in range(max(repeats, 9)):
        for label, decoder in decoders.items():
            fresh = bytes(bytearray(body))
            gc.collect()
            start = time.perf_counter()
            data = decoder.decode(fresh)
            runs[label].append(time.perf_counter() - start)
            del data
    return {label: {"median_s": statistics.median(r), "min_s": min(r), "samples_s": r} for label, r in runs.items()}


def measure_next_poll(answer: Answer, body: bytes, repeats: int) -> dict[str, Any]:
    """A `by_entry` call's usual poll: the next answer, one entry changed, against the last one's kept texts and
    data: the transport's split, the comparison in C and the one changed entry decoded."""
    before = b'"description":""'
    if before not in body:
        raise SystemExit(f"{answer.path}: no empty description to change for the next answer")
    changed = body.replace(before, b'"description":"changed"', 1)
    key_type, entry_type = get_args(TABLE[answer.method].returns)
    split = envelope_decoder(GenericAlias(dict, (key_type, msgspec.Raw)))
    entry = entry_decoder(entry_type)
    last_texts = split.decode(body).data
    last_data = envelope_decoder(TABLE[answer.method].returns).decode(body).data
    runs: list[float] = []
    for _ in range(repeats):
        fresh = bytes(bytearray(changed))
        gc.collect()
        start = time.perf_counter()
        data = Transport._changed_entries(split.decode(fresh).data, last_texts, last_data, entry)
        runs.append(time.perf_counter() - start)
        reused = sum(data[key] is last_data[key] for key in data)
        del data
    if reused != len(last_data) - 1:
        raise SystemExit(f"{answer.path}: the next answer reused {reused} of {len(last_data)} entries, not all but one")
    return {"median_s": statistics.median(runs), "min_s": min(runs), "samples_s": runs, "changed": 1}


def _kinds(data: Any, nested: str | None) -> dict[str, int]:
    """How many entries came out as which type: None where the bindings gave up, a fallback type where the
    first choice of an `either` did not validate (7.x reads 15.02 up disks as DownDiskSummary)."""
    if nested is not None:
        data = data[nested] if isinstance(data, dict) else getattr(data, nested)
    values = data.values() if isinstance(data, dict) else data
    return dict(Counter(type(value).__name__ for value in values))


def measure(
    answers: tuple[Answer, ...], bodies: dict[str, bytes], decoders: list[Decoder], repeats: int
) -> list[dict[str, Any]]:
    samples: dict[tuple[str, str], list[float]] = {(a.path, d.key): [] for a in answers for d in decoders}
    counts: dict[tuple[str, str], tuple[int, dict[str, int]]] = {}
    for round_no in range(1, repeats + 1):
        for answer in answers:
            for decoder in decoders:
                seconds, data = _time(decoder, answer, bodies[answer.path])
                samples[answer.path, decoder.key].append(seconds)
                counts[answer.path, decoder.key] = (_items(data, answer.nested), _kinds(data, answer.nested))
                del data
        print(f"  round {round_no}/{repeats} done", flush=True)

    results = []
    for answer in answers:
        body = bodies[answer.path]
        base = statistics.median(samples[answer.path, "sptui"])
        entry: dict[str, Any] = {
            "call": answer.wire,
            "path": answer.path,
            "bytes": len(body),
            "items": counts[answer.path, "sptui"][0],
            "decoders": {},
            "ratios": {},
        }
        for decoder in decoders:
            runs = samples[answer.path, decoder.key]
            items, kinds = counts[answer.path, decoder.key]
            median = statistics.median(runs)
            result: dict[str, Any] = {"median_s": median, "min_s": min(runs), "samples_s": runs, "items": items}
            if decoder.check is not None:
                error = decoder.check(answer, body)
                result["validated"] = error is None
                if error is not None:
                    result["validation_error"] = error
                result["types"] = kinds
            entry["decoders"][decoder.key] = result
            if decoder.key != "sptui":
                entry["ratios"][decoder.key] = median / base
        if entry["decoders"]["json"]["items"] != entry["items"]:
            raise SystemExit(f"{answer.path}: sptui decoded {entry['items']} items, json.loads a different number")
        results.append(entry)
    return results


# ---------------------------------------------------------------------- report


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def print_table(report: dict[str, Any]) -> None:
    machine = report["machine"]
    labels = report["decoders"]
    keys = list(labels)
    print(
        f"\nDecoding the large simulator's answers — {machine['cores']} cores, Python {machine['python']}, "
        f"msgspec {machine['msgspec']}, median of {report['repeats']}"
    )
    for entry in report["answers"]:
        print(f"\n{entry['path']}: {entry['bytes'] / 1e6:.1f} MB, {entry['items']:,} items")
        for key in keys:
            result = entry["decoders"][key]
            ratio = f"{entry['ratios'][key]:>8.1f}x" if key in entry["ratios"] else " " * 9
            note = ""
            if "types" in result:
                note = "  " + ", ".join(f"{count:,} {kind}" for kind, count in result["types"].items())
            if result.get("validated") is False:
                note += f"; NOT VALIDATED: {result['validation_error']}"
            print(f"  {labels[key]:<38} {_ms(result['median_s']):>12} {ratio}{note}")
        if poll := entry.get("next_poll"):
            label = f"then, next answer, {poll['changed']} changed"
            print(f"  {label:<38} {_ms(poll['median_s']):>12}           split, compared, the changed one decoded")
        port = entry["decoders"].get("port")
        for label, floor in entry.get("floor", {}).items():
            versus = f"{port['median_s'] / floor['median_s']:>6.1f}x the port" if port else ""
            fastest = f"(min {_ms(floor['min_s'])})"
            print(f"  {'floor: ' + label:<52} {_ms(floor['median_s']):>9} {fastest:<14} {versus}")
        if sharing := entry.get("after_paint", {}).get("sharing"):
            held = f"{sharing['held_before_mib']} → {sharing['held_after_mib']} MiB held"
            print(f"  {'then, after the paint: sharing pass':<38} {_ms(sharing['median_s']):>12}           {held}")
    for key, reason in report["bindings_unavailable"].items():
        print(f"\nbindings {key}: {reason['source']}: {reason['error']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="rounds; each decodes every answer once per decoder")
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of --repeats")
    parser.add_argument("--bindings", default="pypi,port", help="which bindings to measure: pypi, port, or both")
    parser.add_argument("--port-dir", type=Path, default=PORT_DIR, help="directory that holds storpool2/")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--floor", action="store_true", help="also time DisksList read with fewer fields: how low a typed decode goes"
    )
    args = parser.parse_args()
    repeats = 3 if args.quick else args.repeats
    wanted = [k for k in args.bindings.split(",") if k]
    if unknown := [k for k in wanted if k not in ("pypi", "port")]:
        parser.error(f"unknown bindings: {', '.join(unknown)}")

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load_start = os.getloadavg()
    print(f"building Cluster({SCALE!r}, seed={SEED}) and fetching its answers…", flush=True)
    answers, bodies, big_disk_objects = fetch_answers()

    decoders = [
        Decoder("sptui", "sptui (msgspec Structs)", _sptui),
        Decoder("json", "json.loads", _json),
    ]
    bindings: dict[str, dict[str, str]] = {}
    unavailable: dict[str, dict[str, str]] = {}
    for key in wanted:
        decoder, info = _load_bindings(key, args.port_dir)
        if decoder is None:
            unavailable[key] = info
            print(f"bindings {key}: {info['source']}: {info['error']}", flush=True)
        else:
            bindings[key] = info
            decoders.append(decoder)
            print(f"bindings {key}: {decoder.label} from {info['module']}", flush=True)
    if "pypi" in unavailable and "port" not in bindings and "port" not in wanted:
        decoder, info = _load_bindings("port", args.port_dir)
        (bindings if decoder else unavailable)["port"] = info
        if decoder is not None:
            decoders.append(decoder)
            print(f"falling back to {decoder.label} from {info['module']}", flush=True)

    floors = {}
    if args.floor:  # first, while the heap is as small as the app's: after the big answers' decodes it reads slower
        print("timing the floor of a typed DisksList decode…", flush=True)
        floors = {a.path: measure_floor(bodies[a.path], repeats) for a in answers if a.method == "disks_list"}
    print(f"timing {len(decoders)} decoders × {len(answers)} answers × {repeats} rounds…", flush=True)
    results = measure(answers, bodies, decoders, repeats)
    for entry in results:
        if entry["path"] in floors:
            entry["floor"] = floors[entry["path"]]
    disk = results[0]
    if disk["items"] != big_disk_objects:
        raise SystemExit(f"{disk['path']} has {disk['items']} objects, expected {big_disk_objects}")
    print("timing the sharing pass over DiskDescribe's objects…", flush=True)
    disk["after_paint"] = {"sharing": measure_sharing(bodies[disk["path"]], repeats)}
    for answer, entry in zip(answers, results, strict=True):
        if TABLE[answer.method].by_entry:
            print(f"timing {answer.wire}'s next answer, read entry by entry…", flush=True)
            entry["next_poll"] = measure_next_poll(answer, bodies[answer.path], repeats)

    report: dict[str, Any] = {
        "machine": {
            "cores": cores,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "msgspec": msgspec.__version__,
            "platform": platform.platform(),
            "loadavg_start": [round(x, 2) for x in load_start],
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        },
        "simulator": {"scale": SCALE, "seed": SEED},
        "quick": args.quick,
        "repeats": repeats,
        "decoders": {d.key: d.label for d in decoders},
        "bindings": bindings,
        "bindings_unavailable": unavailable,
        "answers": results,
    }
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
