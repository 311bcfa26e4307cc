"""Where the API's host, port and token come from: StorPool's own config files, the environment, flags.

An operator on a StorPool node already has the API's address and token in /etc/storpool.conf, so sptui
reads them the way StorPool's tools do, lowest precedence first:

1. defaults: host 127.0.0.1, port 81;
2. /etc/storpool.conf, then /etc/storpool.conf.d/*.conf in name order (dotfiles skipped); in each file the
   global part first, then the ``[<this host>]`` section, matched by the full host name or the short name
   before the first dot (case-insensitively);
3. the environment: SP_API_HTTP_HOST, SP_API_HTTP_PORT, SP_AUTH_TOKEN;
4. the flags: host and port.

``config_file`` (``--config FILE``) is read instead of /etc/storpool.conf *and* /etc/storpool.conf.d: a
file that names another cluster must not be half-overridden by this node's drop-ins (a host from one
cluster with the token of another), and it keeps a run with ``--config`` independent of the machine's /etc.
The environment and the flags still apply on top of it.

The files are shell-like: ``KEY=value`` lines (``export KEY=value`` too, spaces around ``=`` allowed),
``#`` comments (whole lines, or after whitespace in an unquoted value), values optionally in single or
double quotes (no escapes inside), and ini-style ``[hostname]`` section headers. An empty value in a file or
the environment counts as unset, so it never hides a value from a lower level. Only the value actually used
is checked, so a bad port overridden by the environment does no harm.

``SP_CLUSTER_NAME``, StorPool's human-readable name of the cluster, names it in sptui's header (the API's
host:port where it is not set).

Two settings are sptui's own, read from the same files and the environment: ``SPTUI_CAPACITY_WARN`` and
``SPTUI_CAPACITY_ALARM``, how full (in percent of the bytes, default 80 and 90) a disk, a placement group, a
template or the cluster must be to be shown as a warning or an alarm (Capacity, Disks, Problems, the health
bar). StorPool's tools ignore keys they do not know, so they can sit in /etc/storpool.conf; the prefix keeps
them apart from StorPool's own ``SP_`` keys. A value that is no percentage, or a warning above the alarm, is
refused with a message naming the key and the file.

The token is never a flag (it would show in ``ps``) and never appears in a repr, str or error message. It
must be printable ASCII without spaces (it goes into an HTTP header as is); a host with a colon must be an
IPv6 literal, so ``SP_API_HTTP_HOST=10.0.0.5:81`` is refused with a hint instead of becoming a strange URL.
A file that holds the token and is readable by others is reported through ``warn`` (see `_exposure`).
"""

from __future__ import annotations

import grp
import ipaddress
import os
import re
import socket
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .api.netloc import url_host
from .state.thresholds import DEFAULT_THRESHOLDS, Thresholds

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 81
HOST_KEY = "SP_API_HTTP_HOST"
PORT_KEY = "SP_API_HTTP_PORT"
TOKEN_KEY = "SP_AUTH_TOKEN"
WARN_KEY = "SPTUI_CAPACITY_WARN"
ALARM_KEY = "SPTUI_CAPACITY_ALARM"
NAME_KEY = "SP_CLUSTER_NAME"  # StorPool's human-readable name of the cluster, shown in sptui's header
KEYS = (HOST_KEY, PORT_KEY, TOKEN_KEY, WARN_KEY, ALARM_KEY, NAME_KEY)
_PERCENT_RE = re.compile(r"^\d{1,3}(?:\.\d+)?$")

_ASSIGNMENT_RE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")
_SECTION_RE = re.compile(r"^\[\s*([^\]]*?)\s*\]\s*(?:#.*)?$")
_UNQUOTED_COMMENT_RE = re.compile(r"\s#")
_HOST_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
_HOST_PORT_RE = re.compile(r"^[^:\[\]]+:\d*$")
# Groups that may read the token without a warning; see `_exposure`.
TRUSTED_GROUPS = frozenset({"root", "disk"})


class ConfigError(Exception):
    """The API cannot be located: a one-line message naming where sptui looked (never the token)."""


@dataclass(frozen=True)
class ApiConfig:
    """Where the API is and how to authenticate.

    ``sources`` says where the host, the port and the token came from, in that order with repeats dropped
    ("default", a file path, "<path> [<section>]", "env", "--host", "--port"), for messages such as
    "cannot reach 10.0.0.5:81 (from /etc/storpool.conf)".
    """

    host: str
    port: int
    token: str = field(repr=False)
    sources: tuple[str, ...]
    thresholds: Thresholds = DEFAULT_THRESHOLDS  # SPTUI_CAPACITY_WARN / _ALARM: how full is too full
    cluster_name: str = ""  # SP_CLUSTER_NAME, for the header; empty: the header shows the endpoint

    @property
    def endpoint(self) -> str:
        """``host:port``, with an IPv6 literal bracketed so the result is usable in a URL."""
        return f"{url_host(self.host)}:{self.port}"


@dataclass(frozen=True)
class _Setting:
    value: str
    source: str


def load_config(
    *,
    host: str | None = None,
    port: int | None = None,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    etc_dir: str | Path = "/etc",
    hostname: str | None = None,
    require_token: bool = True,
    warn: Callable[[str], None] | None = None,
) -> ApiConfig:
    """Resolve the API's host, port and token (see the module docstring for the order).

    ``etc_dir`` and ``hostname`` exist so tests never read the real /etc or depend on the machine's name.
    With ``require_token=False`` a missing token gives an empty one (for callers that bring their own).
    ``warn`` hears, once per file and before any error, of each file that holds a token others can read.
    """
    env = os.environ if environ is None else environ
    names = _host_names(socket.gethostname() if hostname is None else hostname)
    if config_file is not None:
        main = Path(config_file)
        files = [(main, False)]
        looked = str(main)
    else:
        main = Path(etc_dir) / "storpool.conf"
        drop_ins = Path(etc_dir) / "storpool.conf.d"
        files = [(main, True), *((path, False) for path in _drop_ins(drop_ins))]
        looked = f"{main}, {drop_ins}/*.conf"

    settings: dict[str, _Setting] = {
        HOST_KEY: _Setting(DEFAULT_HOST, "default"),
        PORT_KEY: _Setting(str(DEFAULT_PORT), "default"),
    }
    for source, values in _file_layers(files, names, warn):
        _apply(settings, source, values)
    _apply(settings, "env", {key: env[key] for key in KEYS if key in env})
    if host is not None:
        settings[HOST_KEY] = _Setting(host, "--host")
    if port is not None:
        settings[PORT_KEY] = _Setting(str(port), "--port")

    token = settings.get(TOKEN_KEY)
    if token is None and require_token:
        raise ConfigError(
            f"no {TOKEN_KEY} in {looked} or the environment; set {TOKEN_KEY} in the environment or in {main}"
        )
    used = [settings[HOST_KEY], settings[PORT_KEY], *([token] if token else [])]
    return ApiConfig(
        host=_check_host(settings[HOST_KEY]),
        port=_check_port(settings[PORT_KEY]),
        token=_check_token(token) if token else "",
        sources=tuple(dict.fromkeys(setting.source for setting in used)),
        thresholds=_check_thresholds(settings.get(WARN_KEY), settings.get(ALARM_KEY)),
        cluster_name=name.value if (name := settings.get(NAME_KEY)) else "",
    )


def _host_names(hostname: str) -> frozenset[str]:
    """The section names that mean this node: the full name and the short one."""
    full = hostname.strip().lower()
    return frozenset(name for name in (full, full.split(".", 1)[0]) if name)


def _drop_ins(directory: Path) -> list[Path]:
    """The *.conf files of a storpool.conf.d directory in name order, dotfiles skipped; none if it is absent."""
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ConfigError(f"cannot read {directory}: {exc.strerror}") from None
    return [directory / name for name in names if name.endswith(".conf") and not name.startswith(".")]


def _apply(settings: dict[str, _Setting], source: str, values: Mapping[str, str]) -> None:
    for key in KEYS:
        value = values.get(key, "").strip()
        if value:
            settings[key] = _Setting(value, source)


def _file_layers(
    files: list[tuple[Path, bool]], names: frozenset[str], warn: Callable[[str], None] | None
) -> Iterator[tuple[str, dict[str, str]]]:
    """Per file (path, missing_ok): its global part, then each section naming this node, as (source, values)."""
    for path, missing_ok in files:
        text = _read(path, missing_ok=missing_ok)
        if text is None:
            continue
        global_part, sections = _parse(path, text)
        holds_token = any(values.get(TOKEN_KEY, "").strip() for values in (global_part, *(v for _, v in sections)))
        if warn is not None and holds_token and (exposed := _exposure(path)):
            warn(exposed)
        yield str(path), global_part
        for section, values in sections:
            if section.lower() in names:
                yield f"{path} [{section}]", values


def _exposure(path: Path) -> str | None:
    """Why a file holding the token is readable by too many, or None.

    Anyone who can read the token can do anything to the cluster through the API. StorPool installs
    /etc/storpool.conf 0640 root:disk, and members of "disk" can already read and write every block device of
    the node, the cluster's data included, so the token gives them nothing new: group-readable is fine for the
    root and disk groups, and worth a warning for any other group (say "users"). World-readable always is.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o004:
        return f"{path} holds {TOKEN_KEY} and every user can read it (mode {mode:04o}); chmod o-r {path}"
    if mode & 0o040 and (group := _group_name(info.st_gid)) not in TRUSTED_GROUPS:
        return (
            f"{path} holds {TOKEN_KEY} and group {group} can read it (mode {mode:04o}); "
            f"StorPool keeps it 0640 root:disk: chgrp disk {path}, or chmod g-r {path}"
        )
    return None


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _read(path: Path, *, missing_ok: bool) -> str | None:
    """A config file's text; None if it is an optional file that does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"cannot read {path}: not UTF-8 text (line {line})") from None


def _parse(path: Path, text: str) -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """Split a file into its global assignments and its sections, in file order.

    Errors name the file and line but never quote the line: it may hold the token.
    """
    global_part: dict[str, str] = {}
    sections: list[tuple[str, dict[str, str]]] = []
    current = global_part
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        section = _SECTION_RE.match(line)
        if section:
            sections.append((section.group(1), {}))
            current = sections[-1][1]
            continue
        assignment = _ASSIGNMENT_RE.match(line)
        if not assignment:
            raise ConfigError(f"cannot parse {path}, line {number}: expected KEY=value, [section] or a # comment")
        value = _unquote(assignment.group(2))
        if value is None:
            raise ConfigError(f"cannot parse {path}, line {number}: unbalanced quotes in the value of {assignment[1]}")
        current[assignment.group(1)] = value
    return global_part, sections


def _unquote(raw: str) -> str | None:
    """The value of ``KEY=raw``, shell-style: quotes removed, a trailing comment dropped; None if malformed."""
    stripped = raw.strip()
    if stripped[:1] in ("'", '"'):
        end = stripped.find(stripped[0], 1)
        rest = stripped[end + 1 :].strip() if end > 0 else None
        if rest is None or (rest and not rest.startswith("#")):
            return None
        return stripped[1:end]
    comment = _UNQUOTED_COMMENT_RE.search(raw)
    return (raw[: comment.start()] if comment else raw).strip()


def _check_host(setting: _Setting) -> str:
    """A host name, an IPv4 address or an IPv6 literal (bracketed or not); "host:port" is refused with a hint."""
    value = setting.value
    if ":" in value or "[" in value:
        literal = value[1:-1] if value.startswith("[") and value.endswith("]") else value
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            where = "--port" if setting.source.startswith("--") else PORT_KEY
            hint = f" (the port goes in {where})" if _HOST_PORT_RE.match(value) else ""
            raise ConfigError(
                f"bad {_describe(HOST_KEY, setting)}: expected a host name or an IP address{hint}"
            ) from None
        return value
    if not _HOST_RE.match(value):
        raise ConfigError(f"bad {_describe(HOST_KEY, setting)}: expected a host name or an IP address")
    return value


def _check_port(setting: _Setting) -> int:
    value = setting.value
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ConfigError(f"bad {_describe(PORT_KEY, setting)}: expected an integer 1..65535")
    return int(value)


def _check_token(setting: _Setting) -> str:
    """The token goes into an HTTP header as is: printable ASCII without spaces. The error never quotes it."""
    value = setting.value
    if all("!" <= char <= "~" for char in value):
        return value
    if not value.isascii():
        what = "a non-ASCII character"
    elif any(char.isspace() for char in value):
        what = "a space"
    else:
        what = "a control character"
    where = "the environment" if setting.source == "env" else setting.source
    raise ConfigError(f"bad {TOKEN_KEY} in {where}: it holds {what}; expected printable ASCII without spaces")


def _check_percent(key: str, setting: _Setting) -> float:
    value = setting.value
    if not value.isascii() or not _PERCENT_RE.match(value) or not 0 < float(value) <= 100:
        raise ConfigError(f"bad {_describe(key, setting)}: expected a percentage above 0 and up to 100, e.g. 85")
    return float(value) / 100


def _check_thresholds(warn: _Setting | None, alarm: _Setting | None) -> Thresholds:
    """The capacity thresholds, each from where it was set (the default where not); the warning must not be
    above the alarm, or a drive filling up would turn red before it ever turned yellow."""
    warn_at = _check_percent(WARN_KEY, warn) if warn else DEFAULT_THRESHOLDS.warn
    alarm_at = _check_percent(ALARM_KEY, alarm) if alarm else DEFAULT_THRESHOLDS.alarm
    if warn_at > alarm_at:
        said_warn = _describe(WARN_KEY, warn) if warn else f"{WARN_KEY} (default {DEFAULT_THRESHOLDS.warn:.0%})"
        said_alarm = _describe(ALARM_KEY, alarm) if alarm else f"{ALARM_KEY} (default {DEFAULT_THRESHOLDS.alarm:.0%})"
        raise ConfigError(f"{said_warn} is above {said_alarm}: the warning must come first")
    return Thresholds(warn=warn_at, alarm=alarm_at)


def _describe(key: str, setting: _Setting) -> str:
    """``--port '0'`` for a flag, ``SP_API_HTTP_PORT 'x' in /etc/storpool.conf`` for the rest."""
    if setting.source.startswith("--"):
        return f"{setting.source} {setting.value!r}"
    where = "the environment" if setting.source == "env" else setting.source
    return f"{key} {setting.value!r} in {where}"
