"""Prism Central v4 data protection (Nutanix DR, "Leap"): protection policies, protected VMs'
replication states and their newest recovery points.

Sources (reference §4.2; field names from the v4 SDK models [MODEL], the v4.0 path version and
every value INFERRED, no recorded answer was available):

- `datapolicies/v4.0/config/protection-policies`: name, categoryIds,
  replicationConfigurations[].schedule.recoveryPointObjectiveTimeSeconds and
  .isReplicationPaused.
- `dataprotection/v4.0/config/recovery-points`: creationTime, status,
  locationReferences[].locationExtId, vmRecoveryPoints[].{vmExtId, creationTime}.
- `dataprotection/v4.0/config/protected-resources/{vmExtId}`: replicationStates[]
  {protectionPolicyExtId, recoveryPointObjectiveSeconds, replicationStatus IN_SYNC | SYNCING |
  OUT_OF_SYNC, targetSiteReference.clusterExtId}. Prism serves it only for VMs under a minutely
  or synchronous schedule (the SDK says so); for others it has no answer, and those VMs are
  judged on their newest recovery point alone. There is no list call: one GET per VM, at most
  MAX_RESOURCES per run (the VMs with the oldest recovery points first).
- `vmm/v4.0/ahv/config/vms`: VM names, clusters and categories (to tie a VM to the policies
  whose categories it carries).
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
    __slots__ = ("ext_id", "name", "rpo", "paused", "categories")

    def __init__(self, ext_id, name, rpo=None, paused=False, categories=()):
        self.ext_id = ext_id
        self.name = name
        self.rpo = rpo  # the shortest RPO of its schedules, seconds
        self.paused = paused
        self.categories = set(categories)

    def __repr__(self):
        return "Policy(%r)" % self.name


class ReplicationState:
    __slots__ = ("policy", "rpo", "status", "target")

    def __init__(self, policy, rpo, status, target):
        self.policy = policy  # policy ext id
        self.rpo = rpo
        self.status = status  # IN_SYNC / SYNCING / OUT_OF_SYNC / None
        self.target = target  # target cluster ext id


class Resource:
    """One protected VM: its newest recovery point (at a remote cluster when Prism lists copies
    there, else local) and, when Prism serves them, its replication states (None: not served,
    [] served but empty)."""

    __slots__ = ("ext_id", "name", "newest", "newest_at", "policies", "states")

    def __init__(self, ext_id, name=None, newest=None, newest_at=None, policies=(),
                 states=None):
        self.ext_id = ext_id
        self.name = name or ext_id
        self.newest = newest  # epoch s
        self.newest_at = newest_at  # cluster ext id of that copy; None: the VM's own cluster
        self.policies = set(policies)
        self.states = states

    def __repr__(self):
        return "Resource(%r)" % self.name

    def policy_ids(self):
        return self.policies | {s.policy for s in self.states or () if s.policy}


class LeapProtection:
    """The PC model for one cluster."""

    kind = "pc"

    def __init__(self, cluster, policies, resources, now, cluster_names=None, alerts=None,
                 alerts_error=None, notes=(), not_read=0, state_error=None, source=SOURCE):
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


# -- normalization -------------------------------------------------------------------------------
def _ref_ids(refs):
    found = set()
    for ref in refs or ():
        if isinstance(ref, dict):
            ref = ref.get("extId")
        if ref:
            found.add(str(ref))
    return found


def policy(doc):
    rpos, paused = [], False
    for config in doc.get("replicationConfigurations") or ():
        sched = (config or {}).get("schedule") or {}
        rpo = number(sched.get("recoveryPointObjectiveTimeSeconds"))
        if rpo is not None:
            rpos.append(rpo)
        paused = paused or bool(flag(sched.get("isReplicationPaused")))
    return Policy(str(doc.get("extId")), str(doc.get("name") or doc.get("extId")),
                  min(rpos) if rpos else None, paused, _ref_ids(doc.get("categoryIds")))


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


def newest_recovery_points(points, cluster_uuid, local_vms):
    """{vm ext id: (epoch s, location)} of the cluster's VMs' newest complete recovery point:
    the newest copy at another cluster (the DR copy) when there is one, else the newest local
    one (location None).

    `local_vms`: the cluster's VM ext ids, or None when unknown (then a recovery point counts
    when one of its locations is the cluster, and is taken as local)."""
    local, remote = {}, {}
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
            if not vm:
                continue
            if local_vms is None:
                if locations and cluster_uuid not in locations:
                    continue
                where = None
            elif vm not in local_vms:
                continue
            else:
                elsewhere = [loc for loc in locations if loc != cluster_uuid]
                where = elsewhere[0] if elsewhere and cluster_uuid not in locations else None
            at = iso_seconds(vm_point.get("creationTime")) or created
            if at is None:
                continue
            table = local if where is None else remote
            if at > table.get(vm, (0, None))[0]:
                table[vm] = (at, where)
    newest = dict(local)
    newest.update(remote)
    return newest


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
                          notes, "VM names (vmm v4)")
    vms = [v for v in vms if isinstance(v, dict) and v.get("extId")] if vms is not None else None
    vm_names = {v["extId"]: v.get("name") for v in vms or ()}
    vm_categories = {v["extId"]: _ref_ids(v.get("categories")) for v in vms or ()}
    points = v4_pages(client, RECOVERY_POINTS) if policies else []
    newest = newest_recovery_points(points, cluster.uuid,
                                    None if vms is None else set(vm_names))
    resources = []
    for vm, (at, where) in newest.items():
        tied = {p.ext_id for p in policies if p.categories & vm_categories.get(vm, set())}
        resources.append(Resource(vm, vm_names.get(vm), at, where, tied))
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
                          state_error=state_error)
