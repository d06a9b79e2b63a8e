"""Perfdata in the Monitoring Plugins grammar: `'label'=value[UOM];warn;crit;min;max`."""

import pytest

from nagios_nutanix.plugin.perfdata import UNITS, Metric, format_number
from nagios_nutanix.plugin.ranges import Range


def test_full_item():
    metric = Metric("cpu.utilization.percentage", 41.2, "%", warning=Range.parse("80"),
                    critical=Range.parse("90"), minimum=0, maximum=100, instance="node-03")
    assert metric.render() == "'node-03#cpu.utilization.percentage'=41.2%;80;90;0;100"


@pytest.mark.parametrize("kwargs,expected", [
    ({}, "'m'=5"),
    ({"maximum": 10}, "'m'=5;;;;10"),
    ({"minimum": 0}, "'m'=5;;;0"),
    ({"critical": Range.parse("3:")}, "'m'=5;;3:"),
    ({"warning": Range.parse("0")}, "'m'=5;0"),
    ({"warning": Range.parse("0"), "minimum": 0}, "'m'=5;0;;0"),
    ({"warning": Range.parse("@1:2"), "critical": Range.parse("~:9"), "minimum": -1,
      "maximum": 9}, "'m'=5;@1:2;~:9;-1;9"),
])
def test_trailing_empty_fields_are_dropped(kwargs, expected):
    assert Metric("m", 5, **kwargs).render() == expected


def test_thresholds_given_as_text_are_rendered_as_is():
    assert Metric("m", 1, warning="10:", critical="~:20").render() == "'m'=1;10:;~:20"


@pytest.mark.parametrize("unit", ["", "%", "s", "ms", "us", "c", "B"])
def test_missing_value_is_U_without_unit(unit):
    assert Metric("m", None, unit).render() == "'m'=U"
    assert Metric("m", None, unit, minimum=0, maximum=100).render() == "'m'=U;;;0;100"


def test_nan_and_infinity_are_U():
    assert Metric("m", float("nan")).render() == "'m'=U"
    assert Metric("m", float("inf")).render() == "'m'=U"
    assert Metric("m", float("-inf"), minimum=0).render() == "'m'=U;;;0"


def test_nan_with_unit_is_a_bare_U():
    assert Metric("m", float("inf"), "%").render() == "'m'=U"


def test_nan_bytes_is_U():
    assert Metric("m", float("nan"), "B").render() == "'m'=U"


def test_bytes_are_integers():
    assert Metric("used", 1.4e12, "B", minimum=0, maximum=2.6e12).render() == \
        "'used'=1400000000000B;;;0;2600000000000"
    assert Metric("used", 1023.6, "B").render() == "'used'=1024B"
    assert Metric("used", 7, "B").render() == "'used'=7B"
    assert Metric("used", 12345678901234567890, "B").render() == "'used'=12345678901234567890B"


@pytest.mark.parametrize("value,expected", [
    (0, "0"),
    (7, "7"),
    (-3, "-3"),
    (True, "1"),
    (False, "0"),
    (2 ** 70, "1180591620717411303424"),
    (1.0, "1"),
    (1.5, "1.5"),
    (-2.25, "-2.25"),
    (0.1 + 0.2, "0.3"),
    (41.2, "41.2"),
    (12345678.123456789, "12345678.123457"),
    (1e-7, "0"),
    (-1e-7, "0"),
    (1.5e-5, "0.000015"),
    (-0.0, "0"),
    (1e20, "100000000000000000000"),
    (1e18, "1000000000000000000"),
    (-1e20, "-100000000000000000000"),
    (float("nan"), "U"),
    (float("inf"), "U"),
])
def test_format_number_never_uses_exponents(value, expected):
    text = format_number(value)
    assert text == expected
    assert "e" not in text.lower() or text == "U"


def test_exponent_free_values_in_rendered_items():
    assert Metric("latency", 1e-7, "s").render() == "'latency'=0s"
    assert Metric("latency", 0.000123, "s").render() == "'latency'=0.000123s"
    assert Metric("ops", 1e20, "c").render() == "'ops'=100000000000000000000c"


def test_numbers_use_the_c_locale_decimal_point():
    assert Metric("m", 3.75, "%").render() == "'m'=3.75%"
    assert "," not in Metric("m", 1234567.5).render()


# --- labels -------------------------------------------------------------------------------------

def test_instance_label():
    assert Metric("tolerable.failures.count", 1, instance="NODE~METADATA").label == \
        "NODE~METADATA#tolerable.failures.count"
    assert Metric("nodes.total.count", 4).label == "nodes.total.count"


@pytest.mark.parametrize("name,instance,expected", [
    ("disk's.usage", None, "'disks.usage'=1"),
    ("a=b", None, "'a_b'=1"),
    ("a|b", None, "'a/b'=1"),
    ("a\nb", None, "'a b'=1"),
    ("a\r\n\tb", None, "'a b'=1"),
    ("a\u2028b", None, "'a b'=1"),
    ("  padded  ", None, "'padded'=1"),
    ("cpu", "node'03", "'node03#cpu'=1"),
    ("cpu", "n=1", "'n_1#cpu'=1"),
    ("cpu", "a|b", "'a/b#cpu'=1"),
    ("cpu", "line1\nline2", "'line1 line2#cpu'=1"),
    ("cpu", "with space", "'with space#cpu'=1"),
    ("cpu", "caf\u00e9", "'caf\u00e9#cpu'=1"),
    ("a'b=c|d\ne", "n'o=d|e\r\n", "'no_d/e#ab_c/d e'=1"),
])
def test_labels_are_cleaned(name, instance, expected):
    assert Metric(name, 1, instance=instance).render() == expected


def test_label_never_contains_quote_or_equals():
    metric = Metric("='=''=", 1, instance="''==")
    label = metric.label
    assert "'" not in label and "=" not in label
    assert metric.render() == "'__#___'=1"


# --- units --------------------------------------------------------------------------------------

def test_unit_whitelist():
    assert UNITS == ("", "s", "ms", "us", "%", "B", "c")


@pytest.mark.parametrize("unit", ["", "s", "ms", "us", "%", "B", "c"])
def test_allowed_units_render_after_the_value(unit):
    assert Metric("m", 2, unit).render() == "'m'=2" + unit


@pytest.mark.parametrize("unit", ["KB", "MB", "GB", "TB", "ns", "\u00b5s", "b", "bps", "%%",
                                  "percent", " ", "S", None])
def test_other_units_are_refused(unit):
    with pytest.raises(ValueError, match="perfdata unit"):
        Metric("m", 1, unit)


def test_as_dict():
    metric = Metric("used", 10, "B", warning=Range.parse("80"), critical=None, minimum=0,
                    maximum=100, instance="ctr'1")
    assert metric.as_dict() == {
        "label": "ctr1#used", "value": 10, "unit": "B", "warning": "80", "critical": None,
        "min": 0, "max": 100,
    }
