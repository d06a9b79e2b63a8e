"""Worst-state order, Result, and the Nagios and JSON renderers (DESIGN.md §3)."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nagios_nutanix.plugin.perfdata import Metric
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import OUTPUT_LIMIT, RENDERERS, as_json, first_line, nagios
from nagios_nutanix.plugin.result import Item, Result, error_result
from nagios_nutanix.plugin.sanitize import clean, clean_label
from nagios_nutanix.plugin.state import State, severity, worst

OK, WARNING, CRITICAL, UNKNOWN = State.OK, State.WARNING, State.CRITICAL, State.UNKNOWN

# --- states ---------------------------------------------------------------------------------------


def test_exit_codes():
    assert [int(s) for s in (OK, WARNING, CRITICAL, UNKNOWN)] == [0, 1, 2, 3]


def test_severity_order_is_critical_warning_unknown_ok():
    ranked = sorted(State, key=severity, reverse=True)
    assert ranked == [CRITICAL, WARNING, UNKNOWN, OK]


@pytest.mark.parametrize("states,expected", [
    ([OK, WARNING, CRITICAL, UNKNOWN], CRITICAL),
    ([UNKNOWN, CRITICAL], CRITICAL),
    ([UNKNOWN, WARNING], WARNING),
    ([WARNING, UNKNOWN], WARNING),
    ([OK, UNKNOWN], UNKNOWN),
    ([UNKNOWN, OK], UNKNOWN),
    ([OK, OK], OK),
    ([OK], OK),
    ([0, 1, 3], WARNING),  # plain exit codes are accepted
    ([2, 3], CRITICAL),
])
def test_worst(states, expected):
    assert worst(states) == expected
    assert worst(reversed(states)) == expected


def test_worst_of_nothing_is_the_default():
    assert worst([]) == OK
    assert worst([], default=UNKNOWN) == UNKNOWN
    assert worst(iter(())) == OK


# --- Result ---------------------------------------------------------------------------------------


def test_result_without_items_is_unknown_never_ok():
    result = Result("PROD-A")
    assert result.state == UNKNOWN
    assert nagios(result) == "UNKNOWN - PROD-A: nothing was checked"


def test_result_state_is_the_worst_item():
    result = Result("c", [Item(OK, "a"), Item(UNKNOWN, "b"), Item(WARNING, "c")])
    assert result.state == WARNING
    assert Result("c", [Item(OK, "a"), Item(UNKNOWN, "b")]).state == UNKNOWN
    assert Result("c", [Item(OK, "a")]).state == OK


def test_explicit_state_wins():
    assert Result("c", [Item(OK, "a")], state=CRITICAL).state == CRITICAL


def test_summary_is_problem_briefs_worst_first():
    result = Result("c", [
        Item(OK, "fine"),
        Item(WARNING, "node-02: CVM powered off", brief="node-02 CVM off"),
        Item(UNKNOWN, "no data for x"),
        Item(CRITICAL, "stargate DOWN on node-03 since 10 minutes", brief="stargate DOWN"),
    ], ok_summary="all good")
    assert result.summary == "stargate DOWN; node-02 CVM off; no data for x"


def test_summary_when_all_ok():
    items = [Item(OK, "a"), Item(OK, "b")]
    assert Result("c", items, ok_summary="2 things fine").summary == "2 things fine"
    assert Result("c", items).summary == "a; b"
    assert Result("c", items, summary="given").summary == "given"


def test_error_result():
    result = error_result("cannot reach Prism at 10.0.0.1:9440: connection refused")
    assert result.state == UNKNOWN
    assert nagios(result) == "UNKNOWN - cannot reach Prism at 10.0.0.1:9440: connection refused"


# --- the Nagios renderer --------------------------------------------------------------------------


def test_first_line_format_with_perfdata():
    result = Result("PROD-A/node-03", [
        Item(CRITICAL, "stargate DOWN"), Item(CRITICAL, "curator DOWN"), Item(OK, "cerebro UP"),
    ], [Metric("services.down.count", 2, critical=Range.parse("0"), minimum=0, maximum=4)],
        summary="stargate DOWN, curator DOWN (2 of 4 services down)")
    out = nagios(result)
    assert out.split("\n") == [
        "CRITICAL - PROD-A/node-03: stargate DOWN, curator DOWN (2 of 4 services down) "
        "| 'services.down.count'=2;;0;0;4",
        "[CRITICAL] stargate DOWN",
        "[CRITICAL] curator DOWN",
        "[OK] cerebro UP",
    ]


def test_first_line_without_scope_and_without_perfdata():
    result = Result(None, [Item(WARNING, "w")])
    assert first_line(result) == "WARNING - w"
    assert nagios(result) == "WARNING - w"


def test_single_item_equal_to_summary_has_no_long_output():
    assert nagios(Result("c", [Item(OK, "all fine")])) == "OK - c: all fine"


def test_single_item_different_from_summary_is_listed():
    result = Result("c", [Item(OK, "detail")], ok_summary="summary")
    assert nagios(result) == "OK - c: summary\n[OK] detail"


def test_long_output_is_worst_first_and_stable():
    result = Result("c", [
        Item(OK, "ok-1"), Item(UNKNOWN, "unknown-1"), Item(WARNING, "warning-1"),
        Item(CRITICAL, "critical-1"), Item(OK, "ok-2"), Item(WARNING, "warning-2"),
        Item(CRITICAL, "critical-2"),
    ])
    lines = nagios(result).split("\n")
    assert lines[0] == ("CRITICAL - c: critical-1; critical-2; warning-1; warning-2; "
                        "unknown-1")
    assert lines[1:] == [
        "[CRITICAL] critical-1", "[CRITICAL] critical-2", "[WARNING] warning-1",
        "[WARNING] warning-2", "[UNKNOWN] unknown-1", "[OK] ok-1", "[OK] ok-2",
    ]


def test_info_always_shown_notes_and_sources_only_verbose():
    result = Result("c", [Item(OK, "a", source="v2.0 hosts"), Item(OK, "b")], ok_summary="ok",
                    notes=["source: Prism Element v2.0"], info=["metadata ring not checked"])
    assert nagios(result) == "OK - c: ok\n[OK] a\n[OK] b\n(metadata ring not checked)"
    assert nagios(result, verbosity=1) == (
        "OK - c: ok\n[OK] a (source: v2.0 hosts)\n[OK] b\n(metadata ring not checked)\n"
        "note: source: Prism Element v2.0")


def test_cluster_text_is_sanitized_in_every_line():
    result = Result("PROD|A\nx", [Item(CRITICAL, "alert | with\npipe\r\nand\x1b[31mcolour"),
                                   Item(OK, "line\u2028sep")])
    assert nagios(result).split("\n") == [
        "CRITICAL - PROD/A x: alert / with pipe and [31mcolour",
        "[CRITICAL] alert / with pipe and [31mcolour",
        "[OK] line sep",
    ]


def test_clean_limit():
    assert clean("abcdefghij", limit=8) == "abcde..."
    assert clean("abc", limit=8) == "abc"
    assert clean(None) == ""
    assert clean_label("a'b=c") == "ab_c"


# --- 8 KB cap -------------------------------------------------------------------------------------


def test_many_long_output_lines_are_cut_under_8k():
    items = [Item(WARNING, "node-%04d: CVM powered off, disk %s failing" % (i, "x" * 40))
             for i in range(1000)]
    out = nagios(Result("BIG", items, summary="1000 nodes unhealthy"))
    assert len(out.encode()) < 8192
    assert len(out.encode()) <= OUTPUT_LIMIT
    lines = out.split("\n")
    assert lines[0] == "WARNING - BIG: 1000 nodes unhealthy"
    assert re.fullmatch(r"\(output cut: \d+ more lines not shown, 8 KB plugin output limit\)",
                        lines[-1])
    shown = len(lines) - 2
    assert int(re.search(r"\d+", lines[-1]).group()) == 1000 - shown
    assert lines[1] == items[0].text.join(["[WARNING] ", ""])


def test_too_much_perfdata_is_cut_by_whole_items():
    metrics = [Metric("disk.usage.bytes", 10 ** 12 + i, "B", minimum=0, maximum=2 * 10 ** 12,
                      instance="node-%03d~disk-%02d" % (i // 10, i % 10)) for i in range(400)]
    out = nagios(Result("BIG", [Item(OK, "fine")], metrics))
    assert len(out.encode()) < 8192
    head, rest = out.split("\n", 1)
    assert head.startswith("OK - BIG: fine | 'node-000~disk-00#disk.usage.bytes'=")
    perf = head.split(" | ", 1)[1]
    items = perf.split(" ")
    assert 0 < len(items) < 400
    rendered = [m.render() for m in metrics]
    assert items == rendered[:len(items)]  # whole items, in order
    assert rest.startswith("(output cut: perfdata exceeded the 8 KB plugin output limit)")


def test_output_under_the_limit_is_untouched():
    items = [Item(OK, "line %d" % i) for i in range(50)]
    out = nagios(Result("c", items, ok_summary="fine"))
    assert "output cut" not in out
    assert len(out.split("\n")) == 51


def test_a_huge_first_line_is_cut_too():
    out = nagios(Result("c", [Item(CRITICAL, "x" * 10000), Item(OK, "y")]))
    assert len(out.encode()) < 8192


# --- secrets --------------------------------------------------------------------------------------


def test_secrets_are_redacted_everywhere_in_the_text():
    result = Result("c", [Item(UNKNOWN, "login as admin with s3cr3t-pw refused"),
                          Item(OK, "s3cr3t-pw again")],
                    notes=["url https://admin:s3cr3t-pw@10.0.0.1"], info=["s3cr3t-pw"])
    out = nagios(result, verbosity=1, secrets=["s3cr3t-pw", None, ""])
    assert "s3cr3t-pw" not in out
    assert out.split("\n") == [
        "UNKNOWN - c: login as admin with ******** refused",
        "[UNKNOWN] login as admin with ******** refused",
        "[OK] ******** again",
        "(********)",
        "note: url https://admin:********@10.0.0.1",
    ]


def test_a_short_plain_word_secret_is_masked_as_a_whole_word_only():
    # An SNMP community such as "public" or "node": masked where it stands alone, not inside
    # the words of the output that contain it.
    result = Result("c", [Item(CRITICAL, "agent refused community node on node-03 (nodes)")])
    assert nagios(result, secrets=["node"]) == (
        "CRITICAL - c: agent refused community ******** on node-03 (nodes)")
    assert nagios(Result("c", [Item(OK, "publication public")]), secrets=["public"]) == (
        "OK - c: publication ********")


def test_a_password_is_masked_even_inside_a_word():
    result = Result("c", [Item(OK, "url https://admin:Nutanix/4u@host and xNutanix/4ux")])
    assert nagios(result, secrets=["Nutanix/4u"]) == (
        "OK - c: url https://admin:********@host and x********x")


def test_very_short_secrets_are_not_redacted():
    # Redacting a 1-2 character password would mangle ordinary words and numbers.
    assert nagios(Result("c", [Item(OK, "a1 fine")]), secrets=["a1"]) == "OK - c: a1 fine"


def test_secrets_are_redacted_in_perfdata():
    result = Result("c", [Item(OK, "ok")], [Metric("m", 1, instance="hunter2")])
    assert nagios(result, secrets=["hunter2"]) == "OK - c: ok | '********#m'=1"


def test_secrets_are_redacted_in_json():
    result = Result("c", [Item(UNKNOWN, "refused password hunter2")])
    text = as_json(result, secrets=["hunter2"])
    assert "hunter2" not in text
    assert json.loads(text)["summary"] == "refused password ********"


@pytest.mark.parametrize("secret", ["p\u00e4ssw\u00f6rd", 'pa"ss', "pa\\ss"])
def test_secrets_with_escaped_characters_are_redacted_in_json(secret):
    text = as_json(Result("c", [Item(UNKNOWN, "refused %s" % secret)]), secrets=[secret])
    assert secret not in json.loads(text)["summary"]


# --- JSON -----------------------------------------------------------------------------------------


def test_json_fields():
    result = Result("PROD|A", [
        Item(OK, "fine", source="v2.0 hosts"),
        Item(WARNING, "node-02:\nCVM off", brief="node-02 CVM off"),
    ], [Metric("nodes.unhealthy.count", 1, warning=Range.parse("0"), minimum=0, maximum=4)],
        notes=["source: x"], info=["not checked: y"])
    doc = json.loads(as_json(result))
    assert doc == {
        "state": "WARNING",
        "exit_code": 1,
        "scope": "PROD|A",
        "summary": "node-02 CVM off",
        "items": [
            {"state": "WARNING", "text": "node-02: CVM off", "source": None},
            {"state": "OK", "text": "fine", "source": "v2.0 hosts"},
        ],
        "perfdata": [{"label": "nodes.unhealthy.count", "value": 1, "unit": "",
                      "warning": "0", "critical": None, "min": 0, "max": 4}],
        "info": ["not checked: y"],
    }
    verbose = json.loads(as_json(result, verbosity=1))
    assert verbose["notes"] == ["source: x"]


def test_json_of_an_empty_result():
    doc = json.loads(as_json(Result("c")))
    assert doc == {"state": "UNKNOWN", "exit_code": 3, "scope": "c",
                   "summary": "nothing was checked", "items": [], "perfdata": []}


def test_renderers_registry():
    from nagios_nutanix.plugin.render import logicmonitor

    assert RENDERERS == {"nagios": nagios, "json": as_json, "logicmonitor": logicmonitor}


# --- property: the first line always parses -----------------------------------------------------

PERF_ITEM = r"'[^'=]+'=(U|-?[0-9.]+)(s|ms|us|%|B|c)?(;[^; ]*){0,4}"
PERF = re.compile(r"%s( %s)*" % (PERF_ITEM, PERF_ITEM))

NASTY = ["|", "\n", "\r", "\r\n", "'", "=", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028",
         "\u2029", "\x0b", "\x0c", "\x1c", " | ", "';'", "#", ";", " ", "\t", "\u00e9", "\u4e2d"]
# Any encodable text (lone surrogates are covered by their own test below).
texts = st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)),
                 max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(scope=texts, bad=texts, good=texts, instance=texts, with_perf=st.booleans(),
       state=st.sampled_from(list(State)))
def test_first_line_is_one_line_with_one_perfdata_separator(scope, bad, good, instance,
                                                            with_perf, state):
    metrics = []
    if with_perf:
        metrics = [
            Metric("nodes.count", 3, minimum=0, maximum=4, warning=Range.parse("0"),
                   instance=instance),
            Metric("latency", 0.25, "s", instance=instance),
            Metric("free", None, "B", instance=scope),
            Metric("ratio", 1e-7, "%", instance=bad, critical=Range.parse("@10:20")),
        ]
    result = Result(scope, [Item(state, bad), Item(OK, good)], metrics)
    out = nagios(result)
    first = out.split("\n")[0]
    assert len(first.splitlines()) == 1
    assert "\r" not in first
    assert first.startswith(result.state.name + " - ")
    if with_perf:
        assert first.count("|") == 1
        words, perf = first.split(" | ")
        assert PERF.fullmatch(perf), perf
        assert len(re.findall(r"'=", perf)) == len(metrics)
    else:
        assert "|" not in first
    # no control characters anywhere in the output, newlines only between lines
    for line in out.split("\n"):
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), line


def test_lone_surrogates_from_the_cluster_do_not_crash_rendering():
    name = json.loads('"node-\\ud800"')
    out = nagios(Result(name, [Item(CRITICAL, name)], [Metric("m", 1, instance=name)]))
    assert out.startswith("CRITICAL - node-")


@pytest.mark.parametrize("name", ["", "'", "\n", " ' "])
def test_a_label_is_never_empty(name):
    assert PERF.fullmatch(Metric(name, 1).render())


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_clean_output_has_no_pipe_and_no_line_break(text):
    cleaned = clean(text)
    assert "|" not in cleaned
    assert len(cleaned.splitlines()) <= 1
    assert cleaned == cleaned.strip()
    label = clean_label(text)
    assert "'" not in label and "=" not in label and "|" not in label
