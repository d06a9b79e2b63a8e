"""The `replication` check's judgement on hand-built models, and its normalization helpers."""

import argparse

import pytest

from nagios_nutanix.checks.replication import evaluate, mentions
from nagios_nutanix.plugin.duration import human
from nagios_nutanix.plugin.errors import PluginError, UsageError
from nagios_nutanix.plugin.render import nagios
from nagios_nutanix.plugin.state import State
from nagios_nutanix.prism import leap, protection
from nagios_nutanix.prism.alerts import PrismAlert
from nagios_nutanix.prism.leap import LeapProtection, Policy, ReplicationState, Resource
from nagios_nutanix.prism.model import Cluster
from nagios_nutanix.prism.protection import (
    ElementProtection,
    Metro,
    ProtectionDomain,
    RemoteSite,
    Replication,
    Schedule,
)

NOW = 1_800_000_000.0
HOUR = 3600
CLUSTER = Cluster(name="PROD-A", uuid="c-prod")


def options(**changes):
    values = dict(rpo=None, rpo_warning_ratio=0.8, filter_pd=None, filter_pd_regex=None)
    values.update(changes)
    return argparse.Namespace(**values)


def hourly(every=1, remote=None, suspended=False):
    return Schedule("HOURLY", every, every * HOUR, suspended, remote)


def pd(name="PD-SQL", lag=20 * 60, sites=("DR-SITE",), schedules=None, **fields):
    values = dict(name=name, active=True, remote_sites=list(sites), pending=0, ongoing=0,
                  tx_bytes=0, rx_bytes=0, newest_local=NOW - 60,
                  schedules=[hourly()] if schedules is None else schedules,
                  newest_at={s: NOW - lag for s in sites} if lag is not None else {})
    values.update(fields)
    return ProtectionDomain(**values)


def alert(title, severity="CRITICAL", acknowledged=False, **context):
    return PrismAlert(title=title, message="%s." % title, severity=severity,
                      acknowledged=acknowledged, created=NOW - 600, context=context)


def element(domains, alerts=(), sites=("DR-SITE",), alerts_error=None):
    return ElementProtection(
        CLUSTER, domains, {s: RemoteSite(s, ["10.20.1.10"]) for s in sites}, NOW,
        alerts=None if alerts_error else list(alerts), alerts_error=alerts_error)


def run(model, **changes):
    result = evaluate(model, options(**changes))
    first = nagios(result).splitlines()[0]
    summary, _, perf = first.partition(" | ")
    return result, summary, perf.split(" ") if perf else []


# -- Prism Element ---------------------------------------------------------------------------
def test_within_rpo_is_ok_and_names_the_worst_lag():
    model = element([pd("PD-GOLD", lag=20 * 60), pd("PD-SILVER", lag=95 * 60,
                                                     schedules=[hourly(4)])])
    result, summary, perf = run(model)
    assert result.state == State.OK
    # worst = closest to its RPO: 1h35m of 4h (40 %) before 20m of 1h (33 %)
    assert summary == ("OK - PROD-A: 2 protection domains within RPO: worst PD-SILVER to "
                       "DR-SITE 1h35m, RPO 4h")
    assert "'PD-GOLD~DR-SITE#replication.lag.seconds'=1200s;2880;3600;0" in perf
    assert "'PD-SILVER~DR-SITE#replication.lag.seconds'=5700s;11520;14400;0" in perf
    assert "'PD-GOLD#replications.pending.count'=0;;;0" in perf


def test_rpo_breach_reads_as_the_issue_says():
    result, summary, _ = run(element([pd(lag=2 * HOUR + 14 * 60 + 30)]))
    assert result.state == State.CRITICAL
    assert summary == ("CRITICAL - PROD-A: RPO breached: PD-SQL last replicated to DR-SITE "
                       "2h14m ago, RPO 1h")


def test_past_the_warning_ratio_is_warning_and_the_ratio_is_an_option():
    model = element([pd(lag=50 * 60)])
    result, summary, perf = run(model)
    assert summary == "WARNING - PROD-A: near RPO: PD-SQL last replicated to DR-SITE 50m " \
        "ago, RPO 1h"
    result, summary, perf = run(model, rpo_warning_ratio=0.9)
    assert result.state == State.OK
    assert "'PD-SQL~DR-SITE#replication.lag.seconds'=3000s;3240;3600;0" in perf


def test_exactly_the_rpo_is_not_a_breach():
    assert run(element([pd(lag=HOUR)]))[0].state == State.WARNING
    assert run(element([pd(lag=HOUR + 1)]))[0].state == State.CRITICAL


def test_rpo_option_replaces_the_schedule():
    result, summary, perf = run(element([pd(lag=50 * 60)]), rpo=7200)
    assert result.state == State.OK
    assert "'PD-SQL~DR-SITE#replication.lag.seconds'=3000s;5760;7200;0" in perf
    assert "RPO set by --rpo to 2h for every protection domain" in nagios(result)


@pytest.mark.parametrize("changes,message", [
    ({"rpo": 0}, "bad --rpo 0"),
    ({"rpo": -5}, "bad --rpo -5"),
    ({"rpo_warning_ratio": 0}, "bad --rpo-warning-ratio 0"),
    ({"rpo_warning_ratio": 1.5}, "bad --rpo-warning-ratio 1.5"),
    ({"filter_pd": "A", "filter_pd_regex": "B"}, "give --filter-pd or --filter-pd-regex"),
    ({"filter_pd_regex": "(["}, "bad --filter-pd-regex"),
])
def test_bad_options_are_usage_errors(changes, message):
    with pytest.raises(UsageError) as caught:
        evaluate(element([pd()]), options(**changes))
    assert message in str(caught.value)


def test_rpo_toward_a_site_is_the_shortest_running_schedule_replicating_there():
    domain = pd(sites=("DR-SITE", "BACKUP"), schedules=[
        hourly(1, remote={"DR-SITE"}), hourly(6), hourly(2, suspended=True)])
    assert domain.rpo("DR-SITE") == HOUR
    assert domain.rpo("BACKUP") == 6 * HOUR


def test_no_snapshot_at_the_site():
    result, summary, perf = run(element([pd(lag=None)]))
    assert summary == "CRITICAL - PROD-A: PD-SQL has no snapshot at DR-SITE"
    assert "'PD-SQL~DR-SITE#replication.lag.seconds'=U;;;0" in perf
    flying = pd(lag=None, replications=[Replication(pd="PD-SQL", site="DR-SITE", percent=40,
                                                    snapshot_id="7")])
    result, summary, _ = run(element([flying]))
    assert summary == "WARNING - PROD-A: PD-SQL has no snapshot at DR-SITE yet: first " \
        "replication in progress"
    assert "snapshot 7 in flight, 40% done" in nagios(result)


def test_no_schedule_means_no_rpo_unless_given():
    result, summary, _ = run(element([pd(schedules=[])]))
    assert result.state == State.UNKNOWN
    assert summary == "UNKNOWN - PROD-A: PD-SQL to DR-SITE: RPO unknown"
    assert "give --rpo SECONDS" in nagios(result)
    assert run(element([pd(schedules=[])]), rpo=HOUR)[0].state == State.OK


def test_all_schedules_suspended_is_a_warning():
    result, summary, _ = run(element([pd(schedules=[hourly(suspended=True)])]))
    assert summary == "WARNING - PROD-A: PD-SQL: every snapshot schedule is suspended"


@pytest.mark.parametrize("status,state,first", [
    ("Enabled", State.OK, "OK - PROD-A: 1 metro availability Enabled"),
    ("Synchronizing", State.WARNING, "WARNING - PROD-A: PD-M metro availability Synchronizing "
     "(role Active, remote site METRO, container CTR)"),
    ("Disabled", State.CRITICAL, "CRITICAL - PROD-A: PD-M metro availability Disabled (role "
     "Active, remote site METRO, container CTR)"),
    (None, State.UNKNOWN, "UNKNOWN - PROD-A: PD-M: metro availability status not reported "
     "(role Active, remote site METRO, container CTR)"),
])
def test_metro_availability(status, state, first):
    domain = pd("PD-M", sites=(), metro=Metro(status, "Active", "METRO", "CTR", "Witness"))
    result, summary, _ = run(element([domain], sites=("METRO",)))
    assert (result.state, summary) == (state, first)


def test_standby_and_local_only_domains_are_stated_not_judged():
    model = element([pd("PD-B", active=False, lag=None), pd("PD-L", sites=())])
    result, summary, _ = run(model)
    assert result.state == State.OK
    assert summary == "OK - PROD-A: 1 standby; 1 local only"
    assert "PD-B: standby (inactive here)" in nagios(result)


def test_a_missing_active_flag_is_unknown_not_standby():
    result, summary, _ = run(element([pd("PD-X", active=None)]))
    assert summary == "UNKNOWN - PROD-A: PD-X: active flag not reported"
    assert "[UNKNOWN] PD-X: active flag not reported, so whether it replicates from here is " \
        "not known" in nagios(result)


def test_no_protection_domains_is_ok_because_the_list_was_read():
    result, summary, perf = run(element([], sites=()))
    assert (result.state, summary, perf) == (State.OK, "OK - PROD-A: no protection domains "
                                             "configured", [])


def test_filter_pd_exact_regex_and_no_match():
    model = element([pd("PD-SQL", lag=3 * HOUR), pd("PD-WEB")])
    result, summary, perf = run(model, filter_pd="pd-web")
    assert summary == "OK - PROD-A: 1 protection domain within RPO: worst PD-WEB to DR-SITE " \
        "20m, RPO 1h"
    assert not any("PD-SQL" in p for p in perf)
    assert run(model, filter_pd_regex="PD-.*")[0].state == State.CRITICAL
    with pytest.raises(PluginError) as caught:
        evaluate(model, options(filter_pd="PD-SQ"))
    assert str(caught.value) == ("no protection domain of cluster PROD-A matches "
                                 "--filter-pd 'PD-SQ'; it has 2: PD-SQL, PD-WEB")
    with pytest.raises(PluginError):
        evaluate(model, options(filter_pd_regex="PD"))


def test_a_site_missing_from_the_remote_sites_is_a_warning():
    result, summary, _ = run(element([pd(sites=("GONE",))], sites=("DR-SITE",)))
    assert summary == "WARNING - PROD-A: remote site GONE (used by PD-SQL) is not among the " \
        "cluster's remote sites"


# -- alerts ----------------------------------------------------------------------------------
def test_link_alert_is_shown_on_its_remote_site():
    down = alert("Remote Site Is Unreachable.", remote_name="DR-SITE")
    result, summary, _ = run(element([pd()], alerts=[down]))
    assert summary == "CRITICAL - PROD-A: remote site DR-SITE: Remote Site Is Unreachable"
    assert sum("Unreachable" in line for line in nagios(result).splitlines()) == 2  # + summary


def test_replication_alerts_are_quoted_worst_first_and_others_ignored():
    alerts = [alert("Recovery Point Objective Cannot Be Met.", "WARNING",
                    protection_domain_name="PD-SQL"),
              alert("Stargate Temporarily Down."),
              alert("Protection Domain Replication Failure.", "CRITICAL")]
    result, summary, _ = run(element([pd()], alerts=alerts))
    assert summary == ("CRITICAL - PROD-A: alert: Protection Domain Replication Failure; "
                       "alert: Recovery Point Objective Cannot Be Met (PD-SQL)")
    assert "Stargate" not in nagios(result)


def test_acknowledged_alerts_are_listed_without_raising():
    ack = alert("Protection Domain Replication Failure.", acknowledged=True)
    result, summary, _ = run(element([pd()], alerts=[ack]))
    assert result.state == State.OK
    assert "acknowledged in Prism" in nagios(result)


def test_alerts_of_other_domains_stay_out_under_a_filter():
    # It names the shared site too: the PD it names decides.
    alerts = [alert("Protection Domain Replication Failure.", protection_domain_name="PD-WEB",
                    remote_name="DR-SITE")]
    model = element([pd("PD-SQL"), pd("PD-WEB")], alerts=alerts)
    assert run(model, filter_pd="PD-SQL")[0].state == State.OK
    assert run(model, filter_pd="PD-WEB")[0].state == State.CRITICAL


def test_unreadable_alerts_make_unknown_never_ok():
    result, summary, _ = run(element([pd()], alerts_error="alerts could not be read: HTTP 403"))
    assert result.state == State.UNKNOWN
    assert summary == "UNKNOWN - PROD-A: replication alerts could not be read"
    assert "replication alerts not checked: alerts could not be read: HTTP 403" in nagios(
        result)


def test_mentions_finds_names_in_context_entities_and_whole_words():
    found = PrismAlert(title="Replication of PD-SQL lagging", message="to DR-SITE-2",
                       context={"remote_name": "dr-site"}, entities=[])
    assert mentions(found, ["PD-SQL", "DR-SITE", "PD-SQ", "DR-SITE-2"]) == {
        "PD-SQL", "DR-SITE", "DR-SITE-2"}


# -- normalization (Prism Element) -----------------------------------------------------------
def test_snapshot_in_flight_does_not_count_at_the_site():
    domain = pd(lag=None, newest_local=None)
    snaps = [{"protection_domain_name": "PD-SQL", "snapshot_id": "2",
              "snapshot_create_time_usecs": int((NOW - 600) * 1e6),
              "remote_site_names": ["DR-SITE"]},
             {"protection_domain_name": "PD-SQL", "snapshot_id": "1",
              "snapshot_create_time_usecs": int((NOW - 4000) * 1e6),
              "remote_site_names": ["DR-SITE"]}]
    sending = [protection.replication({"protection_domain_name": "PD-SQL",
                                       "remote_site_name": "DR-SITE", "snapshot_id": 2,
                                       "replication_operation": "SENDING"})]
    protection.place_snapshots([domain], snaps, None, sending)
    assert domain.newest_at == {"DR-SITE": NOW - 4000}
    assert domain.newest_local == NOW - 600
    remote = [{"protection_domain_name": "PD-SQL", "snapshot_create_time_usecs":
               int((NOW - 900) * 1e6), "remote_site_names": ["DR-SITE"]}]
    protection.place_snapshots([domain], [], remote, [])
    assert domain.newest_at == {"DR-SITE": NOW - 900}


def test_served_remote_snapshot_list_alone_says_what_is_at_the_site():
    domain = pd(lag=None, newest_local=None)
    local = [{"protection_domain_name": "PD-SQL", "snapshot_id": "9",
              "snapshot_create_time_usecs": int((NOW - 300) * 1e6),
              "remote_site_names": ["DR-SITE"]}]
    remote = [{"protection_domain_name": "PD-SQL", "snapshot_create_time_usecs":
               int((NOW - 8000) * 1e6), "remote_site_names": ["DR-SITE"]}]
    protection.place_snapshots([domain], local, remote, [])
    assert (domain.newest_at, domain.newest_local) == ({"DR-SITE": NOW - 8000}, NOW - 300)
    # Served but empty: nothing is at the site, whatever the local list names.
    empty = pd(lag=None, newest_local=None)
    protection.place_snapshots([empty], local, [], [])
    assert empty.newest_at == {}


def test_protection_domain_document():
    doc = {"name": "PD-X", "active": True, "remote_site_names": ["A"],
           "replication_links": [{"remote_site_name": "B"}], "pending_replication_count": 2,
           "ongoing_replication_count": 1,
           "stats": {"replication_transmitted_bandwidth_kBps": "10",
                     "replication_received_bandwidth_kBps": "-1"},
           "cron_schedules": [{"type": "DAILY", "every_nth": 1,
                               "retention_policy": {"remote_max_snapshots": {"A": 3, "B": 0}}}],
           "metro_avail": None}
    domain = protection.protection_domain(doc)
    assert (domain.remote_sites, domain.pending, domain.ongoing, domain.tx_bytes,
            domain.rx_bytes) == (["A", "B"], 2, 1, 10240, None)
    assert (domain.rpo("A"), domain.rpo("B"), domain.is_async) == (86400, None, True)


@pytest.mark.parametrize("seconds,text", [
    (0, "0s"), (45, "45s"), (60, "1m"), (899, "14m"), (3600, "1h"), (8070, "2h14m"),
    (86400, "1d"), (273600, "3d4h"), (-3, "0s"), (None, "unknown")])
def test_human_durations(seconds, text):
    assert human(seconds) == text


# -- Prism Central (Leap) --------------------------------------------------------------------
PRIMARY_TO_DR = [({"c-prod"}, {"c-dr"})]
NEAR = Policy("p-near", "PP-NEARSYNC", rpo=900, links=PRIMARY_TO_DR)
HOURLY = Policy("p-hour", "PP-HOURLY", rpo=HOUR, categories={"cat-gold"}, links=PRIMARY_TO_DR)


def vm(name, age, status="IN_SYNC", policy=NEAR, rpo=None, where="c-dr", local=None,
       **fields):
    """A protected VM whose newest recovery point is `age` seconds old, at `where` (None: on
    its own cluster); `local`: the age of its newest local one besides."""
    states = None if status is None else [ReplicationState(policy.ext_id, rpo or policy.rpo,
                                                           status, "c-dr")]
    copies = {where: NOW - age} if where and age is not None else {}
    if where is None and age is not None:
        local = age
    values = dict(name=name, local=None if local is None else NOW - local, copies=copies,
                  states=states)
    values.update(fields)
    return Resource("id-" + name, **values)


def central(resources, policies=(NEAR,), alerts=(), **fields):
    return LeapProtection(CLUSTER, policies, resources, NOW, {"c-dr": "DR-B"},
                          alerts=list(alerts), **fields)


def test_leap_in_sync_within_rpo():
    result, summary, perf = run(central([vm("vm-1", 240), vm("vm-2", 300)]))
    assert summary == ("OK - PROD-A: 1 protection policy, 2 protected VMs in sync within RPO: "
                       "worst PP-NEARSYNC 5m, RPO 15m")
    assert "'PP-NEARSYNC#recovery_point.age.seconds'=300s;720;900;0" in perf
    assert "'PP-NEARSYNC#resources.out_of_sync.count'=0;;0;0" in perf


def test_leap_in_sync_is_said_only_of_vms_reported_in_sync():
    model = central([vm("vm-1", 240), vm("vm-7", 1200, status=None, policy=HOURLY,
                                         policies={"p-hour"})], policies=(NEAR, HOURLY))
    result, summary, _ = run(model)
    assert summary == ("OK - PROD-A: 2 protection policies, 2 protected VMs within RPO (1 in "
                       "sync, 1 without a replication state): worst PP-HOURLY 20m, RPO 1h")
    assert "[OK] PP-HOURLY: VM vm-7: newest recovery point at DR-B 20m ago, RPO 1h (no " \
        "replication state: not a minutely or synchronous schedule)" in nagios(result)


def test_leap_out_of_sync_and_rpo_breach():
    result, summary, perf = run(central([vm("vm-1", 240), vm("vm-3", 2850, "OUT_OF_SYNC")]))
    assert summary == ("CRITICAL - PROD-A: policy PP-NEARSYNC: 1 of 2 VMs OUT_OF_SYNC: vm-3; "
                       "RPO breached: policy PP-NEARSYNC: 1 of 2 VMs past the RPO (oldest 47m, "
                       "RPO 15m): vm-3")
    assert "'PP-NEARSYNC#resources.out_of_sync.count'=1;;0;0" in perf
    assert "PP-NEARSYNC: VM vm-3: OUT_OF_SYNC to DR-B; past the RPO (newest recovery point " \
        "at DR-B 47m ago, RPO 15m)" in nagios(result)


def test_leap_only_local_recovery_points_is_no_copy_at_the_target():
    # Fresh local recovery points say nothing of the copy at DR-B: at least WARNING.
    result, summary, perf = run(central([vm("vm-1", 240), vm("vm-2", 120, where=None)]))
    assert summary == "WARNING - PROD-A: policy PP-NEARSYNC: 1 of 2 VMs with no copy at DR-B: " \
        "vm-2"
    assert "[WARNING] PP-NEARSYNC: VM vm-2: no copy at DR-B (newest local recovery point 2m " \
        "ago, none at DR-B, RPO 15m)" in nagios(result)
    assert "'PP-NEARSYNC#recovery_point.age.seconds'=240s;720;900;0" in perf
    # Past the RPO even locally: any copy at DR-B is older still.
    result, summary, perf = run(central([vm("vm-2", 1800, where=None)]))
    assert summary == ("CRITICAL - PROD-A: RPO breached: policy PP-NEARSYNC: 1 of 1 VMs past "
                       "the RPO (oldest 30m, RPO 15m): vm-2; policy PP-NEARSYNC: 1 of 1 VMs "
                       "with no copy at DR-B: vm-2")
    # A policy without a remote target judges the local recovery points.
    local = Policy("p-local", "PP-LOCAL", rpo=HOUR, links=[({"c-prod"}, None)])
    result, summary, _ = run(central([vm("vm-5", 600, status=None, policy=local, where=None,
                                         policies={"p-local"})], policies=(local,)))
    assert summary == ("OK - PROD-A: 1 protection policy, 1 protected VM within RPO (0 in "
                       "sync, 1 without a replication state): worst PP-LOCAL 10m, RPO 1h")


def test_leap_vm_of_a_policy_without_any_recovery_point_is_critical():
    bare = vm("vm-8", None, status=None, policy=HOURLY, policies={"p-hour"})
    result, summary, perf = run(central([bare], policies=(HOURLY,)))
    assert summary == ("CRITICAL - PROD-A: policy PP-HOURLY: 1 of 1 VMs without a recovery "
                       "point: vm-8")
    assert "[CRITICAL] PP-HOURLY: VM vm-8: no recovery point (none on PROD-A or at DR-B, RPO " \
        "1h)" in nagios(result)
    assert "'PP-HOURLY#recovery_point.age.seconds'=U;2880;3600;0" in perf


def test_leap_unreadable_vm_list_leaves_ages_unjudged():
    model = central([vm("vm-2", 120, where=None)],
                    vms_error="the cluster's VM list (vmm v4) not read (HTTP 403)")
    result, summary, perf = run(model)
    assert summary == ("UNKNOWN - PROD-A: recovery point ages not judged: the cluster's VM list "
                       "(vmm v4) not read (HTTP 403)")
    assert "'PP-NEARSYNC#recovery_point.age.seconds'=U;720;900;0" in perf
    # The replication states still count.
    model.resources = [vm("vm-3", 2850, "OUT_OF_SYNC")]
    assert run(model)[1].startswith("CRITICAL - PROD-A: policy PP-NEARSYNC: 1 of 1 VMs "
                                    "OUT_OF_SYNC: vm-3; recovery point ages not judged")


def test_leap_syncing_is_a_warning_and_synchronous_ignores_age():
    sync = Policy("p-sync", "PP-SYNC", rpo=0, links=PRIMARY_TO_DR)
    result, summary, _ = run(central([vm("vm-1", 240, "SYNCING"),
                                      vm("vm-9", 9 * HOUR, policy=sync)],
                                     policies=(NEAR, sync)))
    assert summary == "WARNING - PROD-A: policy PP-NEARSYNC: 1 of 1 VMs SYNCING: vm-1"
    assert "RPO 0 (synchronous)" in nagios(result)


def test_leap_vm_without_state_is_judged_by_its_policy_category():
    old = vm("vm-7", 2 * HOUR, status=None, policy=HOURLY, policies={"p-hour"})
    result, summary, _ = run(central([old], policies=(HOURLY,)))
    assert summary == ("CRITICAL - PROD-A: RPO breached: policy PP-HOURLY: 1 of 1 VMs past "
                       "the RPO (oldest 2h, RPO 1h): vm-7")


def test_leap_paused_policy_and_filter():
    paused = Policy("p-p", "PP-PAUSED", rpo=HOUR, paused=True, links=PRIMARY_TO_DR)
    model = central([vm("vm-1", 240), vm("vm-2", 60, policy=paused)], policies=(NEAR, paused))
    assert run(model)[1] == "WARNING - PROD-A: policy PP-PAUSED: replication paused"
    assert run(model, filter_pd="pp-nearsync")[0].state == State.OK
    with pytest.raises(PluginError) as caught:
        evaluate(model, options(filter_pd="nope"))
    assert "no protection policy of cluster PROD-A matches --filter-pd 'nope'" in str(
        caught.value)


def test_leap_nothing_protected():
    assert run(central([], policies=()))[1] == "OK - PROD-A: no protection policies on Prism " \
        "Central"
    assert run(central([]))[1] == "OK - PROD-A: no protection policy protects a VM of PROD-A"


def test_leap_unreadable_states_and_alerts():
    model = central([vm("vm-1", 240)], state_error="replication states could not be read: "
                    "HTTP 500", alerts_error="alerts could not be read: HTTP 403")
    model.alerts = None
    result, summary, _ = run(model)
    assert result.state == State.UNKNOWN
    assert "replication states could not be read: HTTP 500" in nagios(result)


def _point(vm_id, location, age):
    stamp = leap.time.strftime("%Y-%m-%dT%H:%M:%SZ", leap.time.gmtime(NOW - age))
    return {"status": "COMPLETE", "creationTime": stamp,
            "locationReferences": [{"locationExtId": location}],
            "vmRecoveryPoints": [{"vmExtId": vm_id}]}


def test_recovery_points_keep_local_and_copies_apart():
    points = [_point("a", "c-prod", 60), _point("a", "c-dr", 3000), _point("b", "c-prod", 120),
              _point("z", "c-other", 5), _point("c", "c-dr", 400)]
    found = leap.recovery_points(points, "c-prod", {"a", "b", "c"})
    assert found == {"a": (NOW - 60, {"c-dr": NOW - 3000}), "b": (NOW - 120, {}),
                     "c": (None, {"c-dr": NOW - 400})}
    # The VM list unknown: the VMs with a recovery point here, with their copies elsewhere.
    assert leap.recovery_points(points, "c-prod", None) == {
        "a": (NOW - 60, {"c-dr": NOW - 3000}), "b": (NOW - 120, {})}


def test_policy_targets_from_its_locations():
    doc = {"extId": "p1", "name": "PP", "categoryIds": ["cat-1"],
           "replicationLocations": [
               {"label": "PRIMARY", "replicationSubLocation": {"clusterExtIds": ["c-prod"]}},
               {"label": "DR", "replicationSubLocation": {"clusterExtIds": ["c-dr"]}}],
           "replicationConfigurations": [
               {"sourceLocationLabel": "PRIMARY", "remoteLocationLabel": "DR",
                "schedule": {"recoveryPointObjectiveTimeSeconds": 900}},
               {"sourceLocationLabel": "DR", "remoteLocationLabel": "PRIMARY",
                "schedule": {"recoveryPointObjectiveTimeSeconds": 3600}}]}
    found = leap.policy(doc)
    assert (found.remote, found.rpo, found.categories) == (True, 900, {"cat-1"})
    assert found.targets("c-prod") == {"c-dr"} and found.targets("c-dr") == {"c-prod"}
    local = leap.policy({"extId": "p2", "replicationConfigurations": [
        {"sourceLocationLabel": "PRIMARY", "schedule": {}}]})
    assert local.remote is False


class FakeCentral:
    """Answers leap.collect()'s requests from canned lists; `refuse` paths answer 403."""

    def __init__(self, lists, refuse=()):
        self.lists, self.refuse = lists, refuse

    def get(self, path, params=None):
        from nagios_nutanix.prism.errors import PrismHTTPError

        if any(part in path for part in self.refuse):
            raise PrismHTTPError("HTTP 403", 403, path)
        for part, items in self.lists.items():
            if part in path:
                return {"data": items, "metadata": {"totalAvailableResults": len(items)}}
        raise PrismHTTPError("HTTP 404", 404, path)


def test_collect_protects_vms_by_category_even_without_recovery_points():
    policy_doc = {"extId": "p1", "name": "PP", "categoryIds": [{"extId": "cat-1"}],
                  "replicationConfigurations": [{"schedule": {
                      "recoveryPointObjectiveTimeSeconds": 3600}}]}
    client = FakeCentral({
        "protection-policies": [policy_doc],
        "clustermgmt": [{"extId": "c-prod", "name": "PROD-A"}],
        "vmm/": [{"extId": "v1", "name": "app-1", "categories": [{"extId": "cat-1"}]},
                 {"extId": "v2", "name": "app-2", "categories": []}],
        "recovery-points": []})
    model = leap.collect(client, CLUSTER)
    assert [(r.name, r.newest, r.policies) for r in model.resources] == [("app-1", None,
                                                                          {"p1"})]
    assert model.vms_error is None
    refused = leap.collect(FakeCentral(dict(client.lists), refuse=("vmm/",)), CLUSTER)
    assert refused.vms_error == "the cluster's VM list (vmm v4) not read (HTTP 403)"
