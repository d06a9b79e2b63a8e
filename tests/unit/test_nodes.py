"""FILTERNAME matching and the node-scoped result shape (nagios_nutanix/nodes.py)."""

import argparse

import pytest

from nagios_nutanix.nodes import NodeVerdict, node_result, select, select_nodes
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.perfdata import Metric
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.result import Item
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism.model import Cluster, Inventory, Node


def options(name=None, regex=None):
    return argparse.Namespace(filter_name=name, filter_name_regex=regex)


def node(i, block="NTNX-A"):
    return Node(name="node-%02d" % i, uuid="uuid-%d" % i, host_ip="10.0.0.%d" % i,
                cvm_ip="10.0.1.%d" % i, cvm_name="%s%d-CVM" % (block, i),
                serial="SER%04d" % i, block_serial="BLK01")


INVENTORY = Inventory(cluster=Cluster(name="PROD-A"), nodes=[node(i) for i in range(1, 5)],
                      source="test")


def picked(opts, inventory=INVENTORY):
    return [n.name for n in select_nodes(inventory, opts)]


@pytest.mark.parametrize("name", ["node-03", "NODE-03", " node-03 ", "10.0.0.3", "10.0.1.3",
                                  "ntnx-a3-cvm", "SER0003", "uuid-3"])
def test_every_kind_of_name_selects_one_node(name):
    assert picked(options(name)) == ["node-03"]


def test_no_filter_keeps_every_node():
    assert picked(options()) == ["node-01", "node-02", "node-03", "node-04"]


def test_exact_match_is_anchored():
    inventory = Inventory(cluster=Cluster(name="C"), nodes=[
        Node(name="NTNX-A"), Node(name="NTNX-A1")], source="test")
    assert picked(options("ntnx-a"), inventory) == ["NTNX-A"]


def test_an_exact_name_shared_by_several_nodes_is_refused():
    with pytest.raises(PluginError) as caught:
        picked(options("blk01"))
    assert str(caught.value) == (
        "--filter-name 'blk01' matches 4 nodes of cluster PROD-A (node-01, node-02, node-03, "
        "node-04): a shared name such as a block serial; give the node's own name, or "
        "--filter-name-regex for several")
    assert len(picked(options(regex="blk01"))) == 4


def test_regex_matches_the_whole_name_case_insensitively():
    assert picked(options(regex="NODE-0[12]")) == ["node-01", "node-02"]
    # A partial match is no match: "node-0" alone matches nothing as a whole.
    with pytest.raises(PluginError):
        picked(options(regex="node-0"))


def test_zero_match_lists_the_nodes_the_cluster_has():
    with pytest.raises(PluginError) as caught:
        picked(options("node-09"))
    assert str(caught.value) == ("no node of cluster PROD-A matches --filter-name 'node-09'; "
                                 "it has 4: node-01, node-02, node-03, node-04")


def test_zero_match_listing_is_cut_for_large_clusters():
    inventory = Inventory(cluster=Cluster(name="LARGE"), nodes=[node(i) for i in range(1, 31)],
                          source="test")
    with pytest.raises(PluginError) as caught:
        picked(options(regex="nope"), inventory)
    assert str(caught.value).endswith("it has 30: node-01, node-02, node-03, node-04, node-05, "
                                      "node-06, node-07, node-08, node-09, node-10, node-11, "
                                      "node-12 and 18 more")


def test_bad_regex_and_both_filters_are_usage_errors():
    with pytest.raises(UsageError, match="bad --filter-name-regex"):
        picked(options(regex="node-(["))
    with pytest.raises(UsageError, match="not both"):
        picked(options("node-01", "node-0.*"))


def test_cluster_text_in_messages_is_sanitized():
    with pytest.raises(PluginError) as caught:
        select([{"n": "a|b\nc"}], options("zz|z"), lambda c: [c["n"]], "agent X")
    assert "|" not in str(caught.value) and "\n" not in str(caught.value)


# --- node_result ---------------------------------------------------------------------------------


def verdict(name, *states, metric=None):
    items = [Item(state, "%s item %d" % (state.name.lower(), i),
                  brief="%s %d" % (state.name.lower(), i)) for i, state in enumerate(states)]
    metrics = [Metric("x.count", metric, instance=name)] if metric is not None else []
    return NodeVerdict(name, items, metrics, ok_brief="%s fine" % name)


def test_one_filtered_node_is_the_scope():
    result = node_result("PROD-A", [verdict("node-03", State.OK, State.CRITICAL, metric=2)],
                         filtered=True, ok_summary="all fine")
    out = nagios(result)
    assert out.splitlines()[0] == "CRITICAL - PROD-A/node-03: critical 1 | 'node-03#x.count'=2"
    assert result.state == State.CRITICAL


def test_one_filtered_node_all_ok_uses_its_own_words():
    result = node_result("PROD-A", [verdict("node-03", State.OK)], filtered=True,
                         ok_summary="all fine")
    assert nagios(result).splitlines()[0] == "OK - PROD-A/node-03: node-03 fine"


def test_many_nodes_name_the_worst_first():
    verdicts = [verdict("node-01", State.OK), verdict("node-02", State.WARNING),
                verdict("node-03", State.CRITICAL, State.WARNING), verdict("node-04", State.OK)]
    result = node_result("PROD-A", verdicts, filtered=False, ok_summary="all fine")
    lines = nagios(result).splitlines()
    assert lines[0] == ("CRITICAL - PROD-A: 2 of 4 nodes in trouble: node-03 (critical 0, "
                        "warning 1), node-02 (warning 0)")
    # Every node's items are in the long output, prefixed with the node, worst first.
    assert "[CRITICAL] node-03: critical item 0" in lines[1]
    assert any("[OK] node-01: ok item 0" in line for line in lines)


def test_many_nodes_all_ok_use_the_check_summary():
    result = node_result("PROD-A", [verdict("node-01", State.OK), verdict("node-02", State.OK)],
                         filtered=False, ok_summary="2 nodes fine")
    assert nagios(result).splitlines()[0] == "OK - PROD-A: 2 nodes fine"


def test_shown_nodes_are_capped_with_a_count():
    verdicts = [verdict("node-%02d" % i, State.WARNING) for i in range(1, 8)]
    result = node_result("BIG", verdicts, filtered=False, ok_summary="")
    assert nagios(result).splitlines()[0].endswith("node-04 (warning 0) and 3 more")


def test_cluster_level_worries_come_before_the_nodes():
    extra = [Item(State.UNKNOWN, "alerts could not be read: HTTP 403", brief="alerts unreadable")]
    result = node_result("PROD-A", [verdict("node-01", State.WARNING)], filtered=False,
                         ok_summary="fine", extra=extra)
    assert nagios(result).splitlines()[0] == (
        "WARNING - PROD-A: alerts unreadable; 1 of 1 nodes in trouble: node-01 (warning 0)")


def test_cluster_level_worry_alone_is_the_summary():
    extra = [Item(State.UNKNOWN, "alerts could not be read", brief="alerts unreadable")]
    result = node_result("PROD-A", [verdict("node-01", State.OK)], filtered=False,
                         ok_summary="fine", extra=extra)
    assert nagios(result).splitlines()[0] == "UNKNOWN - PROD-A: alerts unreadable"


def test_a_node_without_items_is_unknown_never_ok():
    result = node_result("PROD-A", [NodeVerdict("node-01", [])], filtered=False, ok_summary="x")
    assert result.state == State.UNKNOWN
    assert "node-01 (nothing was checked)" in nagios(result).splitlines()[0]
