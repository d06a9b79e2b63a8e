"""`version`: AOS, AHV, NCC and Prism Central versions, their drift and a version policy."""

from ..checks.spec import Alert, CheckSpec, MetricSpec, Option
from ..config.version_policy import COMPONENT_WORDS, version_key, version_text
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State

HYPERVISOR_WORDS = {"AHV": "AHV", "ESXI": "ESXi", "HYPERV": "Hyper-V", None: "hypervisor"}
DEFAULT_EOL_WARNING_DAYS = 90


def collect(context):
    import datetime

    from ..prism import inventory, versions

    policy = None
    if context.options.policy:  # read first: a bad policy fails before any Prism request
        from ..config import version_policy

        policy = version_policy.load(context.options.policy)
    client, kind, doc = inventory.connect(context)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return versions.collect(client, kind, doc, context.options.cluster, today, policy)


def _hosts(names, total):
    if len(names) == total and total > 1:
        return "all %d hosts" % total
    if len(names) > 4:
        return "%d hosts" % len(names)
    return ", ".join(names)


def _lts(flag):
    return {True: "LTS", False: "STS"}.get(flag, "LTS/STS not reported")


def hypervisor_groups(hosts):
    """{(kind, version text): [host names]} of the hosts whose version is known, and the
    names of those whose version is not."""
    groups, unknown = {}, []
    for host in hosts:
        text = version_text(host.full_name)
        if text is None:
            unknown.append(clean(host.name))
            continue
        groups.setdefault((host.hypervisor, text), []).append(clean(host.name))
    return groups, unknown


def drift_item(groups, total, upgrading):
    """One line about the hypervisor versions across hosts: WARNING when they differ (OK,
    stated, while an upgrade runs)."""
    if len(groups) <= 1:
        (kind, text), names = next(iter(groups.items()))
        return Item(State.OK, "%s %s on %s" % (HYPERVISOR_WORDS.get(kind, kind), clean(text),
                                               _hosts(names, total) if len(names) > 1
                                               else names[0]))
    ordered = sorted(groups.items(), key=lambda g: (len(g[1]), version_key(g[0][1])))
    mixed = len({kind for kind, _ in groups}) > 1
    parts = ["%s%s on %s" % (HYPERVISOR_WORDS.get(kind, kind) + " " if mixed else "",
                             clean(text), _hosts(names, total))
             for (kind, text), names in ordered]
    words = "hypervisor versions differ" if mixed else \
        "%s versions differ" % HYPERVISOR_WORDS.get(next(iter(groups))[0], "hypervisor")
    text = "%s: %s" % (words, ", ".join(parts))
    if upgrading:
        return Item(State.OK, text + " (expected while the upgrade runs)")
    return Item(State.WARNING, text)


def _tag(policy):
    return "EXAMPLE policy" if policy.example else "policy"


def policy_items(policy, component, version, where, today, eol_days):
    """Items and the days to end of life for one component's version against the policy."""
    label = "%s %s%s" % (COMPONENT_WORDS[component], clean(version),
                         " on %s" % where if where else "")
    train = policy.train_of(component, version)
    if train is None:
        return [Item(State.WARNING, "%s: release train not in the %s (%s)" % (
            label, _tag(policy), clean(policy.path)),
            brief="%s: release train not in the %s" % (label, _tag(policy)))], None
    items, days = [], None
    key = version_key(version)
    if train.minimum_key is not None and key < train.minimum_key:
        items.append(Item(State.WARNING, "%s below the minimum %s (%s)" % (
            label, clean(train.minimum), _tag(policy))))
    if train.end_of_life is not None:
        days = (train.end_of_life - today).days
        eol = train.end_of_life.isoformat()
        if days < 0:
            items.append(Item(State.CRITICAL, "%s: release train %s past end of life since %s "
                              "(%s)" % (label, clean(train.name), eol, _tag(policy))))
        elif days <= eol_days:
            items.append(Item(State.WARNING, "%s: release train %s reaches end of life on %s, "
                              "in %d day%s (%s)" % (label, clean(train.name), eol, days,
                                                    "" if days == 1 else "s", _tag(policy))))
        else:
            items.append(Item(State.OK, "%s: release train %s supported until %s (%s)" % (
                label, clean(train.name), eol, _tag(policy)), brief=""))
    if not items:
        items.append(Item(State.OK, "%s: release train %s, at or above its minimum (%s)" % (
            label, clean(train.name), _tag(policy)) if train.minimum else
            "%s: release train %s (%s)" % (label, clean(train.name), _tag(policy)), brief=""))
    return items, days


def compatibility_items(policy, aos, groups, total):
    """WARNING for each AHV version the policy does not allow with the cluster's AOS."""
    ahv = {text: names for (kind, text), names in groups.items() if kind == "AHV"}
    if policy.compatible is None or aos is None or not ahv:
        return []
    allowed = policy.allowed_ahv(aos)
    if allowed is None:
        return [Item(State.WARNING, "AOS %s: no allowed AHV release trains listed in the %s "
                     "(compatible)" % (clean(aos), _tag(policy)))]
    train, trains = allowed
    items = []
    for text, names in sorted(ahv.items()):
        key = version_key(text)
        if not any(key[:len(k)] == k for k, _ in trains):
            items.append(Item(State.WARNING, "AHV %s on %s not allowed with AOS %s (%s allows "
                              "%s)" % (clean(text), _hosts(names, total), clean(train),
                                       _tag(policy), ", ".join(n for _, n in trains))))
    if not items:
        items.append(Item(State.OK, "AHV release train allowed with AOS %s (%s)"
                          % (clean(train), _tag(policy)), brief=""))
    return items


def evaluate(model, options):
    cluster = model.cluster
    eol_days = options.eol_warning_days
    if eol_days is None:
        eol_days = DEFAULT_EOL_WARNING_DAYS
    if eol_days < 0:
        raise UsageError("--eol-warning-days must be 0 or more, not %d" % eol_days)
    policy = model.policy
    items, metrics, ok_words, info = [], [], [], []
    upgrading = bool(cluster.upgrade_in_progress)

    # AOS, LTS/STS, upgrade
    aos = cluster.version
    if aos:
        items.append(Item(State.OK, "AOS %s (%s)" % (clean(aos), _lts(cluster.is_lts))))
        ok_words.append("AOS %s %s" % (clean(aos), _lts(cluster.is_lts)))
    else:
        items.append(Item(State.UNKNOWN, "AOS version not reported by Prism"))
    if upgrading:
        target = cluster.target_version
        words = "upgrade in progress%s" % (
            " to %s" % clean(target) if target and target != aos else "")
        items.append(Item(State.OK, words))
        ok_words.append(words)

    # Hypervisors across hosts
    total = len(model.hosts)
    groups, unknown = hypervisor_groups(model.hosts)
    if unknown:
        items.append(Item(State.UNKNOWN, "hypervisor version not reported for %s"
                          % ", ".join(unknown[:8])))
    if groups:
        drift = drift_item(groups, total, upgrading)
        items.append(drift)
        if len(groups) == 1:
            ok_words.append(drift.text)
        else:
            ok_words.append("%d hypervisor versions" % len(groups))
    metrics.append(Metric("hypervisor.versions.count", len(groups), warning=Range.parse("1"),
                          minimum=0))

    # NCC, Prism Central
    ncc = version_text(model.ncc) if model.ncc else None
    if ncc:
        items.append(Item(State.OK, "NCC %s" % clean(ncc)))
        ok_words.append("NCC %s" % clean(ncc))
    else:
        items.append(Item(State.UNKNOWN, "NCC version not reported by Prism"))
    if model.prism_central:
        items.append(Item(State.OK, "Prism Central %s" % clean(model.prism_central)))
        ok_words.append("Prism Central %s" % clean(model.prism_central))

    # The policy
    if policy is None:
        info.append("no --policy given: minimum versions, end of life and allowed AOS/AHV "
                    "pairs not checked")
    else:
        eol = {}
        checks = []
        if aos:
            checks.append(("aos", aos, None))
        for (kind, text), names in sorted(groups.items()):
            if kind == "AHV":
                checks.append(("ahv", text, _hosts(names, total)))
        if ncc:
            checks.append(("ncc", ncc, None))
        if model.prism_central:
            checks.append(("prism_central", model.prism_central, None))
        for component, version, where in checks:
            if component not in policy.trains:
                continue
            found, days = policy_items(policy, component, version, where, model.today,
                                       eol_days)
            items += found
            if days is not None:
                eol[component] = min(days, eol.get(component, days))
        items += compatibility_items(policy, aos, groups, total)
        for component in ("aos", "ahv", "ncc", "prism_central"):
            if component in eol:
                metrics.append(Metric("%s.eol.days" % component, eol[component],
                                      warning=Range.parse("%d:" % eol_days),
                                      critical=Range.parse("0:")))
        unchecked = [COMPONENT_WORDS[c] for c in ("aos", "ahv", "ncc", "prism_central")
                     if c not in policy.trains
                     and (c != "prism_central" or model.prism_central)]
        if unchecked:
            info.append("the policy has no %s section: not checked against it"
                        % ", ".join(unchecked))
        if policy.example:
            info.append("%s is marked as an EXAMPLE (example: true): its dates and minimums "
                        "are made up, not Nutanix facts; write your own policy"
                        % clean(policy.path))
        if not any(i.state != State.OK for i in items):
            ok_words.append("within the %s" % _tag(policy))
    if model.not_available:
        info.append("not available from %s, not checked: %s" % (
            model.source, "; ".join(model.not_available)))
    return Result(cluster.name, items, metrics, ok_summary=", ".join(ok_words), info=info,
                  notes=["source: %s" % model.source])


SPEC = CheckSpec(
    name="version",
    title="Software versions: AOS, AHV, NCC, Prism Central; drift and version policy",
    description=(
        "Reports the AOS version (LTS or STS), the hypervisor version of every host, the NCC\n"
        "version and, on Prism Central, its own version; warns when hosts run different\n"
        "hypervisor versions, states a running upgrade, and with --policy FILE judges every\n"
        "version against a policy of release trains (minimum versions, end-of-life dates,\n"
        "allowed AOS/AHV pairs). Works against a Prism Element VIP, or Prism Central with\n"
        "--cluster NAME."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=(
        Option(("--policy",), "version policy (YAML): minimum versions and end-of-life dates "
               "per release train, allowed AOS/AHV pairs; an EXAMPLE with made-up dates ships "
               "as nagios_nutanix/config/version-policy.example.yaml (default: no policy)",
               metavar="FILE", macro="VERSION_POLICY"),
        Option(("--eol-warning-days",), "WARNING this many days before a release train's end "
               "of life (default %(default)s)", default=DEFAULT_EOL_WARNING_DAYS, type="int",
               metavar="DAYS"),
    ),
    metrics=(
        MetricSpec("hypervisor.versions.count", "", "distinct hypervisor versions across the "
                   "hosts; warning above 1", minimum=0),
        MetricSpec("aos.eol.days", "", "days until the AOS release train's end of life (with "
                   "--policy, when it gives one; negative once past); also ahv., ncc., "
                   "prism_central."),
    ),
    alerts=(
        Alert("CRITICAL", "a version's release train is past its end of life (--policy)",
              "Plan the upgrade now: the release no longer gets fixes or support. Check the "
              "upgrade path in LCM and the compatibility matrix."),
        Alert("WARNING", "a release train reaches its end of life within --eol-warning-days "
              "(default 90)", "Schedule the upgrade to a supported release train."),
        Alert("WARNING", "a version is below the policy's minimum for its release train",
              "Upgrade through LCM to at least the minimum the policy names."),
        Alert("WARNING", "an AHV version is not allowed with the cluster's AOS by the policy",
              "Upgrade AHV (LCM) to a release the policy pairs with this AOS."),
        Alert("WARNING", "a version's release train is not listed in the policy",
              "Update the policy, or upgrade to a listed release train."),
        Alert("WARNING", "hosts run different hypervisor versions (no upgrade in progress)",
              "A host was left behind by an upgrade or was replaced: finish the upgrade in "
              "LCM so every host runs the same version."),
        Alert("UNKNOWN", "a version was not reported, or the policy file cannot be read",
              "The line names the field, or the policy key and line to fix."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        "The hypervisor version per host is read from v2.0 hosts hypervisor_full_name "
        "(e.g. 'Nutanix 20230302.101026') or v4 hypervisor.fullName ('AHV 10.3'); NCC from "
        "the v2.0 cluster ncc_version or v4 clusterSoftwareMap; LTS/STS from is_lts/isLts.",
        "The APIs read give one AOS version per cluster, so AOS drift between nodes cannot be "
        "seen; a running upgrade (is_upgrade_in_progress / upgradeStatus) is stated, and "
        "hypervisor drift is then reported as expected rather than as a WARNING.",
        "The shipped example policy is marked 'example: true' and its dates are made up; "
        "the check says so next to each finding ('EXAMPLE policy') until you write your own.",
    ),
)
