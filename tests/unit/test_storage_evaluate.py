"""The `storage` check's judgement on hand-built models, and the normalization of Prism's
storage answers (v1 pools, v2.0 containers, v4 stats)."""

import argparse

import pytest

from nagios_nutanix.checks.storage import evaluate
from nagios_nutanix.plugin.errors import PluginError
from nagios_nutanix.plugin.ranges import Range
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.plugin.words import size
from nagios_nutanix.prism import cluster_stats
from nagios_nutanix.prism import storage as source
from nagios_nutanix.prism.model import Cluster
from nagios_nutanix.prism.storage import HostCapacity, Space, Storage

TIB = 2 ** 40


def options(**changes):
    values = dict(warning=Range.parse("80"), critical=Range.parse("90"), container_warning=None,
                  container_critical=None, planning=70, min_savings_ratio=None,
                  resilient_warning=Range.parse("100"), filter_container=None,
                  filter_container_regex=None)
    values.update(changes)
    return argparse.Namespace(**values)


def model(used_pct=22.0, hosts=4, host_tib=20, rf=2, containers=None, pools=True,
          host_list=None, overall=1.5, not_available=()):
    capacity = hosts * host_tib * TIB
    used = int(capacity * used_pct / 100)
    total = Space("PROD-A", used=used, capacity=capacity, against="cluster storage capacity",
                  savings={"overall": overall})
    pool = Space("pool-1", used=used, capacity=capacity, against="pool capacity", uuid="p1")
    if containers is None:
        containers = [Space("VMS", used=used // 2, capacity=capacity, against="pool pool-1",
                            savings={"overall": 1.6, "dedup": 1.0, "compression": 1.6,
                                     "erasure_coding": None}, uuid="c1")]
    if host_list is None:
        host_list = [HostCapacity("node-%02d" % i, capacity=host_tib * TIB)
                     for i in range(1, hosts + 1)]
    return Storage(cluster=Cluster(name="PROD-A", rf_current=rf, rf_desired=rf), total=total,
                   pools=[pool] if pools else [], containers=containers, hosts=host_list,
                   source="Prism Element v2.0 (pools: v1)", not_available=list(not_available))


def judge(storage, **changes):
    result = evaluate(storage, options(**changes))
    return result, nagios(result).split("\n")


def first(lines):
    return lines[0].split(" | ")[0]


def perf(lines):
    return lines[0].split(" | ")[1].split(" ")


def test_size_words():
    assert size(20 * TIB) == "20.0 TiB"
    assert size(512 * 2 ** 30) == "512.0 GiB"
    assert size(3 * 2 ** 50) == "3.0 PiB"
    assert size(100) == "100 B"


def test_healthy_summary_and_perfdata():
    result, lines = judge(model())
    assert result.state == State.OK
    assert first(lines) == (
        "OK - PROD-A: storage 22.0 % used (17.6 TiB of 80.0 TiB), 1 container, data reduction "
        "1.50:1, resilient to a node failure (29.3 % of resilient capacity used)")
    assert "'pool-1#storagepool.space.usage.percentage'=22%;80;90;0;100" in perf(lines)
    assert "'VMS#container.space.usage.percentage'=11%;80;90;0;100" in perf(lines)
    assert "'VMS#container.savings.erasure_coding.ratio'=U;;;0" in perf(lines)
    assert "'resilient.capacity.bytes'=%dB;;;0" % (60 * TIB) in perf(lines)


@pytest.mark.parametrize("pct,state,words", [
    (69.9, State.OK, None),
    (70.0, State.OK, "capacity planning"),
    (80.0, State.OK, "capacity planning"),  # ranges are inclusive: 80 is still inside 0..80
    (80.5, State.WARNING, "storage pool pool-1 80.5 % used"),
    (93.0, State.CRITICAL, "storage pool pool-1 93.0 % used"),
])
def test_pool_levels(pct, state, words):
    result, lines = judge(model(used_pct=pct), resilient_warning=Range.parse("200"))
    assert result.state == state
    if words and state == State.OK:
        assert any(words in line for line in lines[1:] if line.startswith("[OK] storage pool"))
        assert "capacity planning" in first(lines)
    elif words:
        assert first(lines).startswith("%s - PROD-A: %s" % (state.name, words))
    else:
        assert "capacity planning" not in "\n".join(lines)


def test_cluster_line_leads_without_pools():
    result, lines = judge(model(used_pct=85, pools=False,
                                not_available=["storage pools (Prism Element v1 only)"]),
                          resilient_warning=Range.parse("200"))
    assert first(lines) == "WARNING - PROD-A: cluster PROD-A 85.0 % used (68.0 TiB of 80.0 " \
                           "TiB), 12.0 TiB free"
    assert lines[-1].startswith("(not available from Prism Element v2.0 (pools: v1), not "
                                "checked: storage pools")


def test_cluster_usage_missing_with_pools_says_why_on_the_first_line():
    # Per-host usage still lets resilient capacity be computed.
    storage = model(host_list=[HostCapacity("node-%02d" % i, capacity=20 * TIB, used=4 * TIB)
                               for i in (1, 2, 3, 4)])
    storage.total = Space("PROD-A", against="cluster storage capacity",
                          missing="the v2.0 cluster answer has no usage_stats")
    result, lines = judge(storage)
    assert result.state == State.UNKNOWN
    assert first(lines) == ("UNKNOWN - PROD-A: cluster PROD-A: usage not known (the v2.0 "
                            "cluster answer has no usage_stats)")
    assert "'cluster.space.usage.percentage'=U;80;90;0;100" in perf(lines)


def test_cluster_line_with_pools_is_not_repeated_on_the_first_line():
    result, lines = judge(model(used_pct=85), resilient_warning=Range.parse("200"))
    assert first(lines) == ("WARNING - PROD-A: storage pool pool-1 85.0 % used (68.0 TiB of "
                            "80.0 TiB), 12.0 TiB free")
    assert "[WARNING] cluster PROD-A 85.0 % used (68.0 TiB of 80.0 TiB), 12.0 TiB free" in lines


def test_container_against_advertised_capacity_and_own_thresholds():
    full = Space("DB", used=10 * TIB, capacity=10 * TIB, against="advertised capacity",
                 logical=True, savings={"overall": 2.0})
    result, lines = judge(model(containers=[full]))
    assert result.state == State.CRITICAL
    assert first(lines) == ("CRITICAL - PROD-A: container DB 100.0 % of advertised capacity "
                            "used (10.0 TiB of 10.0 TiB logical), nothing free")
    result, lines = judge(model(containers=[full]), container_warning=Range.parse("99"),
                          container_critical=Range.parse("100"))
    assert result.state == State.WARNING
    assert "'DB#container.space.usage.percentage'=100%;99;100;0;100" in perf(lines)


def test_unknown_usage_is_never_ok():
    blind = Space("BLIND", used=None, capacity=10 * TIB, missing="no usage reported")
    result, lines = judge(model(containers=[blind]))
    assert result.state == State.UNKNOWN
    assert first(lines) == "UNKNOWN - PROD-A: container BLIND: usage not known (no usage " \
                           "reported)"
    assert "'BLIND#container.space.usage.percentage'=U;80;90;0;100" in perf(lines)


def test_filter_containers_judges_only_them():
    other = Space("OTHER", used=1, capacity=100, against="pool pool-1")
    result, lines = judge(model(used_pct=95, containers=[model().containers[0], other]),
                          filter_container="vms")
    assert result.state == State.OK  # the 95 % pool is left to the unfiltered service
    assert first(lines) == "OK - PROD-A: container VMS 11.0 % of pool pool-1 used"
    assert not any("storagepool" in p or "OTHER" in p for p in perf(lines))


def test_filter_without_match_is_unknown():
    with pytest.raises(PluginError) as caught:
        evaluate(model(), options(filter_container_regex="x.*"))
    assert str(caught.value) == ("no storage container of cluster PROD-A matches "
                                 "--filter-container-regex 'x.*'; it has 1: VMS")


def test_min_savings_ratio_cluster_and_filtered_container():
    result, lines = judge(model(overall=1.2), min_savings_ratio=1.5)
    assert first(lines) == ("WARNING - PROD-A: cluster PROD-A: data reduction 1.20:1, below the "
                            "minimum 1.50:1")
    assert "'cluster.savings.overall.ratio'=1.2;1.5:;;0" in perf(lines)
    result, lines = judge(model(overall=1.2), min_savings_ratio=1.5, filter_container="VMS")
    assert result.state == State.OK  # VMS reduces 1.6:1
    result, lines = judge(model(overall=None), min_savings_ratio=1.5)
    assert first(lines) == ("UNKNOWN - PROD-A: cluster PROD-A: data-reduction ratio not "
                            "reported, --min-savings-ratio not checked")


def test_resilient_capacity_largest_node_counts():
    hosts = [HostCapacity("small-%d" % i, capacity=10 * TIB) for i in range(1, 4)] + [
        HostCapacity("big", capacity=30 * TIB)]
    storage = model(used_pct=60, host_list=hosts)  # 48 TiB used; 60 - 30 = 30 TiB resilient
    result, lines = judge(storage)
    assert result.state == State.WARNING
    assert first(lines) == ("WARNING - PROD-A: too full to rebuild after a node failure: "
                            "48.0 TiB used, 30.0 TiB left without big (160.0 % of resilient "
                            "capacity)")
    assert "[WARNING] too full to rebuild after a node failure: 48.0 TiB used, 30.0 TiB left " \
           "without big (160.0 % of resilient capacity); resilient capacity = 60.0 TiB on 4 " \
           "nodes minus the largest, big (30.0 TiB)" in lines


def test_resilient_capacity_rf3_loses_two_nodes():
    result, lines = judge(model(used_pct=50, hosts=5, rf=3))  # 50 TiB used of 60 TiB left
    assert result.state == State.OK
    assert ("[OK] can rebuild after 2 node failures: 50.0 TiB used, 60.0 TiB left without "
            "node-01 and node-02 (83.3 % of resilient capacity); resilient capacity = 100.0 TiB "
            "on 5 nodes minus the 2 largest, node-01 and node-02 (40.0 TiB)") in lines


def test_resilient_capacity_exactly_full_is_ok_and_just_above_warns():
    result, _ = judge(model(used_pct=75))  # 60 TiB used, 60 TiB left: fits exactly
    assert result.state == State.OK
    result, lines = judge(model(used_pct=75.1), warning=Range.parse("90"))
    assert result.state == State.WARNING
    assert first(lines).startswith("WARNING - PROD-A: too full to rebuild after a node failure")


@pytest.mark.parametrize("changes,state,line", [
    (dict(rf=1), State.OK, "[OK] resilient capacity not applicable: RF1 keeps a single copy, a "
     "node failure leaves nothing to rebuild"),
    (dict(rf=None), State.UNKNOWN, "[UNKNOWN] resilient capacity not computed: redundancy "
     "factor not reported"),
    (dict(hosts=1), State.WARNING, "[WARNING] only 1 node with storage: RF2 cannot rebuild "
     "after a node failure"),
    (dict(host_list=[HostCapacity("node-01", capacity=TIB), HostCapacity("node-02")]),
     State.UNKNOWN, "[UNKNOWN] resilient capacity not computed: storage capacity not reported "
     "for node-02"),
])
def test_resilient_capacity_edge_cases(changes, state, line):
    result, lines = judge(model(**changes))
    assert result.state == state
    assert line in lines


def test_no_hosts_on_prism_central_means_no_resilience_line():
    storage = model(pools=False, not_available=["resilient capacity (...)"])
    storage.hosts = None
    result, lines = judge(storage)
    assert result.state == State.OK
    assert not any("resilient" in line for line in lines[:-1])


# -- normalization ------------------------------------------------------------------------------
def test_pool_v1_reads_usage_stats():
    pool = source.pool_v1({"name": "sp", "storagePoolUuid": "u", "capacity": 9,
                           "usageStats": {"storage.capacity_bytes": "100",
                                          "storage.usage_bytes": "-1"}})
    assert (pool.name, pool.capacity, pool.used, pool.uuid) == ("sp", 100, None, "u")
    assert source.pool_v1({"name": "sp"}).missing == "the pool has no usageStats"


def test_container_v2_against_advertised_capacity_is_logical():
    pools = [Space("sp", used=50, capacity=1000, uuid="u")]
    entity = {"name": "c", "advertised_capacity": 400, "replication_factor": 2,
              "usage_stats": {"storage.usage_bytes": "300", "storage.user_usage_bytes": "150",
                              "data_reduction.overall.saving_ratio_ppm": "1423704",
                              "data_reduction.erasure_coding.saving_ratio_ppm": "-1"}}
    space = source.container_v2(entity, pools, 2)
    assert (space.used, space.capacity, space.logical, space.against) == (
        150, 400, True, "advertised capacity")
    assert space.savings["overall"] == pytest.approx(1.423704)
    assert space.savings["erasure_coding"] is None
    del entity["usage_stats"]["storage.user_usage_bytes"]
    assert source.container_v2(entity, pools, 2).used == 150  # physical / RF


def test_container_v2_against_its_pool():
    pools = [Space("sp1", capacity=1000, uuid="u1"), Space("sp2", capacity=2000, uuid="u2")]
    entity = {"name": "c", "storage_pool_uuid": "u2", "max_capacity": 5,
              "usage_stats": {"storage.usage_bytes": "300"}}
    space = source.container_v2(entity, pools, 2)
    assert (space.used, space.capacity, space.against) == (300, 2000, "pool sp2")
    entity["storage_pool_uuid"] = "gone"
    space = source.container_v2(entity, pools, 2)
    assert (space.capacity, space.against) == (5, "its maximum capacity")


def test_v1_savings_used_when_v2_has_none():
    entity = {"name": "c", "usage_stats": {"storage.usage_bytes": "1"}}
    space = source.container_v2(entity, [], 2, {"data_reduction.dedup.saving_ratio_ppm":
                                                "2000000"})
    assert space.savings["dedup"] == 2.0


def test_v4_newest_value_and_container():
    series = [{"timestamp": "2026-05-01T10:05:00Z", "value": 7},
              {"timestamp": "2026-05-01T10:00:00Z", "value": 5}]
    assert cluster_stats.newest(series) == 7
    assert cluster_stats.newest([]) is None and cluster_stats.newest(None) is None
    stats = {"storageUsageBytes": series, "storageCapacityBytes": [{"value": 70}],
             "dataReductionSavingRatioPpm": [{"value": 1500000}]}
    space = source.container_v4({"name": "c", "extId": "x"}, stats, 2)
    assert (space.used, space.capacity, space.savings["overall"]) == (7, 70, 1.5)
    space = source.container_v4({"name": "c", "logicalAdvertisedCapacityBytes": 10,
                                 "replicationFactor": 2}, stats, 2)
    assert (space.used, space.capacity, space.logical) == (3, 10, True)
    space = source.container_v4({"name": "c"}, None, 2, "Prism Central answered HTTP 404")
    assert space.used is None and space.missing == "Prism Central answered HTTP 404"


def test_stats_window_is_rounded_so_checks_share_answers():
    assert cluster_stats.window(1_700_000_123) == cluster_stats.window(1_700_000_299 - 100)
    window = cluster_stats.window(1_700_000_123)
    assert window["$endTime"] == "2023-11-14T22:15:00Z"
    assert window["$startTime"] == "2023-11-14T22:00:00Z"
