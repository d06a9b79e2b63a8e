"""Prism Central v4 data protection (Nutanix DR, "Leap"): protection policies, protected VMs'
replication states and their newest recovery points.

Sources (reference §4.2; field names from the v4 SDK models [MODEL], the v4.0 path version and
every value INFERRED, no recorded answer was available):

- `datapolicies/v4.0/config/protection-policies`: name, categoryIds,
  replicationLocations[].{label, replicationSubLocation.clusterExtIds} (sub-location shape
  INFERRED), replicationConfigurations[].{sourceLocationLabel, remoteLocationLabel,
  schedule.recoveryPointObjectiveTimeSeconds, schedule.isReplicationPaused}. A configuration
  with a remoteLocationLabel replicates to that location's clusters: a VM of such a policy
  with recovery points only on its own cluster has no copy at the target.
- `dataprotection/v4.0/config/recovery-points`: creationTime, status,
  locationReferences[].locationExtId (read as the ext id of the cluster holding the copy:
  INFERRED), vmRecoveryPoints[].{vmExtId, creationTime}.
- `dataprotection/v4.0/config/protected-resources/{vmExtId}`: replicationStates[]
  {protectionPolicyExtId, recoveryPointObjectiveSeconds, replicationStatus IN_SYNC | SYNCING |
  OUT_OF_SYNC, targetSiteReference.clusterExtId}. Prism serves it only for VMs under a minutely
  or synchronous schedule (the SDK says so); for others it has no answer, and those VMs are
  judged on their newest recovery point alone. There is no list call: one GET per VM, at most
  MAX_RESOURCES per run (the VMs with the oldest recovery points first).
- `vmm/v4.0/ahv/config/vms`: VM names, clusters and categories (to tie a VM to the policies
  whose categories it carries: such a VM is protected even when it has no recovery point).
  Without this list the VMs without a local recovery point cannot be seen, so recovery point
  ages are then not judged (UNKNOWN), only replication states.
"""

import time
from urllib.parse import quote

from .central import V4 as CLUSTERMGMT
from .errors import PrismHTTPError
from .normalize import enum, flag, iso_seconds, number
from .pagination import v4_pages

POLICIES = "/api/datapolicies/v4.0/config/protection-policies"
RECOVERY_POINTS = "/api/dataprotection/v4.0/config/recovery-points"
PROTECTED_RESOURCE = "/api/dataprotection/v4.0/config/protected-resources/"
VMS = "/api/vmm/v4.0/ahv/config/vms"

SOURCE = "Prism Central v4 data protection"
MAX_RESOURCES = 200  # protected-resources GETs per run


class Policy:
    """A protection policy. `links` are its replication configurations as (source cluster ext
    ids, target cluster ext ids) pairs: an empty source set means "not said"; a link with no
    target is a local schedule (recovery points kept where they are taken)."""

    __slots__ = ("ext_id", "name", "rpo", "paused", "categories", "links", "target_labels")

    def __init__(self, ext_id, name, rpo=None, paused=False, categories=(), links=(),
                 target_labels=()):
        self.ext_id = ext_id
        self.name = name
        self.rpo = rpo  # the shortest RPO of its schedules, seconds
        self.paused = paused
        self.categories = set(categories)
        self.links = [(set(source), set(target) if target is not None else None)
                      for source, target in links]
        self.target_labels = list(target_labels)  # location labels of remote targets naming
        # no cluster (e.g. an availability zone): said when no cluster name is known

    def __repr__(self):
        return "Policy(%r)" % self.name

    @property
    def remote(self):
        """True when the policy replicates to another location."""
        return any(target is not None for _, target in self.links)

    def targets(self, cluster_uuid):
        """The cluster ext ids the policy replicates `cluster_uuid`'s VMs to (empty when the
        policy's remote locations name no cluster)."""
        found = set()
        remote = [(source, target) for source, target in self.links if target is not None]
        for source, target in remote:
            if not source or cluster_uuid in source:
                found |= target
        if not found:  # no link sourced here: any remote target but this cluster
            for _, target in remote:
                found |= target
        found.discard(cluster_uuid)
        return found


class ReplicationState:
    __slots__ = ("policy", "rpo", "status", "target")

    def __init__(self, policy, rpo, status, target):
        self.policy = policy  # policy ext id
        self.rpo = rpo
        self.status = status  # IN_SYNC / SYNCING / OUT_OF_SYNC / None
        self.target = target  # target cluster ext id


class Resource:
    """One protected VM: its newest recovery point on its own cluster (`local`), its newest
    copy per other cluster (`copies`), the policies whose categories it carries and, when
    Prism serves them, its replication states (None: not served, [] served but empty)."""

    __slots__ = ("ext_id", "name", "local", "copies", "policies", "states")

    def __init__(self, ext_id, name=None, local=None, copies=None, policies=(), states=None):
        self.ext_id = ext_id
        self.name = name or ext_id
        self.local = local  # epoch s, or None
        self.copies = dict(copies or {})  # cluster ext id -> epoch s of the newest copy there
        self.policies = set(policies)
        self.states = states

    def __repr__(self):
        return "Resource(%r)" % self.name

    def policy_ids(self):
        return self.policies | {s.policy for s in self.states or () if s.policy}

    def newest_copy(self, targets):
        """(epoch s, cluster ext id) of the newest copy at one of `targets` (at any other
        cluster when `targets` is empty), or (None, None)."""
        found = [(at, where) for where, at in self.copies.items()
                 if not targets or where in targets]
        return max(found) if found else (None, None)

    @property
    def newest(self):
        """The newest recovery point anywhere (epoch s), or None."""
        times = [t for t in [self.local] + list(self.copies.values()) if t is not None]
        return max(times) if times else None


class LeapProtection:
    """The PC model for one cluster. `vms_error`: why the cluster's VM list could not be read
    (then VMs without a local recovery point are not seen, so recovery point ages are not
    judged)."""

    kind = "pc"

    def __init__(self, cluster, policies, resources, now, cluster_names=None, alerts=None,
                 alerts_error=None, notes=(), not_read=0, state_error=None, source=SOURCE,
                 vms_error=None):
        self.cluster = cluster
        self.policies = list(policies)
        self.resources = list(resources)
        self.now = now
        self.cluster_names = dict(cluster_names or {})
        self.alerts = alerts
        self.alerts_error = alerts_error
        self.notes = list(notes)
        self.not_read = not_read  # protected VMs whose replication state was not asked for
        self.state_error = state_error  # why replication states could not be read
        self.source = source
        self.vms_error = vms_error


# -- normalization -------------------------------------------------------------------------------
def _ref_ids(refs):
    found = set()
    for ref in refs or ():
        if isinstance(ref, dict):
            ref = ref.get("extId")
        if ref:
            found.add(str(ref))
    return found


def _locations(doc):
    """{label: set of cluster ext ids} of a policy's replicationLocations (shape INFERRED:
    replicationSubLocation.clusterExtIds)."""
    found = {}
    for location in doc.get("replicationLocations") or ():
        if not isinstance(location, dict) or not location.get("label"):
            continue
        sub = location.get("replicationSubLocation") or {}
        found[str(location["label"])] = {str(c) for c in sub.get("clusterExtIds") or () if c}
    return found


def policy(doc):
    rpos, paused, links, labels = [], False, [], []
    locations = _locations(doc)
    for config in doc.get("replicationConfigurations") or ():
        config = config or {}
        sched = config.get("schedule") or {}
        rpo = number(sched.get("recoveryPointObjectiveTimeSeconds"))
        if rpo is not None:
            rpos.append(rpo)
        paused = paused or bool(flag(sched.get("isReplicationPaused")))
        source = locations.get(str(config.get("sourceLocationLabel")), set())
        remote = config.get("remoteLocationLabel")
        target = None if not remote else locations.get(str(remote), set())
        if remote and not target:
            labels.append(str(remote))
        links.append((source, target))
    return Policy(str(doc.get("extId")), str(doc.get("name") or doc.get("extId")),
                  min(rpos) if rpos else None, paused, _ref_ids(doc.get("categoryIds")), links,
                  labels)


def replication_states(doc):
    states = []
    for item in doc.get("replicationStates") or ():
        if not isinstance(item, dict):
            continue
        target = item.get("targetSiteReference") or {}
        states.append(ReplicationState(
            policy=item.get("protectionPolicyExtId"),
            rpo=number(item.get("recoveryPointObjectiveSeconds")),
            status=enum(item.get("replicationStatus")),
            target=target.get("clusterExtId")))
    return states


def recovery_points(points, cluster_uuid, local_vms):
    """{vm ext id: (newest local epoch s or None, {other cluster ext id: newest epoch s})} of
    the cluster's VMs' complete recovery points.

    `local_vms`: the cluster's VM ext ids, or None when unknown: then a VM counts when it has
    a recovery point on the cluster (its copies elsewhere are kept too)."""
    local, copies = {}, {}
    for point in points:
        if not isinstance(point, dict):
            continue
        if enum(point.get("status")) not in (None, "COMPLETE"):
            continue
        locations = [str((r or {}).get("locationExtId")) for r in
                     point.get("locationReferences") or () if (r or {}).get("locationExtId")]
        created = iso_seconds(point.get("creationTime"))
        for vm_point in point.get("vmRecoveryPoints") or ():
            vm = (vm_point or {}).get("vmExtId")
            at = iso_seconds((vm_point or {}).get("creationTime")) or created
            if not vm or at is None or (local_vms is not None and vm not in local_vms):
                continue
            for where in locations or [cluster_uuid]:
                if where == cluster_uuid:
                    local[vm] = max(at, local.get(vm) or 0)
                else:
                    found = copies.setdefault(vm, {})
                    found[where] = max(at, found.get(where) or 0)
    known = set(local) if local_vms is None else set(local) | set(copies)
    return {vm: (local.get(vm), copies.get(vm, {})) for vm in known}


def _optional_pages(client, path, params, notes, what):
    """The list, or None (with a note) when Prism refuses it."""
    try:
        return v4_pages(client, path, params)
    except PrismHTTPError as exc:
        notes.append("%s not read (HTTP %d)" % (what, exc.status))
        return None


def collect(client, cluster):
    """A LeapProtection for `cluster` (a prism.model.Cluster chosen on Prism Central)."""
    now = time.time()
    notes = []
    policies = [policy(p) for p in v4_pages(client, POLICIES) if isinstance(p, dict)]
    names = {str(c.get("extId")): str(c.get("name") or c.get("extId"))
             for c in _optional_pages(client, CLUSTERMGMT + "clusters", None, notes,
                                      "cluster names") or () if isinstance(c, dict)}
    # The same query (and cached answer) as prism/vms.py.
    vms = _optional_pages(client, VMS, {"$filter": "cluster/extId eq '%s'" % cluster.uuid},
                          notes, "the cluster's VM list (vmm v4)")
    vms_error = None if vms is not None else notes[-1]
    vms = [v for v in vms if isinstance(v, dict) and v.get("extId")] if vms is not None else None
    vm_names = {v["extId"]: v.get("name") for v in vms or ()}
    vm_categories = {v["extId"]: _ref_ids(v.get("categories")) for v in vms or ()}
    points = v4_pages(client, RECOVERY_POINTS) if policies else []
    found = recovery_points(points, cluster.uuid, None if vms is None else set(vm_names))
    # Every VM whose categories put it under a policy is protected, recovery point or not.
    for vm, categories in vm_categories.items():
        if vm not in found and any(p.categories & categories for p in policies):
            found[vm] = (None, {})
    resources = []
    for vm, (local, copies) in found.items():
        tied = {p.ext_id for p in policies if p.categories & vm_categories.get(vm, set())}
        resources.append(Resource(vm, vm_names.get(vm), local, copies, tied))
    # Oldest recovery points first: those are the VMs worth a protected-resources GET.
    resources.sort(key=lambda r: (r.newest or 0, r.name))
    state_error = None
    for resource in resources[:MAX_RESOURCES]:
        try:
            doc = client.get(PROTECTED_RESOURCE + quote(resource.ext_id, safe=""))
        except PrismHTTPError as exc:
            if exc.status == 404:  # not under a minutely or synchronous schedule
                continue
            state_error = "replication states could not be read: %s" % exc
            break
        data = doc.get("data") if isinstance(doc, dict) else None
        resource.states = replication_states(data) if isinstance(data, dict) else []
    return LeapProtection(cluster, policies, resources, now, names, notes=notes,
                          not_read=max(0, len(resources) - MAX_RESOURCES),
                          state_error=state_error, vms_error=vms_error)
