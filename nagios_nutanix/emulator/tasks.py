"""Tasks beyond the generic v2.0 builder: VM migrations on Prism Element, and the Prism Central
v4 prism `config/tasks` list.

A scenario task may name a VM and its hosts (a VM live migration)::

    tasks:
      - operation_type: kVmMigrate        # INFERRED operation name
        progress_status: Failed
        vm: prod-a-vm-022
        source: node-03
        destination: node-04
        message: "..."

Shapes are INFERRED: no recorded migrate task was found. PE v2.0 lists the VM then the source
and destination hosts in `entity_list` (entity types kVM / kNode); v4 lists them in
`entitiesAffected` with `rel` vmm:ahv:config:vm / clustermgmt:config:host. v4 field names are
MODEL (v4 prism SDK `Task`).
"""

import re
from typing import Any, Callable, Optional

from .routing import Reply, Request, Router, v4_error
from .world import Cluster, ScenarioError, Vm, World, stable_uuid

V4_FV = {"$fv": "v4.r0"}
# v4 task extIds are "<base64 prefix>:<uuid>"; this prefix (base64 of "ergon") is INFERRED.
EXT_PREFIX = "ZXJnb24=:"
V4_STATUS = {"Queued": "QUEUED", "Running": "RUNNING", "Succeeded": "SUCCEEDED",
             "Failed": "FAILED", "Aborted": "CANCELED", "Suspended": "SUSPENDED"}


def _vm(cluster: Cluster, name: str) -> Vm:
    for vm in cluster.vms:
        if vm.name == name:
            return vm
    raise ScenarioError("task refers to unknown VM %r in cluster %s" % (name, cluster.name))


def _host(cluster: Cluster, name: Optional[str]):
    if not name:
        return None
    node = cluster.node_by_name(str(name))
    if node is None:
        raise ScenarioError("task refers to unknown node %r in cluster %s" % (name, cluster.name))
    return node


def parties(cluster: Cluster, task: dict[str, Any]):
    """(vm, source node, destination node) a task names; any may be None."""
    vm = _vm(cluster, str(task["vm"])) if task.get("vm") else None
    return vm, _host(cluster, task.get("source")), _host(cluster, task.get("destination"))


def task_entities(cluster: Cluster, task: dict[str, Any]) -> list[dict[str, Any]]:
    """v2.0 `entity_list`: the VM and hosts a task names, else the cluster."""
    vm, source, destination = parties(cluster, task)
    if vm is None and source is None and destination is None:
        return [{"entity_id": cluster.uuid, "entity_type": "kCluster",
                 "entity_name": cluster.name}]
    found = []
    if vm is not None:
        found.append({"entity_id": vm.uuid, "entity_type": "kVM", "entity_name": vm.name})
    for node in (source, destination):
        if node is not None:  # INFERRED: source first, then destination
            found.append({"entity_id": node.uuid, "entity_type": "kNode",
                          "entity_name": node.name})
    return found


def _iso(usecs_value: int) -> Optional[str]:
    if not usecs_value:
        return None
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(usecs_value / 1e6))


def _words(operation: str) -> str:
    """kVmMigrate -> 'Vm Migrate' (operationDescription; INFERRED wording)."""
    name = operation[1:] if re.match(r"^k[A-Z]", operation) else operation
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


def task_v4(cluster: Cluster, task: dict[str, Any]) -> dict[str, Any]:
    vm, source, destination = parties(cluster, task)
    entities = []
    if vm is not None:
        entities.append({"extId": vm.uuid, "name": vm.name, "rel": "vmm:ahv:config:vm"})
    for node in (source, destination):
        if node is not None:
            entities.append({"extId": node.uuid, "name": node.name,
                             "rel": "clustermgmt:config:host"})  # INFERRED rel
    if not entities:
        entities.append({"extId": cluster.uuid, "name": cluster.name,
                         "rel": "clustermgmt:config:cluster"})
    status = V4_STATUS.get(task["progress_status"], str(task["progress_status"]).upper())
    failed = status == "FAILED"
    operation = str(task.get("operation_type", ""))
    return {
        "$objectType": "prism.v4.config.Task",
        "$reserved": V4_FV,
        "extId": EXT_PREFIX + task["uuid"],
        "operation": operation,
        "operationDescription": _words(operation),
        "createdTime": _iso(task["create_usecs"]),
        "startedTime": _iso(task["start_usecs"]),
        "completedTime": _iso(task["complete_usecs"]),
        "lastUpdatedTime": _iso(task["complete_usecs"] or task["start_usecs"]),
        "status": status,
        "progressPercentage": int(task["percentage_complete"]),
        "entitiesAffected": entities,
        "numberOfEntitiesAffected": len(entities),
        "clusterExtIds": [cluster.uuid],
        "isCancelable": status in ("QUEUED", "RUNNING"),
        "isBackgroundTask": False,
        "numberOfSubtasks": 0,
        "subTasks": [],
        "ownedBy": {"extId": stable_uuid("user", "admin"), "name": "admin"},
        "errorMessages": [{"$objectType": "prism.v4.error.AppMessage", "message":
                           task["message"], "severity": "ERROR", "locale": "en_US"}]
        if failed and task["message"] else [],
        "legacyErrorMessage": task["message"] if failed else None,
        "warnings": [],
    }


class TasksV4:
    """`prism/config/tasks` (list, newest first as the v4 docs say) and `tasks/{extId}`."""

    LIST = "prism.v4.config.ListTasksApiResponse"
    ONE = "prism.v4.config.GetTaskApiResponse"

    def __init__(self, world: World):
        tasks = [task_v4(c, t) for c in world.clusters for t in c.tasks]
        self.tasks = sorted(tasks, key=lambda t: t["createdTime"] or "", reverse=True)
        self.by_id = {t["extId"]: t for t in self.tasks}

    def register(self, router: Router, v4_list: Callable[..., Callable[..., Reply]]) -> None:
        router.add("GET", r"prism/config/tasks", v4_list(self.LIST, lambda req: self.tasks))
        router.add("GET", r"prism/config/tasks/(?P<ext_id>[^/]+)", self.one)

    def one(self, req: Request, ext_id: str) -> Reply:
        task = self.by_id.get(ext_id) or self.by_id.get(EXT_PREFIX + ext_id)
        if task is None:
            return v4_error(404, "Task %s not found" % ext_id, self.ONE, "PRI-10001")  # INFERRED
        return Reply(200, {"$objectType": self.ONE, "$reserved": V4_FV, "data": task,
                           "metadata": {"flags": [], "links": []}})
