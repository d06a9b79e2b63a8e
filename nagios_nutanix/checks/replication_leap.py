"""`replication` on Prism Central: Leap protection policies, the replication states of their
protected VMs, and the age of each VM's newest recovery point at the policy's target.

Which recovery point counts: for a policy that replicates to another cluster, the newest copy
at that target (a VM with recovery points only on its own cluster has no copy there: WARNING,
CRITICAL once even its newest local one is past the RPO, as any copy would be older); for a
policy that only keeps local recovery points, the newest local one. An RPO of 0 is a
synchronous schedule: its replication state is the signal, not recovery point ages.
"""

from ..plugin.duration import human
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State, worst
from ..plugin.words import listing, plural
from .replication import alert_items, filtered, names, select_named, settings, thresholds

SYNC_STATES = {"IN_SYNC": State.OK, "SYNCING": State.WARNING, "OUT_OF_SYNC": State.CRITICAL}
# Problem kinds, in the order the first line names them, with their words there.
PROBLEM_WORDS = (
    ("OUT_OF_SYNC", "OUT_OF_SYNC"),
    ("NO_RECOVERY_POINT", "without a recovery point"),
    ("RPO_BREACHED", "past the RPO"),
    ("NO_COPY", "with no copy at %s"),
    ("SYNCING", "SYNCING"),
    ("UNREPORTED", "replication status not reported"),
    ("NEAR_RPO", "near the RPO"),
)


def _cluster_name(model, ext_id):
    return clean(model.cluster_names.get(ext_id, ext_id or "?"))


def target_words(policy, model):
    """Where the policy replicates the cluster's VMs to, in words: `DR-B`."""
    found = sorted(_cluster_name(model, t) for t in policy.targets(model.cluster.uuid))
    found = found or [clean(label) for label in policy.target_labels]
    return listing(found, 2) if found else "its target"


def _rpo_text(rpo):
    if rpo is None:
        return "RPO unknown"
    return "RPO 0 (synchronous)" if rpo == 0 else "RPO %s" % human(rpo)


class VmVerdict:
    """One VM under one policy: state, problems {kind: (state, words)}, the age that is
    judged (or a lower bound of it; None when there is none), the RPO and the facts said."""

    __slots__ = ("resource", "state", "problems", "age", "rpo", "facts", "in_sync")

    def __init__(self, resource, problems, age, rpo, facts, in_sync):
        self.resource = resource
        self.problems = problems
        self.state = worst((s for s, _ in problems.values()), default=State.OK)
        self.age = age
        self.rpo = rpo
        self.facts = facts
        self.in_sync = in_sync


def _state_problems(states, model):
    problems = {}
    for st in states:
        sync = SYNC_STATES.get(st.status, State.UNKNOWN)
        if sync != State.OK:
            kind = st.status if st.status in SYNC_STATES else "UNREPORTED"
            problems[kind] = (sync, "%s to %s" % (st.status or "replication status not "
                                                  "reported", _cluster_name(model, st.target)))
    return problems


def judge_vm(resource, policy, model, rpo_override, ratio):
    """The VmVerdict of one VM under one policy."""
    states = [s for s in resource.states or () if s.policy == policy.ext_id]
    problems = _state_problems(states, model)
    rpos = [s.rpo for s in states if s.rpo is not None]
    if not rpos and policy.rpo is not None:
        rpos = [policy.rpo]
    rpo = rpo_override or (min(rpos) if rpos else None)
    now = model.now
    local_age = None if resource.local is None else max(0, now - resource.local)
    if policy.remote:
        at, where = resource.newest_copy(policy.targets(model.cluster.uuid))
    else:
        at, where = resource.local, None
    age = None if at is None else max(0, now - at)
    if at is not None:
        facts = ("newest recovery point at %s %s ago" % (_cluster_name(model, where), human(age))
                 if where else "newest local recovery point %s ago" % human(age))
    elif local_age is not None:
        facts = "newest local recovery point %s ago, none at %s" % (
            human(local_age), target_words(policy, model))
    else:
        facts = "none on %s%s" % (clean(model.cluster.name), " or at %s" % target_words(
            policy, model) if policy.remote else "")
    facts += ", " + _rpo_text(rpo)
    if model.vms_error is None and rpo != 0:
        levels = thresholds(rpo, ratio) if rpo else None
        if at is None and local_age is not None and policy.remote:
            problems["NO_COPY"] = (State.WARNING, "no copy at %s" % target_words(policy, model))
            if levels and levels.evaluate(local_age) == State.CRITICAL:
                # Any copy at the target is older than the newest local recovery point.
                problems["RPO_BREACHED"] = (State.CRITICAL, "past the RPO")
                age = local_age
        elif at is None:
            problems["NO_RECOVERY_POINT"] = (State.CRITICAL, "no recovery point")
        elif levels:
            lag = levels.evaluate(age)
            if lag == State.CRITICAL:
                problems["RPO_BREACHED"] = (lag, "past the RPO")
            elif lag == State.WARNING:
                problems["NEAR_RPO"] = (lag, "near the RPO")
    if model.vms_error is not None:
        age = None  # not judged: the ages of the VMs not seen are missing
    in_sync = bool(states) and all(s.status == "IN_SYNC" for s in states)
    return VmVerdict(resource, problems, age, rpo, facts, in_sync)


class _PolicyVerdict:
    def __init__(self, policy, members):
        self.policy = policy
        self.members = members
        self.vms = []  # VmVerdict
        self.groups = {}  # problem kind -> [VmVerdict]

    def count(self, kind):
        return len(self.groups.get(kind, ()))

    def oldest(self, rpo_override):
        """(age, rpo) of the VM whose judged recovery point is the oldest."""
        ages = [(v.age, v.rpo) for v in self.vms if v.age is not None]
        if ages:
            return max(ages, key=lambda x: x[0])
        return None, rpo_override or self.policy.rpo


def _vm_item(policy, verdict):
    name, vm = clean(policy.name), clean(verdict.resource.name)
    if verdict.problems:
        words = "; ".join(text for _, text in verdict.problems.values())
        return Item(verdict.state, "%s: VM %s: %s (%s)" % (name, vm, words, verdict.facts),
                    brief="")
    resource = verdict.resource
    states = ", ".join(sorted({s.status for s in resource.states or ()
                               if s.policy == policy.ext_id and s.status}))
    served = "" if resource.states is not None else \
        " (no replication state: not a minutely or synchronous schedule)"
    return Item(State.OK, "%s: VM %s: %s%s%s" % (name, vm, states + ", " if states else "",
                                                 verdict.facts, served))


def _group_items(verdict, model):
    policy, name, total = verdict.policy, clean(verdict.policy.name), len(verdict.members)
    items = []
    for kind, words in PROBLEM_WORDS:
        found = verdict.groups.get(kind)
        if not found:
            continue
        state = worst(v.problems[kind][0] for v in found)
        who = names(clean(v.resource.name) for v in found)
        if kind == "NO_COPY":
            words = words % target_words(policy, model)
        if kind in ("RPO_BREACHED", "NEAR_RPO"):
            oldest = max(v.age for v in found)
            rpo = min(v.rpo for v in found)
            prefix = "RPO breached: " if kind == "RPO_BREACHED" else ""
            text = "%spolicy %s: %d of %d VMs %s (oldest %s, RPO %s): %s" % (
                prefix, name, len(found), total, words, human(oldest), human(rpo), who)
        else:
            text = "policy %s: %d of %d VMs %s: %s" % (name, len(found), total, words, who)
        items.append(Item(state, text))
    if policy.paused:
        items.append(Item(State.WARNING, "policy %s: replication paused" % name))
    if not verdict.members:
        items.append(Item(State.OK, "policy %s: no protected VM of %s seen" % (
            name, clean(model.cluster.name))))
    return items


def judge_policy(policy, members, model, rpo_override, ratio):
    """(_PolicyVerdict, items): the policy's summary lines first, then one line per VM."""
    verdict = _PolicyVerdict(policy, members)
    vm_items = []
    for resource in sorted(members, key=lambda r: r.name):
        vm = judge_vm(resource, policy, model, rpo_override, ratio)
        verdict.vms.append(vm)
        for kind in vm.problems:
            verdict.groups.setdefault(kind, []).append(vm)
        vm_items.append(_vm_item(policy, vm))
    return verdict, _group_items(verdict, model) + vm_items


def _policy_metrics(verdict, rpo_override, ratio):
    policy = verdict.policy
    age, rpo = verdict.oldest(rpo_override)
    levels = thresholds(rpo, ratio) if rpo else Thresholds()
    return [
        Metric("resources.count", len(verdict.members), minimum=0, instance=policy.name),
        Metric("resources.out_of_sync.count", verdict.count("OUT_OF_SYNC"),
               critical=Range(0, 0), minimum=0, instance=policy.name),
        Metric("resources.syncing.count", verdict.count("SYNCING"), warning=Range(0, 0),
               minimum=0, instance=policy.name),
        Metric("recovery_point.age.seconds", None if age is None else int(age), "s",
               warning=levels.warning, critical=levels.critical, minimum=0,
               instance=policy.name),
    ]


def _ok_summary(model, verdicts, rpo_override):
    if not verdicts:
        if not model.policies:
            return "no protection policies on Prism Central"
        return "no protection policy protects a VM of %s" % clean(model.cluster.name)
    vms = {v.resource.ext_id for p in verdicts for v in p.vms}
    in_sync = {v.resource.ext_id for p in verdicts for v in p.vms if v.in_sync}
    words = "%s, %s" % (plural(len(verdicts), "protection policy", "protection policies"),
                        plural(len(vms), "protected VM"))
    if in_sync == vms:
        words += " in sync within RPO"
    else:
        words += " within RPO (%d in sync, %d without a replication state)" % (
            len(in_sync), len(vms - in_sync))
    lags = []
    for verdict in verdicts:
        age, rpo = verdict.oldest(rpo_override)
        if age is not None and rpo:
            lags.append((age / rpo, verdict.policy.name, age, rpo))
    if lags:
        _, name, age, rpo = max(lags)
        words += ": worst %s %s, RPO %s" % (clean(name), human(age), human(rpo))
    return words


def _info(model, rpo_override):
    info = ["protection domains are Prism Element objects, not visible here: check them "
            "against the cluster's Prism Element"]
    if model.not_read:
        info.append("replication state read for %d of %d protected VMs (those with the oldest "
                    "recovery points); the others are judged on recovery point age only"
                    % (len(model.resources) - model.not_read, len(model.resources)))
    if rpo_override:
        info.append("RPO set by --rpo to %s for every protection policy" % human(rpo_override))
    return info


def evaluate_leap(model, options):
    rpo_override, ratio = settings(options)
    cluster = model.cluster.name
    policies = select_named(model.policies, options, cluster, "protection policy")
    by_policy = {p.ext_id: [] for p in model.policies}
    for resource in model.resources:
        for ext_id in resource.policy_ids():
            by_policy.setdefault(ext_id, []).append(resource)
    items, metrics, verdicts = [], [], []
    if not model.policies:
        items.append(Item(State.OK, "no protection policies on Prism Central"))
    for policy in sorted(policies, key=lambda p: p.name):
        members = by_policy.get(policy.ext_id, [])
        if not members and not filtered(options):
            continue  # a policy protecting nothing on this cluster: not this cluster's concern
        verdict, found = judge_policy(policy, members, model, rpo_override, ratio)
        verdicts.append(verdict)
        items += found
        metrics += _policy_metrics(verdict, rpo_override, ratio)
    if model.vms_error:
        items.append(Item(State.UNKNOWN, "recovery point ages not judged: %s; VMs without a "
                          "recovery point on %s cannot be seen without it" % (
                              clean(model.vms_error), clean(cluster)),
                          brief="recovery point ages not judged: %s" % clean(model.vms_error)))
    unattached = [r for r in model.resources if not r.policy_ids()]
    if unattached and not filtered(options):
        items.append(Item(State.OK, "%s with recovery points but tied to no policy (no "
                          "replication state, no policy category): %s" % (
                              plural(len(unattached), "VM"),
                              names(clean(r.name) for r in unattached))))
    if model.state_error:
        items.append(Item(State.UNKNOWN, clean(model.state_error)))
    kept = {p.name for p in policies} | {r.name for p in policies
                                         for r in by_policy.get(p.ext_id, [])}
    items += alert_items(model, {p.name for p in model.policies},
                         {r.name for r in model.resources}, kept, set(), model.now)
    ok = _ok_summary(model, verdicts, rpo_override)
    if model.policies and not verdicts:
        items.append(Item(State.OK, ok))
    return Result(cluster, items, metrics, ok_summary=ok,
                  notes=["source: %s" % model.source] + model.notes,
                  info=_info(model, rpo_override))
