"""Config discovery: StorPool's files, then the environment, then flags, each level tested on its own.

Every test builds its own /etc in tmp_path and passes its own environment and host name, so nothing here
depends on the machine running it.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from sptui.config import ApiConfig, ConfigError, load_config
from sptui.state.thresholds import Thresholds

TOKEN = "s3cr3t-t0ken-9f2c"
HOSTNAME = "node1.example.com"


@pytest.fixture
def etc(tmp_path: Path) -> Path:
    path = tmp_path / "etc"
    path.mkdir()
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(etc: Path, env: dict[str, str] | None = None, **kwargs: object) -> ApiConfig:
    """load_config with the test's /etc, host name and (default: token-only) environment."""
    environ = {"SP_AUTH_TOKEN": TOKEN} if env is None else env
    kwargs.setdefault("hostname", HOSTNAME)
    return load_config(etc_dir=etc, environ=environ, **kwargs)  # type: ignore[arg-type]


def error(etc: Path, env: dict[str, str] | None = None, **kwargs: object) -> str:
    """The message of the ConfigError that load() must raise."""
    with pytest.raises(ConfigError) as err:
        load(etc, env, **kwargs)
    return str(err.value)


# --- precedence, one level at a time ---------------------------------------------------------------


def test_defaults_when_nothing_is_configured(etc: Path) -> None:
    config = load(etc)
    assert (config.host, config.port, config.token) == ("127.0.0.1", 81, TOKEN)
    assert config.endpoint == "127.0.0.1:81"
    assert config.sources == ("default", "env")


def test_storpool_conf_global_beats_defaults(etc: Path) -> None:
    conf = write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\nSP_API_HTTP_PORT=8081\nSP_AUTH_TOKEN=abc\n")
    config = load(etc, env={})
    assert (config.host, config.port, config.token) == ("10.0.0.5", 8081, "abc")
    assert config.sources == (str(conf),)


def test_host_section_beats_global_part_even_when_the_global_line_comes_later(etc: Path) -> None:
    conf = write(
        etc / "storpool.conf",
        "SP_API_HTTP_HOST=10.0.0.5\n[node1]\nSP_API_HTTP_HOST=10.0.0.6\n[node2]\nSP_API_HTTP_HOST=10.0.0.7\n",
    )
    config = load(etc)
    assert config.host == "10.0.0.6"
    assert config.sources == (f"{conf} [node1]", "default", "env")


def test_other_hosts_sections_are_ignored(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\n[node2]\nSP_API_HTTP_HOST=10.0.0.7\n")
    assert load(etc).host == "10.0.0.5"


def test_drop_in_beats_storpool_conf_and_its_section(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\n[node1]\nSP_API_HTTP_HOST=10.0.0.6\n")
    drop_in = write(etc / "storpool.conf.d" / "api.conf", "SP_API_HTTP_HOST=10.0.0.8\n")
    config = load(etc)
    assert config.host == "10.0.0.8"
    assert config.sources[0] == str(drop_in)


def test_drop_ins_apply_in_name_order(etc: Path) -> None:
    drop_ins = etc / "storpool.conf.d"
    write(drop_ins / "20-b.conf", "SP_API_HTTP_PORT=2020\n")
    write(drop_ins / "10-a.conf", "SP_API_HTTP_PORT=1010\nSP_API_HTTP_HOST=10.0.0.10\n")
    write(drop_ins / "3-c.conf", "SP_API_HTTP_HOST=10.0.0.30\n")
    config = load(etc)
    # "3-c" sorts after "20-b": plain name order, as a shell glob lists them.
    assert (config.host, config.port) == ("10.0.0.30", 2020)


def test_each_drop_in_applies_its_global_part_then_its_section(etc: Path) -> None:
    drop_ins = etc / "storpool.conf.d"
    write(drop_ins / "a.conf", "[node1]\nSP_API_HTTP_HOST=10.0.0.1\n")
    write(drop_ins / "b.conf", "SP_API_HTTP_HOST=10.0.0.2\n[node1]\nSP_API_HTTP_PORT=82\n")
    config = load(etc)
    # b.conf's global part comes after a.conf's section; b.conf's section after its own global part.
    assert (config.host, config.port) == ("10.0.0.2", 82)


def test_dotfiles_and_other_extensions_in_conf_d_are_skipped(etc: Path) -> None:
    drop_ins = etc / "storpool.conf.d"
    write(drop_ins / "a.conf", "SP_API_HTTP_HOST=10.0.0.1\n")
    write(drop_ins / ".z.conf", "SP_API_HTTP_HOST=10.0.0.99\nSP_API_HTTP_PORT=99\n")
    write(drop_ins / "z.conf.bak", "SP_API_HTTP_HOST=10.0.0.98\n")
    write(drop_ins / "z.conf~", "SP_API_HTTP_HOST=10.0.0.97\n")
    config = load(etc)
    assert (config.host, config.port) == ("10.0.0.1", 81)


def test_environment_beats_every_file(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\nSP_API_HTTP_PORT=8081\nSP_AUTH_TOKEN=from-file\n")
    write(etc / "storpool.conf.d" / "x.conf", "[node1]\nSP_API_HTTP_HOST=10.0.0.8\n")
    env = {"SP_API_HTTP_HOST": "192.0.2.1", "SP_API_HTTP_PORT": "9000", "SP_AUTH_TOKEN": TOKEN}
    config = load(etc, env=env)
    assert (config.host, config.port, config.token) == ("192.0.2.1", 9000, TOKEN)
    assert config.sources == ("env",)


def test_environment_applies_key_by_key(etc: Path) -> None:
    conf = write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\nSP_AUTH_TOKEN=from-file\n")
    config = load(etc, env={"SP_API_HTTP_PORT": "9000"})
    assert (config.host, config.port, config.token) == ("10.0.0.5", 9000, "from-file")
    assert config.sources == (str(conf), "env")


def test_empty_values_do_not_hide_lower_levels(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\nSP_AUTH_TOKEN=from-file\n")
    write(etc / "storpool.conf.d" / "x.conf", 'SP_API_HTTP_HOST=""\n')
    config = load(etc, env={"SP_AUTH_TOKEN": "", "SP_API_HTTP_HOST": ""})
    assert (config.host, config.token) == ("10.0.0.5", "from-file")


def test_flags_beat_the_environment(etc: Path) -> None:
    env = {"SP_API_HTTP_HOST": "192.0.2.1", "SP_API_HTTP_PORT": "9000", "SP_AUTH_TOKEN": TOKEN}
    config = load(etc, env=env, host="198.51.100.7", port=8080)
    assert (config.host, config.port, config.token) == ("198.51.100.7", 8080, TOKEN)
    assert config.sources == ("--host", "--port", "env")


def test_unrelated_environment_and_file_keys_are_ignored(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_OURID=3\nSP_CLUSTER_NAME=lab\nSP_API_HTTP_HOST=10.0.0.5\n")
    assert load(etc, env={"SP_AUTH_TOKEN": TOKEN, "SP_OURID": "x"}).host == "10.0.0.5"


# --- --config FILE ----------------------------------------------------------------------------------


def test_config_file_replaces_storpool_conf_and_its_drop_ins(etc: Path, tmp_path: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\nSP_API_HTTP_PORT=8081\n")
    write(etc / "storpool.conf.d" / "x.conf", "SP_API_HTTP_HOST=10.0.0.8\nSP_AUTH_TOKEN=local\n")
    other = write(
        tmp_path / "other.conf", "SP_API_HTTP_HOST=203.0.113.9\nSP_AUTH_TOKEN=other\n[node1]\nSP_API_HTTP_PORT=83\n"
    )
    config = load(etc, env={}, config_file=other)
    assert (config.host, config.port, config.token) == ("203.0.113.9", 83, "other")
    assert config.sources == (str(other), f"{other} [node1]")


def test_config_file_accepts_a_str_and_stays_below_env_and_flags(etc: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other.conf", "SP_API_HTTP_HOST=203.0.113.9\nSP_API_HTTP_PORT=83\nSP_AUTH_TOKEN=other\n")
    config = load(etc, env={"SP_AUTH_TOKEN": TOKEN, "SP_API_HTTP_HOST": "192.0.2.1"}, config_file=str(other), port=84)
    assert (config.host, config.port, config.token) == ("192.0.2.1", 84, TOKEN)


def test_missing_config_file_is_an_error(etc: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.conf"
    assert error(etc, config_file=missing) == f"config file {missing} does not exist"


def test_missing_storpool_conf_and_conf_d_are_fine(tmp_path: Path) -> None:
    assert load(tmp_path / "no-such-etc").endpoint == "127.0.0.1:81"


# --- host name matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hostname", "section", "matches"),
    [
        ("node1.example.com", "node1", True),
        ("node1.example.com", "node1.example.com", True),
        ("node1", "node1", True),
        ("NODE1.Example.com", "node1", True),
        ("node1.example.com", "NODE1", True),
        ("node1", "node1.example.com", False),
        ("node10.example.com", "node1", False),
        ("node1.example.com", "example", False),
        ("node1.example.com", "node1.example", False),
        ("", "node1", False),
    ],
)
def test_section_matches_the_full_or_short_host_name(etc: Path, hostname: str, section: str, matches: bool) -> None:
    write(etc / "storpool.conf", f"SP_API_HTTP_HOST=10.0.0.5\n[{section}]\nSP_API_HTTP_HOST=10.0.0.6\n")
    assert load(etc, hostname=hostname).host == ("10.0.0.6" if matches else "10.0.0.5")


def test_both_short_and_full_sections_apply_in_file_order(etc: Path) -> None:
    write(
        etc / "storpool.conf",
        "[node1.example.com]\nSP_API_HTTP_HOST=10.0.0.6\nSP_API_HTTP_PORT=86\n[node1]\nSP_API_HTTP_PORT=87\n",
    )
    config = load(etc)
    assert (config.host, config.port) == ("10.0.0.6", 87)


def test_hostname_defaults_to_this_machine(etc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("socket.gethostname", lambda: "sp-mgmt.lab.example")
    write(etc / "storpool.conf", "[sp-mgmt]\nSP_API_HTTP_HOST=10.0.0.6\n")
    config = load_config(etc_dir=etc, environ={"SP_AUTH_TOKEN": TOKEN})
    assert config.host == "10.0.0.6"


def test_environ_defaults_to_the_process_environment(etc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SP_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SP_API_HTTP_PORT", "8123")
    monkeypatch.delenv("SP_API_HTTP_HOST", raising=False)
    config = load_config(etc_dir=etc, hostname=HOSTNAME)
    assert (config.port, config.token) == (8123, TOKEN)
    assert os.environ["SP_AUTH_TOKEN"] == TOKEN


# --- the file syntax --------------------------------------------------------------------------------


def test_comments_quotes_export_and_spacing(etc: Path) -> None:
    write(
        etc / "storpool.conf",
        "# StorPool configuration\n"
        "\n"
        "   # an indented comment\n"
        "export SP_API_HTTP_HOST='10.0.0.5'   # the API's floating address\n"
        'SP_AUTH_TOKEN = "quoted#token"\n'
        'SP_API_HTTP_PORT="8081" # trailing comment\n'
        "SP_CLUSTER_NAME=a#b\n"
        "  [ node1 ]   # this node\n"
        "\texport   SP_API_HTTP_PORT=8082\t# trailing comment\n",
    )
    config = load(etc, env={})
    assert (config.host, config.port, config.token) == ("10.0.0.5", 8082, "quoted#token")


def test_later_assignment_in_the_same_part_wins(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_PORT=1\nSP_API_HTTP_PORT=2\n")
    assert load(etc).port == 2


def test_crlf_line_endings_are_read(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_HOST=10.0.0.5\r\nSP_API_HTTP_PORT=8081\r\n")
    config = load(etc)
    assert (config.host, config.port) == ("10.0.0.5", 8081)


def test_ipv6_host_is_bracketed_in_the_endpoint(etc: Path) -> None:
    assert load(etc, host="::1").endpoint == "[::1]:81"
    assert load(etc, host="[fd00::5]", port=8080).endpoint == "[fd00::5]:8080"
    assert load(etc, host="sp-api.example.com").endpoint == "sp-api.example.com:81"


# --- errors -----------------------------------------------------------------------------------------


def test_missing_token_names_where_it_looked(etc: Path) -> None:
    assert error(etc, env={}) == (
        f"no SP_AUTH_TOKEN in {etc}/storpool.conf, {etc}/storpool.conf.d/*.conf or the environment; "
        f"set SP_AUTH_TOKEN in the environment or in {etc}/storpool.conf"
    )


def test_missing_token_with_config_file_names_that_file(etc: Path, tmp_path: Path) -> None:
    other = write(tmp_path / "other.conf", "SP_API_HTTP_HOST=10.0.0.5\n")
    assert error(etc, env={}, config_file=other) == (
        f"no SP_AUTH_TOKEN in {other} or the environment; set SP_AUTH_TOKEN in the environment or in {other}"
    )


def test_token_in_another_hosts_section_does_not_count(etc: Path) -> None:
    write(etc / "storpool.conf", f"[node2]\nSP_AUTH_TOKEN={TOKEN}\n")
    assert error(etc, env={}).startswith("no SP_AUTH_TOKEN in ")


def test_missing_token_allowed_when_not_required(etc: Path) -> None:
    config = load(etc, env={}, require_token=False)
    assert config.token == ""
    assert config.sources == ("default",)


def test_unreadable_file_is_named(etc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, because the tests may run as root, who reads a mode-000 file anyway."""
    conf = write(etc / "storpool.conf", f"SP_AUTH_TOKEN={TOKEN}\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == conf:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert error(etc) == f"cannot read {conf}: Permission denied"


def test_directory_instead_of_a_file_is_named(etc: Path, tmp_path: Path) -> None:
    (etc / "storpool.conf").mkdir()
    assert error(etc) == f"cannot read {etc}/storpool.conf: Is a directory"
    assert error(tmp_path / "empty-etc", config_file=tmp_path) == f"cannot read {tmp_path}: Is a directory"


def test_directory_in_conf_d_is_named(etc: Path) -> None:
    (etc / "storpool.conf.d" / "weird.conf").mkdir(parents=True)
    assert error(etc) == f"cannot read {etc}/storpool.conf.d/weird.conf: Is a directory"


def test_conf_d_that_is_not_a_directory_is_named(etc: Path) -> None:
    write(etc / "storpool.conf.d", "SP_API_HTTP_HOST=10.0.0.5\n")
    assert error(etc) == f"cannot read {etc}/storpool.conf.d: Not a directory"


def test_non_utf8_file_is_named_with_the_line(etc: Path) -> None:
    conf = etc / "storpool.conf"
    conf.write_bytes(b"SP_API_HTTP_HOST=10.0.0.5\nSP_CLUSTER_NAME=caf\xe9\n")
    assert error(etc) == f"cannot read {conf}: not UTF-8 text (line 2)"


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (f"SP_AUTH_TOKEN {TOKEN}", "expected KEY=value, [section] or a # comment"),
        (f"={TOKEN}", "expected KEY=value, [section] or a # comment"),
        (f"[node1 {TOKEN}", "expected KEY=value, [section] or a # comment"),
        (f"1SP_AUTH_TOKEN={TOKEN}", "expected KEY=value, [section] or a # comment"),
        (f"SP_AUTH_TOKEN='{TOKEN}", "unbalanced quotes in the value of SP_AUTH_TOKEN"),
        (f'SP_AUTH_TOKEN="{TOKEN}"x', "unbalanced quotes in the value of SP_AUTH_TOKEN"),
    ],
)
def test_unparsable_line_names_file_and_line_but_not_its_text(etc: Path, line: str, fragment: str) -> None:
    conf = write(etc / "storpool.conf.d" / "bad.conf", f"# header\nSP_API_HTTP_HOST=10.0.0.5\n{line}\n")
    message = error(etc)
    assert message == f"cannot parse {conf}, line 3: {fragment}"
    assert TOKEN not in message


def test_syntax_errors_in_other_hosts_sections_still_count(etc: Path) -> None:
    write(etc / "storpool.conf", "[node2]\nnot an assignment\n")
    assert error(etc) == f"cannot parse {etc}/storpool.conf, line 2: expected KEY=value, [section] or a # comment"


@pytest.mark.parametrize("value", ["abc", "0", "65536", "-1", "81.0", "\uff18\uff11", "0x51"])
def test_bad_port_in_a_file_names_the_file(etc: Path, value: str) -> None:
    conf = write(etc / "storpool.conf", f"SP_API_HTTP_PORT={value}\n")
    assert error(etc) == f"bad SP_API_HTTP_PORT {value!r} in {conf}: expected an integer 1..65535"


def test_bad_port_in_a_section_names_the_section(etc: Path) -> None:
    conf = write(etc / "storpool.conf", "[node1]\nSP_API_HTTP_PORT=http\n")
    assert error(etc) == f"bad SP_API_HTTP_PORT 'http' in {conf} [node1]: expected an integer 1..65535"


def test_bad_port_in_the_environment_says_so(etc: Path) -> None:
    assert (
        error(etc, env={"SP_AUTH_TOKEN": TOKEN, "SP_API_HTTP_PORT": "99999"})
        == "bad SP_API_HTTP_PORT '99999' in the environment: expected an integer 1..65535"
    )


@pytest.mark.parametrize("port", [0, 65536, -5])
def test_bad_port_flag_names_the_flag(etc: Path, port: int) -> None:
    assert error(etc, port=port) == f"bad --port '{port}': expected an integer 1..65535"


def test_port_bounds_are_accepted(etc: Path) -> None:
    assert load(etc, port=1).port == 1
    assert load(etc, port=65535).port == 65535


def test_bad_port_overridden_by_a_higher_level_is_harmless(etc: Path) -> None:
    write(etc / "storpool.conf", "SP_API_HTTP_PORT=nope\n")
    assert load(etc, env={"SP_AUTH_TOKEN": TOKEN, "SP_API_HTTP_PORT": "82"}).port == 82


@pytest.mark.parametrize("value", ["http://10.0.0.5", "10.0.0.5/ctrl", "a b", "user@host"])
def test_bad_host_names_its_source(etc: Path, value: str) -> None:
    conf = write(etc / "storpool.conf", f"SP_API_HTTP_HOST='{value}'\n")
    assert error(etc) == f"bad SP_API_HTTP_HOST {value!r} in {conf}: expected a host name or an IP address"


def test_empty_host_flag_is_refused(etc: Path) -> None:
    assert error(etc, host="") == "bad --host '': expected a host name or an IP address"


# --- the token stays secret -------------------------------------------------------------------------


def test_token_never_in_repr_or_str(etc: Path) -> None:
    config = load(etc)
    assert config.token == TOKEN
    for text in (repr(config), str(config), f"{config}", f"{config!r}"):
        assert TOKEN not in text
        assert "127.0.0.1" in text
    assert "token" not in repr(config)


def test_config_is_frozen(etc: Path) -> None:
    config = load(etc)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.token = "other"  # type: ignore[misc]


def test_token_never_in_any_error(etc: Path, tmp_path: Path) -> None:
    """Every error raised while a token is configured somewhere: none of them may quote it."""
    token_line = f"SP_AUTH_TOKEN={TOKEN}\n"
    cases: list[tuple[str, dict[str, str], dict[str, object]]] = [
        (token_line + "SP_API_HTTP_PORT=x\n", {}, {}),
        (token_line + "SP_API_HTTP_HOST='a b'\n", {}, {}),
        (token_line + "garbage line\n", {}, {}),
        (f"SP_AUTH_TOKEN='{TOKEN}\n", {}, {}),
        (token_line, {"SP_AUTH_TOKEN": TOKEN}, {"port": 0}),
        (token_line, {"SP_AUTH_TOKEN": TOKEN}, {"config_file": tmp_path / "missing.conf"}),
    ]
    for text, env, kwargs in cases:
        write(etc / "storpool.conf", text)
        with pytest.raises(ConfigError) as err:
            load(etc, env=env, **kwargs)
        assert TOKEN not in str(err.value)
        assert TOKEN not in repr(err.value)
        assert err.value.__cause__ is None
        assert err.value.__context__ is None or TOKEN not in str(err.value.__context__)
        assert "\n" not in str(err.value)


# --- absurd values: one line naming the source, never the token --------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "env", "expected"),
    [
        (
            {},
            {"SP_API_HTTP_HOST": "127.0.0.1:9301"},
            "bad SP_API_HTTP_HOST '127.0.0.1:9301' in the environment: expected a host name or an IP address "
            "(the port goes in SP_API_HTTP_PORT)",
        ),
        ({"host": "a:b"}, {}, "bad --host 'a:b': expected a host name or an IP address"),
        (
            {"host": "node1:81"},
            {},
            "bad --host 'node1:81': expected a host name or an IP address (the port goes in --port)",
        ),
        ({"host": "[10.0.0.5]"}, {}, "bad --host '[10.0.0.5]': expected a host name or an IP address"),
        ({"host": "::1::2"}, {}, "bad --host '::1::2': expected a host name or an IP address"),
        ({"host": "node%eth0"}, {}, "bad --host 'node%eth0': expected a host name or an IP address"),
        ({"port": 65536}, {}, "bad --port '65536': expected an integer 1..65535"),
        ({}, {"SP_API_HTTP_PORT": "99999999999999999999"}, None),
    ],
)
def test_absurd_hosts_and_ports_name_their_source(
    etc: Path, kwargs: dict[str, object], env: dict[str, str], expected: str | None
) -> None:
    message = error(etc, env={"SP_AUTH_TOKEN": TOKEN, **env}, **kwargs)
    if expected is not None:
        assert message == expected
    assert "\n" not in message and TOKEN not in message


@pytest.mark.parametrize("host", ["::1", "[::1]", "fe80::1%eth0", "[fe80::1%eth0]", "10.0.0.5", "node-1.example_x"])
def test_real_hosts_still_pass(etc: Path, host: str) -> None:
    assert load(etc, host=host).host == host


@pytest.mark.parametrize(
    ("token", "what"),
    [
        ("abc def", "a space"),
        ("abc\tdef", "a space"),
        ("tökén", "a non-ASCII character"),
        ("abc\u00a0def", "a non-ASCII character"),
        ("abc\x7fdef", "a control character"),
        ("abc\x1bdef", "a control character"),
    ],
)
def test_a_token_that_cannot_be_sent_is_refused_without_quoting_it(etc: Path, token: str, what: str) -> None:
    assert error(etc, env={"SP_AUTH_TOKEN": token}) == (
        f"bad SP_AUTH_TOKEN in the environment: it holds {what}; expected printable ASCII without spaces"
    )
    conf = write(etc / "storpool.conf", f"SP_AUTH_TOKEN='{token}'\n")
    message = error(etc, env={})
    assert message.startswith(f"bad SP_AUTH_TOKEN in {conf}: it holds {what}")
    assert token not in message


# --- a config file holding the token that others can read -----------------------------------------------------


def warnings_for(etc: Path, mode: int, text: str = f"SP_AUTH_TOKEN={TOKEN}\n") -> tuple[Path, list[str]]:
    conf = write(etc / "storpool.conf", text)
    conf.chmod(mode)
    said: list[str] = []
    load(etc, env={}, warn=said.append, require_token=False)
    return conf, said


def test_a_world_readable_file_holding_the_token_is_named_once(etc: Path) -> None:
    conf, said = warnings_for(etc, 0o644)
    assert said == [f"{conf} holds SP_AUTH_TOKEN and every user can read it (mode 0644); chmod o-r {conf}"]


def test_a_token_in_another_hosts_section_still_counts(etc: Path) -> None:
    _, said = warnings_for(etc, 0o604, f"[othernode]\nSP_AUTH_TOKEN={TOKEN}\n")
    assert len(said) == 1 and "every user can read it (mode 0604)" in said[0]


@pytest.mark.parametrize("mode", [0o600, 0o400, 0o640, 0o440])
def test_private_and_root_group_readable_files_are_fine(etc: Path, mode: int) -> None:
    conf = etc / "storpool.conf"
    write(conf, "")
    if os.stat(conf).st_gid != 0:
        pytest.skip("needs files created with the root group")
    assert warnings_for(etc, mode)[1] == []


def test_a_readable_file_without_a_token_is_not_warned_about(etc: Path) -> None:
    assert warnings_for(etc, 0o644, "SP_API_HTTP_HOST=10.0.0.5\n")[1] == []


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")
def test_group_readable_by_a_group_other_than_root_or_disk_is_warned_about(etc: Path) -> None:
    conf = write(etc / "storpool.conf", f"SP_AUTH_TOKEN={TOKEN}\n")
    conf.chmod(0o640)
    os.chown(conf, -1, 54321)  # a gid with no name: no trusted group
    said: list[str] = []
    load(etc, env={}, warn=said.append)
    assert said == [
        f"{conf} holds SP_AUTH_TOKEN and group 54321 can read it (mode 0640); "
        f"StorPool keeps it 0640 root:disk: chgrp disk {conf}, or chmod g-r {conf}"
    ]


# --- capacity thresholds (sptui's own keys, in the same files and environment) ----------------------


def test_capacity_thresholds_default_to_80_and_90(etc: Path) -> None:
    assert load(etc).thresholds == Thresholds(warn=0.80, alarm=0.90)


def test_capacity_thresholds_from_the_file_in_percent(etc: Path) -> None:
    write(etc / "storpool.conf", "SPTUI_CAPACITY_WARN=70\nSPTUI_CAPACITY_ALARM = 85.5  # tighter here\n")
    assert load(etc).thresholds == Thresholds(warn=0.70, alarm=0.855)


def test_capacity_thresholds_follow_the_same_precedence(etc: Path) -> None:
    write(etc / "storpool.conf", "SPTUI_CAPACITY_WARN=70\n[node1]\nSPTUI_CAPACITY_ALARM=80\n")
    write(etc / "storpool.conf.d" / "sptui.conf", "SPTUI_CAPACITY_WARN=75\n")
    assert load(etc).thresholds == Thresholds(warn=0.75, alarm=0.80)
    env = {"SP_AUTH_TOKEN": TOKEN, "SPTUI_CAPACITY_WARN": "60"}
    assert load(etc, env=env).thresholds == Thresholds(warn=0.60, alarm=0.80)


@pytest.mark.parametrize("value", ["high", "0", "101", "-5", "80%", "0x50", "1e2", "\uff18\uff10", "80.", "1000"])
def test_a_bad_threshold_names_the_key_and_the_file(etc: Path, value: str) -> None:
    conf = write(etc / "storpool.conf", f"SPTUI_CAPACITY_ALARM={value}\n")
    assert error(etc) == (
        f"bad SPTUI_CAPACITY_ALARM {value!r} in {conf}: expected a percentage above 0 and up to 100, e.g. 85"
    )


def test_a_bad_threshold_in_the_environment_says_so(etc: Path) -> None:
    message = error(etc, env={"SP_AUTH_TOKEN": TOKEN, "SPTUI_CAPACITY_WARN": "lots"})
    assert message.startswith("bad SPTUI_CAPACITY_WARN 'lots' in the environment: expected a percentage")


def test_a_warning_above_the_alarm_is_refused_naming_both(etc: Path) -> None:
    conf = write(etc / "storpool.conf", "SPTUI_CAPACITY_WARN=95\nSPTUI_CAPACITY_ALARM=90\n")
    assert error(etc) == (
        f"SPTUI_CAPACITY_WARN '95' in {conf} is above SPTUI_CAPACITY_ALARM '90' in {conf}: the warning must come first"
    )
    alone = write(etc / "storpool.conf", "SPTUI_CAPACITY_WARN=95\n")
    assert error(etc) == (
        f"SPTUI_CAPACITY_WARN '95' in {alone} is above SPTUI_CAPACITY_ALARM (default 90%): the warning must come first"
    )


def test_equal_thresholds_are_allowed(etc: Path) -> None:
    write(etc / "storpool.conf", "SPTUI_CAPACITY_WARN=90\n")
    assert load(etc).thresholds == Thresholds(warn=0.90, alarm=0.90)


def test_a_bad_threshold_is_a_message_not_a_crash_on_the_command_line(
    etc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sptui.cli import main

    conf = write(tmp_path / "cluster.conf", f"SP_AUTH_TOKEN={TOKEN}\nSPTUI_CAPACITY_WARN=eighty\n")
    conf.chmod(0o600)
    assert main(["--config", str(conf)]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"sptui: bad SPTUI_CAPACITY_WARN 'eighty' in {conf}: expected a percentage above 0 and up to 100, e.g. 85\n"
    )
    assert TOKEN not in err


def test_the_cluster_name_comes_from_storpools_own_key(etc: Path) -> None:
    assert load(etc).cluster_name == ""
    write(etc / "storpool.conf", "SP_CLUSTER_NAME='Lab A'\n")
    assert load(etc).cluster_name == "Lab A"
