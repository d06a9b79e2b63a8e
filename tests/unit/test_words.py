"""The shared phrases (plugin/words.py) and durations (plugin/duration.py)."""

import pytest

from nagios_nutanix.plugin.duration import human
from nagios_nutanix.plugin.words import listing, plural, size


def test_plural():
    assert plural(1, "drive") == "1 drive"
    assert plural(0, "drive") == "0 drives"
    assert plural(2, "policy", "policies") == "2 policies"


def test_listing_is_capped_with_a_count():
    assert listing(["a", "b"]) == "a, b"
    assert listing(["a", "b", "c", "d", "e", "f"]) == "a, b, c, d and 2 more"
    assert listing([], 3) == ""
    assert listing(range(3), limit=1) == "0 and 2 more"


@pytest.mark.parametrize("value,text", [
    (0, "0 B"), (900, "900 B"), (2048, "2.0 KiB"), (512 * 2 ** 30, "512.0 GiB"),
    (20.9 * 2 ** 40, "20.9 TiB"), (3 * 2 ** 50, "3.0 PiB"), (-2 * 2 ** 30, "-2.0 GiB")])
def test_size(value, text):
    assert size(value) == text


@pytest.mark.parametrize("seconds,text", [
    (45, "45s"), (840, "14m"), (8040, "2h14m"), (3600, "1h"), (273600, "3d4h"),
    (59.9, "59s"), (-5, "0s"), (None, "unknown"), (float("nan"), "unknown")])
def test_durations_are_floored_to_two_units(seconds, text):
    assert human(seconds) == text
