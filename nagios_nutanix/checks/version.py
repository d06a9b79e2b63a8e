"""`version`: AOS, AHV, NCC and Prism Central versions, their drift and a version policy."""

from ..config.version_policy import COMPONENT_WORDS, version_key, version_text
from ..plugin.errors import UsageError
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from ..plugin.words import listing, plural
from .spec import Alert, CheckSpec, MetricSpec, Option

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
                              "in %s (%s)" % (label, clean(train.name), eol,
                                              plural(days, "day"), _tag(policy))))
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


def _eol_days(options):
    days = options.eol_warning_days
    if days is None:
        days = DEFAULT_EOL_WARNING_DAYS
    if days < 0:
        raise UsageError("--eol-warning-days must be 0 or more, not %d" % days)
    return days


def _aos_items(cluster, out):
    """AOS, LTS/STS and a running upgrade."""
    aos = cluster.version
    if aos:
        out.items.append(Item(State.OK, "AOS %s (%s)" % (clean(aos), _lts(cluster.is_lts))))
        out.ok_words.append("AOS %s %s" % (clean(aos), _lts(cluster.is_lts)))
    else:
        out.items.append(Item(State.UNKNOWN, "AOS version not reported by Prism"))
    if cluster.upgrade_in_progress:
        target = cluster.target_version
        words = "upgrade in progress%s" % (
            " to %s" % clean(target) if target and target != aos else "")
        out.items.append(Item(State.OK, words))
        out.ok_words.append(words)


def _hypervisor_items(model, upgrading, out):
    """The hypervisor versions across hosts; returns their groups."""
    total = len(model.hosts)
    groups, unknown = hypervisor_groups(model.hosts)
    if not model.hosts:
        out.items.append(Item(State.UNKNOWN, "Prism listed no hosts: hypervisor versions not "
                              "checked"))
    if unknown:
        out.items.append(Item(State.UNKNOWN, "hypervisor version not reported for %s"
                              % listing(unknown, 8)))
    if groups:
        drift = drift_item(groups, total, upgrading)
        out.items.append(drift)
        if len(groups) == 1:
            out.ok_words.append(drift.text)
        else:
            out.ok_words.append("%d hypervisor versions" % len(groups))
    # While an upgrade runs, differing versions are expected (OK): no warning range then, so
    # the perfdata says what the check says.
    out.metrics.append(Metric("hypervisor.versions.count", len(groups) if model.hosts else None,
                              warning=None if upgrading else Range.parse("1"), minimum=0))
    return groups


def _other_items(model, out):
    """NCC and, on Prism Central, its own version; returns the NCC version."""
    ncc = version_text(model.ncc) if model.ncc else None
    if ncc:
        out.items.append(Item(State.OK, "NCC %s" % clean(ncc)))
        out.ok_words.append("NCC %s" % clean(ncc))
    else:
        out.items.append(Item(State.UNKNOWN, "NCC version not reported by Prism"))
    if model.prism_central:
        out.items.append(Item(State.OK, "Prism Central %s" % clean(model.prism_central)))
        out.ok_words.append("Prism Central %s" % clean(model.prism_central))
    return ncc


def eol_metric(component, days, eol_days):
    """Days to end of life, with ranges that agree with policy_items(): WARNING from
    `eol_days` days before (inclusive, so the warning range starts one day later), CRITICAL
    once past (negative)."""
    return Metric("%s.eol.days" % component, days, warning=Range.parse("%d:" % (eol_days + 1)),
                  critical=Range.parse("0:"))


def _policy_judgement(model, policy, groups, ncc, eol_days, out):
    aos = model.cluster.version
    total = len(model.hosts)
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
    eol = {}
    for component, version, where in checks:
        if component not in policy.trains:
            continue
        found, days = policy_items(policy, component, version, where, model.today, eol_days)
        out.items += found
        if days is not None:
            eol[component] = min(days, eol.get(component, days))
    out.items += compatibility_items(policy, aos, groups, total)
    for component in ("aos", "ahv", "ncc", "prism_central"):
        if component in eol:
            out.metrics.append(eol_metric(component, eol[component], eol_days))
    unchecked = [COMPONENT_WORDS[c] for c in ("aos", "ahv", "ncc", "prism_central")
                 if c not in policy.trains and (c != "prism_central" or model.prism_central)]
    if unchecked:
        out.info.append("the policy has no %s section: not checked against it"
                        % ", ".join(unchecked))
    if policy.example:
        out.info.append("%s is marked as an EXAMPLE (example: true): its dates, minimums and "
                        "pairs are made up, not Nutanix facts; write your own policy"
                        % clean(policy.path))
    if not any(i.state != State.OK for i in out.items):
        out.ok_words.append("within the %s" % _tag(policy))


class _Verdict:
    def __init__(self):
        self.items, self.metrics, self.ok_words, self.info = [], [], [], []


def evaluate(model, options):
    eol_days = _eol_days(options)
    out = _Verdict()
    upgrading = bool(model.cluster.upgrade_in_progress)
    _aos_items(model.cluster, out)
    groups = _hypervisor_items(model, upgrading, out)
    ncc = _other_items(model, out)
    if model.policy is None:
        out.info.append("no --policy given: minimum versions, end of life and allowed AOS/AHV "
                        "pairs not checked")
    else:
        _policy_judgement(model, model.policy, groups, ncc, eol_days, out)
    if model.not_available:
        out.info.append("not available from %s, not checked: %s" % (
            model.source, "; ".join(model.not_available)))
    return Result(model.cluster.name, out.items, out.metrics, ok_summary=", ".join(out.ok_words),
                  info=out.info, notes=["source: %s" % model.source])


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
        Option(("--policy",), "version policy (YAML, parsed at every run): minimum versions and "
               "end-of-life dates per release train, allowed AOS/AHV pairs; an EXAMPLE with "
               "made-up dates and pairs ships as nagios_nutanix/config/"
               "version-policy.example.yaml (default: no policy)",
               metavar="FILE", macro="VERSION_POLICY"),
        Option(("--eol-warning-days",), "WARNING this many days before a release train's end "
               "of life (default %(default)s)", default=DEFAULT_EOL_WARNING_DAYS, type="int",
               metavar="DAYS"),
    ),
    metrics=(
        MetricSpec("hypervisor.versions.count", "", "distinct hypervisor versions across the "
                   "hosts; warning above 1, no warning range while an upgrade runs (differing "
                   "versions are then expected and OK)", minimum=0),
        MetricSpec("aos.eol.days", "", "days until the AOS release train's end of life (with "
                   "--policy, when it gives one; negative once past); also ahv., ncc., "
                   "prism_central.; warning range --eol-warning-days + 1 ('91:' by default: "
                   "a train exactly 90 days from its end of life is already WARNING), critical "
                   "'0:'"),
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
        Alert("UNKNOWN", "a version was not reported, Prism listed no hosts, or the policy "
              "file cannot be read",
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
        "The shipped example policy is marked 'example: true'; its dates, minimums and "
        "AOS/AHV pairs are made up (the pairs are illustrative, not checked against Nutanix's "
        "compatibility matrix); "
        "the check says so next to each finding ('EXAMPLE policy') until you write your own.",
    ),
)
