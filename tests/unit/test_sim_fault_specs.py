"""`--fault` specs: what they mean, and which are refused."""

from __future__ import annotations

import pytest

from sptui.sim.faults import Faults


def test_each_cli_spelling() -> None:
    faults = Faults.from_specs(["latency=5", "500=0.2", "reset=0.1", "truncate=0.1", "garbage=0.1", "error200=0.1"])
    assert (faults.latency, faults.http_500, faults.reset) == (5.0, 0.2, 0.1)
    assert (faults.truncated, faults.garbage, faults.error200, faults.down) == (0.1, 0.1, 0.1, False)
    assert faults.active


def test_down_and_comma_separated_specs() -> None:
    assert Faults.parse("down").down is True
    assert Faults.parse("down=0").down is False
    both = Faults.parse("latency=0.5, garbage=0.3")
    assert (both.latency, both.garbage) == (0.5, 0.3)
    assert not Faults().active


@pytest.mark.parametrize("spec", ["500=1.5", "reset=-0.1", "latency=-1", "500=0.6,reset=0.6", "meteor=1", "500=lots"])
def test_bad_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        Faults.parse(spec)


def test_picks_follow_the_shares_and_the_seed() -> None:
    faults = Faults(http_500=0.5, garbage=0.25, seed=1)
    many = [faults.pick() for _ in range(4000)]
    assert 1800 < many.count("http_500") < 2200
    assert 800 < many.count("garbage") < 1200
    assert many.count(None) == 4000 - many.count("http_500") - many.count("garbage")
    again = Faults(http_500=0.5, garbage=0.25, seed=1)
    assert [again.pick() for _ in range(4000)] == many
    assert Faults(http_500=1.0).pick() == "http_500"
    assert Faults().pick() is None


def test_to_dict_round_trips() -> None:
    faults = Faults.parse("500=0.2,latency=1", seed=4)
    assert Faults.from_mapping(faults.to_dict()).to_dict() == faults.to_dict()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("latency=nan", "latency must be a finite number (got nan)"),
        ("latency=inf", "latency must be a finite number (got inf)"),
        ("500=nan", "http_500 must be a finite number (got nan)"),
        ("garbage=-inf", "garbage must be a finite number (got -inf)"),
    ],
)
def test_non_finite_numbers_are_refused_with_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        Faults.parse(spec)
    assert str(refused.value) == message
    with pytest.raises(ValueError, match="finite"):
        Faults(latency=float("nan"))
