"""Prism Central v4 data protection ("Leap"): protection policies, recovery points and
protected resources, built from a PC scenario's ``protection_policies:`` list.

Field names are MODEL (v4 SDK: datapolicies ProtectionPolicy, dataprotection RecoveryPoint,
ProtectedResource, ReplicationState); the v4.0 paths, the replicationLocations /
replicationSubLocation shape, the object type strings of list answers and every value are
INFERRED. ``protected-resources/{vmExtId}`` answers only for VMs under a minutely (RPO of 15
minutes or less) or synchronous (RPO 0) schedule, 404 otherwise, as the SDK documents.

Scenario entry (knobs are emulator inventions, not Prism fields)::

    protection_policies:
      - name: PP-NEARSYNC
        source: PROD-A                 # cluster whose guest VMs it protects (in VM order)
        target: DR-B
        rpo_seconds: 900
        vm_count: 4
        last_recovery_point_minutes_ago: 3    # newest local recovery point
        replicated_minutes_ago: 4             # newest copy at the target
        replication_status: IN_SYNC
        paused: false
        vm_overrides: {2: {replication_status: OUT_OF_SYNC, replicated_minutes_ago: 47.5}}
        # per VM also: replicated: false (no recovery point reached the target),
        #              recovery_points: false (the VM has none, only the policy's category)

The VMs a policy protects carry its category in the vmm v4 VM list (``vm_categories``).
"""

import time
from typing import Any, Callable

from .routing import Reply, Request, Router, v4_error
from .world import Cluster, ScenarioError, World, stable_uuid

V4_FV = {"$fv": "v4.r0"}
MINUTELY_MAX_RPO = 900  # protected-resources answers for these (and synchronous, RPO 0)
RECOVERY_POINTS_PER_VM = 3


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _location(label: str, pc_uuid: str, cluster: Cluster, primary: bool) -> dict[str, Any]:
    return {
        "label": label,
        "domainManagerExtId": pc_uuid,
        "replicationSubLocation": {"$objectType": "datapolicies.v4.config.NutanixCluster",
                                   "clusterExtIds": [cluster.uuid]},
        "isPrimary": primary,
    }


def _assignments(world: World) -> list[tuple[dict[str, Any], Cluster, Cluster, list[Any]]]:
    """(spec, source, target, VMs) per policy: each protects the next ``vm_count`` guest VMs
    of its source cluster, in VM order."""
    by_name = {c.name: c for c in world.clusters}
    offsets: dict[str, int] = {}
    found = []
    for spec in world.protection_policies:
        source, target = by_name.get(spec.get("source")), by_name.get(spec.get("target"))
        if source is None or target is None:
            raise ScenarioError("protection policy %s: source and target must name clusters"
                                % spec.get("name"))
        start = offsets.get(source.name, 0)
        count = int(spec.get("vm_count", 3))
        offsets[source.name] = start + count
        found.append((spec, source, target, source.guest_vms[start:start + count]))
    return found


def category_of(policy_name: str) -> str:
    return stable_uuid("category", "ProtectionPolicy", policy_name)


def vm_categories(world: World) -> dict[str, list[str]]:
    """{VM ext id: [category ext ids]}: the ProtectionPolicy category of each policy a VM is
    protected by. The vmm v4 VM list serves them as the VM's ``categories`` (references with
    extId: MODEL; values INFERRED)."""
    found: dict[str, list[str]] = {}
    for spec, _source, _target, vms in _assignments(world):
        for vm in vms:
            found.setdefault(vm.uuid, []).append(category_of(str(spec["name"])))
    return found


class LeapV4:
    POLICIES = "datapolicies.v4.config.ListProtectionPoliciesApiResponse"
    POINTS = "dataprotection.v4.config.ListRecoveryPointsApiResponse"
    RESOURCE = "dataprotection.v4.config.GetProtectedResourceApiResponse"

    def __init__(self, world: World):
        self.world = world
        self.policies: list[dict[str, Any]] = []
        self.points: list[dict[str, Any]] = []
        self.resources: dict[str, dict[str, Any]] = {}
        pc_uuid = world.prism_central.uuid if world.prism_central else ""
        for spec, source, target, vms in _assignments(world):
            self._build(spec, source, target, vms, pc_uuid)

    def _build(self, spec: dict[str, Any], source: Cluster, target: Cluster, vms: list[Any],
               pc_uuid: str) -> None:
        name = str(spec["name"])
        rpo = int(spec.get("rpo_seconds", 3600))
        ext_id = stable_uuid("protection_policy", name)
        category = category_of(name)
        self.policies.append({
            "$objectType": "datapolicies.v4.config.ProtectionPolicy",
            "$reserved": V4_FV,
            "extId": ext_id,
            "name": name,
            "description": str(spec.get("description", "")),
            "replicationLocations": [_location("PRIMARY", pc_uuid, source, True),
                                     _location("DR", pc_uuid, target, False)],
            "replicationConfigurations": [{
                "sourceLocationLabel": "PRIMARY",
                "remoteLocationLabel": "DR",
                "schedule": {
                    "recoveryPointType": "CRASH_CONSISTENT",
                    "recoveryPointObjectiveTimeSeconds": rpo,
                    "isReplicationPaused": bool(spec.get("paused", False)),
                    "retention": {"$objectType": "datapolicies.v4.config.LinearRetention",
                                  "local": 24, "remote": 24},
                },
            }],
            "categoryIds": [category],
        })
        served = rpo <= MINUTELY_MAX_RPO
        spacing = max(rpo, 3600) if rpo == 0 else rpo
        now = self.world.now
        overrides = spec.get("vm_overrides") or {}
        for index, vm in enumerate(vms):
            knobs = dict(spec)
            knobs.update(overrides.get(index) or overrides.get(str(index)) or {})
            local_ago = float(knobs.get("last_recovery_point_minutes_ago", 5)) * 60
            remote_ago = float(knobs.get("replicated_minutes_ago",
                                         knobs.get("last_recovery_point_minutes_ago", 5) + 1)) * 60
            places = []
            if knobs.get("recovery_points", True):  # false: the VM has none at all
                places.append((source, local_ago))
                if knobs.get("replicated", True):  # false: none reached the target
                    places.append((target, remote_ago))
            for where, ago in places:
                for k in range(RECOVERY_POINTS_PER_VM):
                    created = now - ago - k * spacing
                    point_id = stable_uuid("recovery_point", name, vm.name, where.name, k)
                    self.points.append({
                        "$objectType": "dataprotection.v4.config.RecoveryPoint",
                        "$reserved": V4_FV,
                        "extId": point_id,
                        "name": "%s_%s_%d" % (name, vm.name, k),
                        "creationTime": iso(created),
                        "expirationTime": iso(created + 7 * 86400),
                        "status": "COMPLETE",
                        "recoveryPointType": "CRASH_CONSISTENT",
                        "locationReferences": [{"locationExtId": where.uuid}],
                        "vmRecoveryPoints": [{
                            "extId": stable_uuid("vm_recovery_point", point_id),
                            "vmExtId": vm.uuid,
                            "creationTime": iso(created),
                            "status": "COMPLETE",
                        }],
                    })
            if served:
                self.resources[vm.uuid] = {
                    "$objectType": "dataprotection.v4.config.ProtectedResource",
                    "$reserved": V4_FV,
                    "extId": vm.uuid,
                    "entityExtId": vm.uuid,
                    "entityType": "VM",
                    "sourceSiteReference": {"mgmtClusterExtId": pc_uuid,
                                            "clusterExtId": source.uuid},
                    "replicationStates": [{
                        "protectionPolicyExtId": ext_id,
                        "recoveryPointObjectiveSeconds": rpo,
                        "replicationStatus": str(knobs.get("replication_status", "IN_SYNC")),
                        "targetSiteReference": {"mgmtClusterExtId": pc_uuid,
                                                "clusterExtId": target.uuid},
                    }],
                    "siteProtectionInfo": [{
                        "locationReference": {"mgmtClusterExtId": pc_uuid,
                                              "clusterExtId": source.uuid},
                        "recoveryInfo": {"restorableTimeRanges": [{
                            "startTime": iso(now - local_ago - 86400),
                            "endTime": iso(now - local_ago)}]},
                    }],
                }

    def register(self, router: Router, v4_list: Callable[..., Callable[..., Reply]]) -> None:
        router.add("GET", r"datapolicies/config/protection-policies",
                   v4_list(self.POLICIES, lambda req: self.policies))
        router.add("GET", r"dataprotection/config/recovery-points",
                   v4_list(self.POINTS, lambda req: self.points))
        router.add("GET", r"dataprotection/config/protected-resources/(?P<ext_id>[^/]+)",
                   self.protected_resource)

    def protected_resource(self, req: Request, ext_id: str) -> Reply:
        item = self.resources.get(ext_id)
        if item is None:
            return v4_error(404, "Protected resource %s not found" % ext_id, self.RESOURCE,
                            "DTP-10404")  # INFERRED code
        return Reply(200, {"$objectType": self.RESOURCE, "$reserved": V4_FV, "data": item,
                           "metadata": {"flags": [], "links": []}})
