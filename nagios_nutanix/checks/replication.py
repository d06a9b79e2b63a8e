"""`replication`: is every protected workload's newest copy at its DR site within its RPO?

Prism Element protection domains are judged here; Prism Central's Leap protection policies in
replication_leap.py. The pieces both use (options, RPO thresholds, replication alerts) are
here.
"""

import re

from ..nodes import select
from ..plugin.duration import human
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import listing, plural, size
from .spec import Alert, CheckSpec, MetricSpec, Option

# NUTANIX-MIB trap names (= alert titles) of remote-site connectivity trouble: on Prism Element
# they are shown on the line of the remote site they name.
LINK_FAMILIES = (
    "RemoteSiteIsUnreachable", "RemoteSiteIsUnhealthy", "SecureTunnelToRemoteSiteDown",
    "RemoteSiteConnectivityNotNormal", "RemoteSiteLatencyIsHigh", "MetroConnectivityLost",
    "WitnessIsNotReachable", "RemoteSiteOperationModeReadOnly",
)
# Replication, snapshot and RPO trouble, protection domains and Leap alike.
REPLICATION_FAMILIES = LINK_FAMILIES + (
    "ProtectionDomainReplicationFailure", "ProtectionDomainSnapshotFailure",
    "ProtectionDomainReceiveSnapshotFailure", "FailedToReceiveSnapshotForTheProtectionDomain",
    "ProtectionDomainReplicationExpired", "RecoveryPointObjectiveCannotBeMet",
    "ReplicationTimeExceededTheRPO", "ReplicationTimeExceededTheRPOLimit",
    "RemoteReplicationIsLaggingForProtectionDomainSnapshot",
    "SnapshotReplicationToRemoteSiteIsLagging", "SkippedReplicationOfTheSnapshot",
    "SkippedReplicationOfSnapshotForProtectionDomain", "RemoteSiteIsIncompatibleForReplication",
    "NearSyncReplicationOfProtectionDomainHasNotProgressed", "MetroAvailabilityIsDisabled",
    "SecondaryProtectionDomainsNotInSyncWithPrimary", "DataProtectionTasksAreNotProgressing",
    "VMRecoveryPointReplicationFailed", "VMRecoveryPointCreationFailed",
    "RecoveryPointReplicationFailed", "RecoveryPointReplicationSkipped", "VMReplicationFailure",
    "VMReplicationExpired", "VMReplicationHasNotProgressed",
    "EntitySyncFailureForTheProtectionPolicy",
)

ALERT_STATES = {"CRITICAL": State.CRITICAL, "WARNING": State.WARNING}
METRO_STATES = {"ENABLED": State.OK, "SYNCHRONIZING": State.WARNING, "DISABLED": State.CRITICAL}
SHOWN = 3  # names quoted per aggregated line


# -- collect -------------------------------------------------------------------------------------
def collect(context):
    from ..prism import alerts, inventory

    client, kind, doc = inventory.connect(context)
    if kind == "pc":
        from ..prism import central, leap

        found = central.inventory(client, doc, context.options.cluster)
        model = leap.collect(client, found.cluster)
    else:
        from ..prism import element, protection

        info = element.cluster(doc)
        inventory.require_cluster(client, info, context.options.cluster)
        model = protection.collect(client, info)
    model.alerts, model.alerts_error = alerts.read_unresolved(client, kind, model.cluster.uuid)
    return model


# -- shared pieces (protection domains and Leap) -------------------------------------------------
def settings(options):
    """(RPO override in seconds or None, warning ratio), validated."""
    rpo = options.rpo
    ratio = options.rpo_warning_ratio
    if rpo is not None and rpo <= 0:
        raise UsageError("bad --rpo %r: give the RPO in seconds, greater than 0" % rpo)
    if not 0 < ratio <= 1:
        raise UsageError("bad --rpo-warning-ratio %r: give a fraction of the RPO, greater "
                         "than 0 and at most 1 (e.g. 0.8)" % ratio)
    return rpo, ratio


def thresholds(rpo, ratio):
    return Thresholds(Range(0, rpo * ratio), Range(0, rpo))


def names(found):
    return listing(found, SHOWN)


def _word_pattern(name):
    return re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(str(name)), re.IGNORECASE)


def mentions(alert, candidates):
    """The names (PDs, sites, policies) an alert is about: in its context values, its
    entities, or as a whole word in its title or message."""
    found = set()
    values = {str(v).casefold() for v in alert.context.values() if v is not None}
    values |= {str(e.get("name")).casefold() for e in alert.entities if e.get("name")}
    text = "%s %s" % (alert.title or "", alert.message or "")
    for name in candidates:
        if str(name).casefold() in values or _word_pattern(name).search(text):
            found.add(name)
    return found


def _alert_state(alert):
    if alert.acknowledged:
        return State.OK
    return ALERT_STATES.get(alert.severity, State.OK)


def _alert_age(alert, now):
    return ", raised %s ago" % human(now - alert.created) if alert.created else ""


def _alert_words(alert):
    """(title, message) without Prism's trailing full stops; message "" when it repeats the
    title."""
    title = clean(alert.title or "untitled alert").rstrip(".")
    message = clean(alert.message or "").rstrip(".")
    return title, "" if message == title else message


def alert_item(alert, about, now):
    title, message = _alert_words(alert)
    where = " (%s)" % ", ".join(clean(n) for n in sorted(about)) if about else ""
    extra = ", acknowledged in Prism" if alert.acknowledged else ""
    text = "alert: %s%s; %s%s%s%s" % (title, where, alert.severity or "?",
                                       _alert_age(alert, now), extra,
                                       ": " + message if message else "")
    return Item(_alert_state(alert), text, brief="alert: %s%s" % (title, where))


def alert_items(model, owners, others, kept, consumed, now):
    """Items of the replication-family alerts not shown elsewhere.

    `owners`: every PD (policy) name, `others`: other names worth finding (sites, VMs), `kept`:
    those the filter keeps. An alert naming a PD is kept when it names a kept one; one naming
    no PD, when it names a kept site or nothing known at all (cluster-wide)."""
    if model.alerts is None:
        reason = model.alerts_error or "alerts could not be read"
        return [Item(State.UNKNOWN, "replication alerts not checked: %s" % clean(reason),
                     brief="replication alerts could not be read")]
    items = []
    for alert in model.alerts:
        if id(alert) in consumed or not alert.in_family(REPLICATION_FAMILIES):
            continue
        about = mentions(alert, set(owners) | set(others))
        deciding = (about & set(owners)) or about
        if deciding and not deciding & kept:
            continue
        items.append(alert_item(alert, about, now))
    return items


def filtered(options):
    return bool(getattr(options, "filter_pd", None) or getattr(options, "filter_pd_regex", None))


def select_named(candidates, options, cluster, what):
    return select(candidates, options, lambda c: [c.name], "cluster %s" % clean(cluster),
                  what=what, exact="filter_pd", regex="filter_pd_regex")


# -- Prism Element: protection domains -----------------------------------------------------------
def _in_flight_text(pd, site):
    parts = []
    for rep in pd.in_flight(site):
        bits = [p for p in (
            "%d%% done" % rep.percent if rep.percent is not None else None,
            "~%s left" % human(rep.seconds_left) if rep.seconds_left else None) if p]
        parts.append(", ".join(["snapshot %s in flight" % (
            clean(rep.snapshot_id) if rep.snapshot_id else "?")] + bits))
    return "; ".join(parts)


def _pd_details(pd, site):
    bits = []
    if pd.pending:
        bits.append("%d pending" % pd.pending)
    flight = _in_flight_text(pd, site)
    if flight:
        bits.append(flight)
    if pd.tx_bytes:
        bits.append("%s/s out" % size(pd.tx_bytes))
    return " (%s)" % ", ".join(bits) if bits else ""


def _site_verdict(pd, site, model, rpo_override, ratio):
    """(Item, lag metric or None, (age, rpo) or None) for one PD toward one site."""
    name, where = clean(pd.name), clean(site)
    newest = pd.newest_at.get(site)
    rpo = rpo_override or pd.rpo(site)
    details = _pd_details(pd, site)
    instance = "%s~%s" % (pd.name, site)
    if newest is None:
        if pd.in_flight(site):
            text = "%s has no snapshot at %s yet: first replication in progress" % (name, where)
            return Item(State.WARNING, text + details, brief=text), None, None
        text = "%s has no snapshot at %s" % (name, where)
        item = Item(State.CRITICAL, text + (details or " (and none is being sent)"), brief=text)
        return item, Metric("replication.lag.seconds", None, "s", minimum=0,
                            instance=instance), None
    age = max(0, model.now - newest)
    if rpo is None:
        metric = Metric("replication.lag.seconds", int(age), "s", minimum=0, instance=instance)
        if pd.suspended():
            return Item(State.OK, "%s last replicated to %s %s ago (no running schedule)%s"
                        % (name, where, human(age), details), brief=""), metric, None
        text = ("%s: no schedule replicates to %s, so there is no RPO to judge its last "
                "replication (%s ago) against; give --rpo SECONDS" % (name, where, human(age)))
        return Item(State.UNKNOWN, text + details, brief="%s to %s: RPO unknown" % (
            name, where)), metric, None
    levels = thresholds(rpo, ratio)
    state = levels.evaluate(age)
    metric = Metric("replication.lag.seconds", int(age), "s", warning=levels.warning,
                    critical=levels.critical, minimum=0, instance=instance)
    said = "%s last replicated to %s %s ago, RPO %s" % (name, where, human(age), human(rpo))
    if state == State.CRITICAL:
        brief = "RPO breached: " + said
    elif state == State.WARNING:
        brief = "near RPO: " + said
    else:
        brief = said
    return Item(state, brief + details, brief=brief), metric, (age, rpo)


def _metro_item(pd):
    metro = pd.metro
    name = clean(pd.name)
    status = clean(metro.status) if metro.status else None
    state = METRO_STATES.get(str(metro.status or "").strip().upper())
    context = ", ".join(p for p in (
        "role %s" % clean(metro.role) if metro.role else "role not reported",
        "remote site %s" % clean(metro.remote_site) if metro.remote_site else None,
        "container %s" % clean(metro.container) if metro.container else None) if p)
    if status is None:
        return Item(State.UNKNOWN, "%s: metro availability status not reported (%s)"
                    % (name, context))
    if state is None:
        return Item(State.UNKNOWN, "%s: metro availability status %s not understood (%s)"
                    % (name, status, context))
    brief = "%s metro availability %s (%s)" % (name, status, context)
    return Item(state, brief, brief=brief if state != State.OK else None)


def _link_items(model, sites_used, kept_pds, consumed):
    """One item per remote site: configured? connectivity alerts about it?"""
    items = []
    link_alerts = [a for a in model.alerts or () if a.in_family(LINK_FAMILIES)]
    for site in sorted(sites_used):
        users = sorted(clean(pd.name) for pd in kept_pds
                       if site in pd.remote_sites or (pd.metro and pd.metro.remote_site == site))
        known = model.remote_sites.get(site)
        if known is None:
            items.append(Item(State.WARNING, "remote site %s (used by %s) is not among the "
                              "cluster's remote sites" % (clean(site), names(users))))
        troubles = [a for a in link_alerts if mentions(a, [site])]
        for alert in troubles:
            consumed.add(id(alert))
            title, message = _alert_words(alert)
            brief = "remote site %s: %s" % (clean(site), title)
            text = "%s (alert, %s%s%s)%s" % (
                brief, alert.severity or "?", _alert_age(alert, model.now),
                ", acknowledged in Prism" if alert.acknowledged else "",
                ": " + message if message else "")
            items.append(Item(_alert_state(alert), text, brief=brief))
        if known is not None and model.alerts is not None and not troubles:
            address = " (%s)" % ", ".join(clean(a) for a in known.addresses) \
                if known.addresses else ""
            items.append(Item(State.OK, "remote site %s%s: no connectivity alert" % (
                clean(site), address)))
    return items


class _Domains:
    """What the protection domains add up to, PD by PD."""

    def __init__(self):
        self.items, self.metrics = [], []
        self.judged = []  # (pd, worst lag (site, age, rpo) or None)
        self.counts = {"metro": 0, "standby": 0, "local": 0}


def _judge_domain(pd, model, rpo_override, ratio, out):
    name = clean(pd.name)
    if pd.metro is not None:
        item = _metro_item(pd)
        out.items.append(item)
        out.counts["metro"] += item.state == State.OK
        return
    if pd.active is None:
        out.items.append(Item(State.UNKNOWN, "%s: active flag not reported, so whether it "
                              "replicates from here is not known" % name,
                              brief="%s: active flag not reported" % name))
        return
    if not pd.active:
        out.counts["standby"] += 1
        out.items.append(Item(State.OK, "%s: standby (inactive here): replication is judged "
                              "where it is active" % name))
        return
    if not pd.remote_sites:
        out.counts["local"] += 1
        newest = (" (newest snapshot %s ago)" % human(model.now - pd.newest_local)
                  if pd.newest_local else "")
        out.items.append(Item(State.OK, "%s: no remote site, local snapshots only%s"
                              % (name, newest)))
        return
    if pd.suspended():
        out.items.append(Item(State.WARNING, "%s: every snapshot schedule is suspended" % name))
    worst_lag = None
    for site in pd.remote_sites:
        item, metric, lag = _site_verdict(pd, site, model, rpo_override, ratio)
        out.items.append(item)
        if metric is not None:
            out.metrics.append(metric)
        if lag and (worst_lag is None or lag[0] / lag[1] > worst_lag[1] / worst_lag[2]):
            worst_lag = (site,) + lag
    out.judged.append((pd, worst_lag))
    out.metrics += [
        Metric("replications.pending.count", pd.pending, minimum=0, instance=pd.name),
        Metric("replications.ongoing.count", pd.ongoing, minimum=0, instance=pd.name),
        Metric("replication.sent.bytespersecond", pd.tx_bytes, minimum=0, instance=pd.name),
        Metric("replication.received.bytespersecond", pd.rx_bytes, minimum=0,
               instance=pd.name),
    ]


def _element_ok_summary(model, out):
    if not model.domains:
        return "no protection domains configured"
    ok = []
    if out.judged:
        lags = [(pd, lag) for pd, lag in out.judged if lag]
        words = "%s within RPO" % plural(len(out.judged), "protection domain")
        if lags:
            pd, (site, age, rpo) = max(lags, key=lambda x: x[1][1] / x[1][2])
            words += ": worst %s to %s %s, RPO %s" % (clean(pd.name), clean(site), human(age),
                                                       human(rpo))
        ok.append(words)
    if out.counts["metro"]:
        ok.append("%d metro availability Enabled" % out.counts["metro"])
    if out.counts["standby"]:
        ok.append("%d standby" % out.counts["standby"])
    if out.counts["local"]:
        ok.append("%d local only" % out.counts["local"])
    return "; ".join(ok) or None


def evaluate_element(model, options):
    rpo_override, ratio = settings(options)
    domains = select_named(model.domains, options, model.cluster.name, "protection domain")
    out = _Domains()
    if not model.domains:
        out.items.append(Item(State.OK, "no protection domains configured"))
    for pd in sorted(domains, key=lambda d: d.name):
        _judge_domain(pd, model, rpo_override, ratio, out)
    sites_used = {s for pd in domains for s in pd.remote_sites if pd.is_async}
    sites_used |= {pd.metro.remote_site for pd in domains if pd.metro and pd.metro.remote_site}
    if not filtered(options):
        sites_used |= set(model.remote_sites)
    consumed = set()
    items = _link_items(model, sites_used, domains, consumed) + out.items
    sites = set(model.remote_sites) | {s for pd in model.domains for s in pd.remote_sites}
    kept = {pd.name for pd in domains} | sites_used
    items += alert_items(model, {pd.name for pd in model.domains}, sites, kept, consumed,
                         model.now)
    info = []
    if rpo_override:
        info.append("RPO set by --rpo to %s for every protection domain" % human(rpo_override))
    return Result(model.cluster.name, items, out.metrics,
                  ok_summary=_element_ok_summary(model, out),
                  notes=["source: %s" % model.source] + model.notes, info=info)


def evaluate(model, options):
    if model.kind == "pc":
        from .replication_leap import evaluate_leap

        return evaluate_leap(model, options)
    return evaluate_element(model, options)


SPEC = CheckSpec(
    name="replication",
    title="Data protection: protection domain replication, Metro Availability, Leap policies, "
          "RPO",
    description=(
        "Prism Element: for every active async protection domain and each of its remote\n"
        "sites, the age of the newest snapshot present there against the RPO (the shortest\n"
        "running schedule replicating there, or --rpo), pending and ongoing replications and\n"
        "bandwidth; Metro Availability status with the role; each remote site's connectivity\n"
        "as Prism's alerts report it. Prism Central (--cluster NAME): Leap protection\n"
        "policies, the replication state (IN_SYNC / SYNCING / OUT_OF_SYNC) of protected VMs\n"
        "and the age of their newest recovery point. Unresolved replication alerts raise the\n"
        "state and are quoted."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=(
        Option(("--rpo",), "RPO in seconds for every protection domain / policy (default: "
               "each one's own schedule)", type="int", metavar="SECONDS"),
        Option(("--rpo-warning-ratio",), "WARNING once the lag passes this fraction of the "
               "RPO (default 0.8)", default=0.8, type="float", metavar="RATIO"),
        Option(("--filter-pd",), "the protection domain to check (on Prism Central: the "
               "protection policy), exact, case-insensitive (default: all)", metavar="NAME",
               macro="FILTERPD"),
        Option(("--filter-pd-regex",), "the protection domains (policies) whose name matches "
               "this regular expression as a whole, case-insensitive", metavar="PATTERN",
               macro="FILTERPD_REGEX"),
    ),
    metrics=(
        MetricSpec("replication.lag.seconds", "s", "age of the newest snapshot present at the "
                   "remote site; warning at ratio x RPO, critical at the RPO",
                   per_instance="PD~SITE", minimum=0),
        MetricSpec("replications.pending.count", "", "replications waiting to start",
                   per_instance="PD", minimum=0),
        MetricSpec("replications.ongoing.count", "", "replications in progress",
                   per_instance="PD", minimum=0),
        MetricSpec("replication.sent.bytespersecond", "", "replication transmit bandwidth "
                   "(Prism's kBps read as KiB/s, INFERRED)", per_instance="PD", minimum=0),
        MetricSpec("replication.received.bytespersecond", "", "replication receive bandwidth "
                   "(as above)", per_instance="PD", minimum=0),
        MetricSpec("resources.count", "", "Prism Central: protected VMs of the cluster under "
                   "the policy", per_instance="POLICY", minimum=0),
        MetricSpec("resources.out_of_sync.count", "", "Prism Central: of those, OUT_OF_SYNC; "
                   "critical above 0", per_instance="POLICY", minimum=0),
        MetricSpec("resources.syncing.count", "", "Prism Central: of those, SYNCING; warning "
                   "above 0", per_instance="POLICY", minimum=0),
        MetricSpec("recovery_point.age.seconds", "s", "Prism Central: the oldest of the VMs' "
                   "newest recovery points; warning at ratio x RPO, critical at the RPO",
                   per_instance="POLICY", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "RPO breached: a PD's newest snapshot at a remote site (a VM's newest "
              "recovery point) is older than the RPO",
              "Check the replication: Prism > Data Protection > the PD > Replications and "
              "Remote Site; look for a stuck or failed replication, the link to the remote "
              "site, and bandwidth throttling. A replication taking longer than the interval "
              "needs more bandwidth or a longer RPO."),
        Alert("WARNING", "the lag passed --rpo-warning-ratio of the RPO",
              "Replication is falling behind; check the ongoing replication's progress and the "
              "link before the RPO is breached."),
        Alert("CRITICAL", "a PD has no snapshot at one of its remote sites",
              "The first replication never completed or the remote copies expired; check the "
              "PD's remote snapshots and the replication tasks."),
        Alert("CRITICAL", "Metro Availability Disabled",
              "Synchronous replication is broken: the container is not protected. Check the "
              "remote site and the witness, then re-enable Metro Availability."),
        Alert("WARNING", "Metro Availability Synchronizing",
              "Resynchronization after an interruption; it should end by itself. Check the "
              "link if it lasts."),
        Alert("CRITICAL", "a protected VM is OUT_OF_SYNC with its target (Prism Central)",
              "Prism Central > Data Protection > Protection Policies: check the target "
              "cluster's availability and the VM's recovery points."),
        Alert("WARNING", "a protected VM is SYNCING (Prism Central)",
              "Initial or catch-up replication in progress; check it completes."),
        Alert("WARNING", "a VM of a policy with a remote target has recovery points only on "
              "its own cluster: no copy at the target (Prism Central)",
              "Replication to the target has not happened or the copies expired: check the "
              "policy's replication, the target cluster and the VM's recovery points."),
        Alert("CRITICAL", "a VM whose categories put it under a policy has no recovery point "
              "(Prism Central)",
              "The policy's schedule has not taken a recovery point of it: check the policy "
              "and the VM's recovery points in Prism Central."),
        Alert("CRITICAL", "an unacknowledged CRITICAL replication alert is open (remote site "
              "unreachable, replication failure, RPO cannot be met, ...)",
              "Follow the alert's resolution in Prism; the line quotes it. WARNING alerts give "
              "WARNING. Alerts acknowledged in Prism are listed without raising the state."),
        Alert("WARNING", "every snapshot schedule of a PD is suspended, or a Leap policy's "
              "replication is paused",
              "Resume the schedule or replication unless the pause is planned."),
        Alert("WARNING", "a PD replicates to a site that is not a configured remote site",
              "Fix the PD's remote site or re-create the remote site."),
        Alert("UNKNOWN", "no RPO is known for a PD (no running schedule replicates to the "
              "site), a PD's active flag is not reported, the alerts could not be read, or "
              "(Prism Central) the cluster's VM list could not be read so recovery point ages "
              "are not judged",
              "Give --rpo SECONDS, or fix the user's permissions (alerts, VMs)."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric=None,
    notes=(
        "Lag: the age of the newest snapshot present at the remote site, from the remote "
        "sites' snapshot list (remote_sites/dr_snapshots) alone when the cluster serves it. "
        "Only when it does not (noted with -v) does the local snapshot list stand in: a local "
        "snapshot naming the site and not being sent there now counts as there (INFERRED "
        "meaning of remote_site_names).",
        "RPO: the interval of the shortest running schedule that replicates to the site "
        "(cron_schedules shape INFERRED), or --rpo.",
        "Remote-site link status comes from Prism's connectivity alerts (RemoteSiteIsUnreachable,"
        " SecureTunnelToRemoteSiteDown, ...): Prism Element exposes no connectivity field.",
        "A cluster without protection domains is OK ('no protection domains configured') "
        "because the list was read; --filter-pd NAME makes a missing PD UNKNOWN.",
        "Prism Central: field names from the v4 SDK models (MODEL), paths and values INFERRED; "
        "replication states exist only for minutely or synchronous schedules, other VMs are "
        "judged on recovery point age; at most 200 protected-resources reads per run.",
        "Prism Central: a VM is protected when its categories match a policy's (vmm v4 VM "
        "list) or a replication state names the policy, recovery point or not. For a policy "
        "with a remote target the age judged is that of the newest copy at the target "
        "(recovery point locationExtId read as a cluster: INFERRED); a VM with recovery points "
        "only on its own cluster has 'no copy at <target>' (WARNING; CRITICAL once the local "
        "one is past the RPO). Without the VM list, ages are not judged (UNKNOWN).",
    ),
)
