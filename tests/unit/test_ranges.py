"""The Monitoring Plugins range syntax (conventions.md §1.4) and warning/critical thresholds."""

import math

import pytest

from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.ranges import Range, Thresholds, parse_optional
from nagios_nutanix.plugin.state import State

# The guidelines' table, one row per (range, value, alerts?). Endpoints are "in range": without
# `@` a value equal to an endpoint does not alert, with `@` it does.
TABLE = [
    # `10`: alert if x < 0 or x > 10 (outside {0 .. 10})
    ("10", -1, True),
    ("10", -0.001, True),
    ("10", 0, False),
    ("10", 5, False),
    ("10", 10, False),
    ("10", 10.001, True),
    ("10", 11, True),
    # `10:`: alert if x < 10 (outside {10 .. inf})
    ("10:", 9, True),
    ("10:", 9.999, True),
    ("10:", 10, False),
    ("10:", 11, False),
    ("10:", 1e30, False),
    # `~:10`: alert if x > 10 (outside {-inf .. 10})
    ("~:10", -1e30, False),
    ("~:10", -5, False),
    ("~:10", 10, False),
    ("~:10", 10.5, True),
    ("~:10", 11, True),
    # `10:20`: alert if x < 10 or x > 20 (outside {10 .. 20})
    ("10:20", 9, True),
    ("10:20", 10, False),
    ("10:20", 15, False),
    ("10:20", 20, False),
    ("10:20", 21, True),
    # `@10:20`: alert if 10 <= x <= 20 (inside {10 .. 20})
    ("@10:20", 9, False),
    ("@10:20", 9.999, False),
    ("@10:20", 10, True),
    ("@10:20", 15, True),
    ("@10:20", 20, True),
    ("@10:20", 20.001, False),
    ("@10:20", 21, False),
    # Negative bounds and a start of 0 written out
    ("-5:5", -6, True),
    ("-5:5", -5, False),
    ("-5:5", 5, False),
    ("0:10", 0, False),
    ("0:10", -1, True),
    # A single-point range
    ("0:0", 0, False),
    ("0:0", 1, True),
    ("@0:0", 0, True),
    ("@0:0", 1, False),
    # `~:` alone spans everything: never alerts
    ("~:", -1e300, False),
    ("~:", 1e300, False),
    # Decimals
    ("0.5:2.25", 0.5, False),
    ("0.5:2.25", 0.49, True),
    ("0.5:2.25", 2.25, False),
    ("0.5:2.25", 2.26, True),
]


@pytest.mark.parametrize("text,value,expected", TABLE)
def test_guidelines_table(text, value, expected):
    assert Range.parse(text).alerts(value) is expected


@pytest.mark.parametrize("text,start,end,inside", [
    ("10", 0.0, 10.0, False),
    ("10:", 10.0, math.inf, False),
    ("~:10", -math.inf, 10.0, False),
    ("10:20", 10.0, 20.0, False),
    ("@10:20", 10.0, 20.0, True),
    ("@10", 0.0, 10.0, True),
    ("-5:5", -5.0, 5.0, False),
    (":10", 0.0, 10.0, False),
    ("~:", -math.inf, math.inf, False),
    (" 10 ", 0.0, 10.0, False),
    ("2.5", 0.0, 2.5, False),
])
def test_parse_bounds(text, start, end, inside):
    parsed = Range.parse(text)
    assert (parsed.start, parsed.end, parsed.inside) == (start, end, inside)


def test_endpoint_examples_from_the_brief():
    # 10 with value 10 -> no alert; @10:20 with 10 -> alert
    assert Range.parse("10").alerts(10) is False
    assert Range.parse("@10:20").alerts(10) is True


@pytest.mark.parametrize("text,expected", [
    ("10", "10"), ("10:", "10:"), ("~:10", "~:10"), ("10:20", "10:20"),
    ("@10:20", "@10:20"), (" 10: ", "10:"),
])
def test_text_is_kept_for_perfdata(text, expected):
    assert str(Range.parse(text)) == expected
    assert repr(Range.parse(text)) == "Range(%r)" % expected


@pytest.mark.parametrize("start,end,inside,expected", [
    (0, 10, False, "10"),
    (10, math.inf, False, "10:"),
    (-math.inf, 10, False, "~:10"),
    (10, 20, True, "@10:20"),
    (0.5, 2.25, False, "0.5:2.25"),
    (-math.inf, math.inf, False, "~:"),
])
def test_constructed_ranges_format_in_range_syntax(start, end, inside, expected):
    built = Range(start, end, inside)
    assert str(built) == expected
    # and the text parses back to the same range
    assert Range.parse(str(built)) == built


def test_equality_and_hash_ignore_spelling():
    assert Range.parse("10") == Range.parse("0:10")
    assert hash(Range.parse("10")) == hash(Range.parse("0:10"))
    assert Range.parse("10:20") != Range.parse("@10:20")
    assert Range.parse("10") != "10"


# --- the classic command-line examples ------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    (-1, State.CRITICAL),  # "will be critical if stuff is less than 0"
    (0, State.OK),
    (10, State.OK),
    (10.5, State.WARNING),
    (20, State.WARNING),
    (21, State.CRITICAL),
])
def test_w10_c20(value, expected):
    # -w10 -c20: critical if over 20, else warn if over 10 (critical if less than 0)
    assert Thresholds("10", "20").evaluate(value) == expected


@pytest.mark.parametrize("value,expected", [
    (-1000, State.OK),  # "Negative stuff is OK"
    (-1, State.OK),
    (10, State.OK),
    (11, State.WARNING),
    (20, State.WARNING),
    (21, State.CRITICAL),
])
def test_w_tilde10_c_tilde20(value, expected):
    assert Thresholds("~:10", "~:20").evaluate(value) == expected


@pytest.mark.parametrize("value,expected", [
    (0, State.CRITICAL), (0.99, State.CRITICAL), (1, State.OK), (1000, State.OK),
])
def test_c1_colon(value, expected):
    # -c1: critical if less than 1
    assert Thresholds(critical="1:").evaluate(value) == expected


@pytest.mark.parametrize("value,expected", [
    (4, State.CRITICAL), (5, State.OK), (5.5, State.OK), (6, State.OK), (7, State.CRITICAL),
])
def test_c5_6(value, expected):
    # -c5:6: critical if less than 5 or more than 6
    assert Thresholds(critical="5:6").evaluate(value) == expected


@pytest.mark.parametrize("value,expected", [
    (9, State.OK), (10, State.CRITICAL), (15, State.CRITICAL), (20, State.CRITICAL),
    (21, State.OK),
])
def test_c_at_10_20(value, expected):
    # -c@10:20: OK if less than 10 or higher than 20, otherwise critical
    assert Thresholds(critical="@10:20").evaluate(value) == expected


# --- Thresholds -------------------------------------------------------------------------------

def test_critical_is_evaluated_before_warning():
    # Both ranges alert for 50: critical wins.
    thresholds = Thresholds(warning="10", critical="20")
    assert thresholds.evaluate(50) == State.CRITICAL
    # Even when the warning range is "wider" than the critical one.
    assert Thresholds(warning="@0:100", critical="@40:60").evaluate(50) == State.CRITICAL
    assert Thresholds(warning="@0:100", critical="@40:60").evaluate(30) == State.WARNING


def test_no_thresholds_is_ok_and_missing_value_is_unknown():
    assert Thresholds().evaluate(1e9) == State.OK
    assert Thresholds("10", "20").evaluate(None) == State.UNKNOWN
    assert Thresholds().evaluate(None) == State.UNKNOWN


def test_thresholds_accept_text_ranges_or_nothing():
    thresholds = Thresholds(Range.parse("5"), "")
    assert thresholds.warning == Range.parse("5")
    assert thresholds.critical is None
    assert Thresholds(None, "  ").critical is None


def test_parse_optional():
    assert parse_optional(None) is None
    assert parse_optional("") is None
    assert parse_optional("   ") is None
    already = Range.parse("3:")
    assert parse_optional(already) is already
    assert parse_optional(7) == Range.parse("7")
    assert parse_optional("@1:2") == Range(1, 2, inside=True)


# --- bad ranges -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,words", [
    ("", "empty"),
    ("   ", "empty"),
    (None, "empty"),
    ("abc", "'abc' is not a plain decimal number"),
    ("1e3", "'1e3' is not a plain decimal number"),
    ("20:10", "start is greater than end"),
    ("-10", "start is greater than end"),
    (":", "give a start or an end"),
    ("@:", "give a start or an end"),
    ("@", "is not a plain decimal number"),
    ("~", "'~' is not a plain decimal number"),
    ("10:~", "'~' is not a plain decimal number"),
    ("1:2:3", "'2:3' is not a plain decimal number"),
    ("10%", "'10%' is not a plain decimal number"),
    ("nan", "'nan' is not a plain decimal number"),
    ("inf", "'inf' is not a plain decimal number"),
    ("0x10", "'0x10' is not a plain decimal number"),
])
def test_bad_ranges_raise_usage_error(text, words):
    with pytest.raises(UsageError) as caught:
        Range.parse(text)
    message = str(caught.value)
    assert message.startswith("bad threshold range")
    assert words in message
    # a UsageError is a PluginError: the runner turns it into one UNKNOWN line
    assert isinstance(caught.value, PluginError)


@pytest.mark.parametrize("text", ["abc", "1e3", "", "@"])
def test_bad_range_message_shows_the_accepted_forms(text):
    with pytest.raises(UsageError, match=r"use forms like 10, 10:, ~:10, 10:20, @10:20"):
        Range.parse(text)


@pytest.mark.parametrize("text", ["20:10", "-10", ":"])
def test_bad_range_message_quotes_what_was_given(text):
    with pytest.raises(UsageError) as caught:
        Range.parse(text)
    assert repr(text) in str(caught.value)


def test_bad_text_in_thresholds_raises_usage_error():
    with pytest.raises(UsageError):
        Thresholds(warning="abc")
    with pytest.raises(UsageError):
        Thresholds(critical="20:10")
