"""Prism Central v4 vmm `ahv/config/vms`: guest VMs with their host and vCPU topology.

Field names are MODEL (v4 vmm `Vm`: extId, name, powerState, numSockets, numCoresPerSocket,
numThreadsPerCore, memorySizeBytes, cluster.extId, host.extId); that CVMs are left out of the
list, and the `$filter` subset served here (`cluster/extId eq '<uuid>'`), are INFERRED.
"""

import re
from typing import Any, Callable, Optional

from .routing import Reply, Request, Router, v4_error
from .world import Cluster, Vm, World

V4_FV = {"$fv": "v4.r0"}
_CLUSTER_FILTER = re.compile(r"^\s*cluster/extId\s+eq\s+'(?P<uuid>[^']+)'\s*$")


def vm_v4(cluster: Cluster, vm: Vm, categories: Optional[list[str]] = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$objectType": "vmm.v4.ahv.config.Vm",
        "$reserved": V4_FV,
        "extId": vm.uuid,
        "name": vm.name,
        "powerState": "ON" if vm.power_state == "on" else "OFF",
        "numSockets": vm.num_vcpus,
        "numCoresPerSocket": 1,
        "numThreadsPerCore": 1,
        "memorySizeBytes": vm.memory_mb * 1048576,
        "isAgentVm": False,
        "machineType": "PC",
        "cluster": {"extId": cluster.uuid},
    }
    if vm.host is not None:
        out["host"] = {"extId": vm.host.uuid}
    if categories:  # Leap protection policy categories (emulator/leap.py)
        out["categories"] = [{"extId": c} for c in categories]
    return out


class VmmV4:
    LIST = "vmm.v4.ahv.config.ListVmsApiResponse"

    def __init__(self, world: World):
        from .leap import vm_categories

        tags = vm_categories(world)
        self.vms = [vm_v4(c, vm, tags.get(vm.uuid)) for c in world.clusters
                    for vm in sorted(c.guest_vms, key=lambda v: v.name)]

    def register(self, router: Router, v4_list: Callable[..., Callable[..., Reply]]) -> None:
        router.add("GET", r"vmm/ahv/config/vms", v4_list(self.LIST, self.listed))

    def listed(self, req: Request):
        expression: Optional[str] = req.params.get("$filter")
        if not expression:
            return self.vms
        match = _CLUSTER_FILTER.match(expression)
        if not match:
            return v4_error(400, "Unsupported $filter expression", self.LIST, "VMM-10001")
        return [vm for vm in self.vms if vm["cluster"]["extId"] == match.group("uuid")]
