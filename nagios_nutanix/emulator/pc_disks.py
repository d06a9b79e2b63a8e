"""Prism Central v4 clustermgmt drives: ``GET /api/clustermgmt/v4.x/config/disks[/{extId}]``.

Field names follow the v4 SDK ``clustermgmt.v4.config.Disk`` model [MODEL]; no recorded answer
was available, so every value mapping below is INFERRED from the v2.0 view of the same drive:
``online`` -> ``diskAdvanceConfig.isOnline``, ``mounted`` -> ``isMounted``, ``bad`` ->
``isUnhealthy``, ``disk_status`` -> ``status``, tier ``SSD-SATA`` -> ``SSD_SATA``; ``location``
as an integer slot number, IP addresses in the common v4 ``{"ipv4": {"value": ...}}`` wrapper.
"""

from typing import Any

from .pc import V4_FV, ip4
from .routing import Reply, Request, Router, v4_error
from .world import Disk, Node, World


def disk_v4(disk: Disk, node: Node) -> dict[str, Any]:
    cluster = node.cluster
    return {
        "$objectType": "clustermgmt.v4.config.Disk",
        "$reserved": V4_FV,
        "extId": disk.uuid,
        "serialNumber": disk.serial,
        "model": disk.model,
        "vendor": disk.vendor,
        "firmwareVersion": disk.firmware,
        "targetFirmwareVersion": disk.firmware,
        "diskSizeBytes": disk.size_bytes,
        "physicalCapacityBytes": disk.size_bytes,
        "status": disk.status,
        "storageTier": disk.tier.replace("-", "_").upper(),  # INFERRED mapping
        "location": disk.slot,  # INFERRED type (int)
        "mountPath": "/home/nutanix/data/stargate-storage/disks/%s" % disk.serial,
        "nodeExtId": node.uuid,
        "nodeIpAddress": ip4(node.host_ip),
        "hostName": node.name,
        "clusterExtId": cluster.uuid,
        "clusterName": cluster.name,
        "cvmIpAddress": ip4(node.cvm_ip),
        "serviceVMId": node.service_vmid,
        "storagePoolExtId": cluster.storage_pool.get("uuid"),
        "diskAdvanceConfig": {
            "isOnline": disk.online,
            "isMounted": disk.mounted,
            "isBootDisk": disk.boot_disk,
            "hasBootPartitionsOnly": False,
            "isUnhealthy": disk.bad,  # INFERRED: v2 `bad`
            "isSuspectedUnhealthy": False,
            "isUnderDiagnosis": False,
            "isErrorFoundInLog": False,
            "isMarkedForRemoval": disk.marked_for_removal,
            "isDataMigrated": False,
            "isPlannedOutage": False,
            "isDiagnosticInfoAvailable": False,
            "isSelfEncryptingDrive": False,
            "isPasswordProtected": False,
            "isSelfManagedNvme": False,
            "isSpdkManaged": False,
        },
    }


def register(api: Any, router: Router) -> None:
    """Adds the v4 disk routes to a PrismCentralApi (whose v4_list gives paging/envelopes)."""
    world: World = api.world
    disks = [disk_v4(d, n) for n in world.nodes for d in n.disks]
    by_id = {d["extId"]: d for d in disks}
    router.add("GET", r"clustermgmt/config/disks",
               api.v4_list("clustermgmt.v4.config.ListDisksApiResponse", lambda req: disks))

    def one(req: Request, ext_id: str) -> Reply:
        object_type = "clustermgmt.v4.config.GetDiskApiResponse"
        item = by_id.get(ext_id)
        if item is None:
            return v4_error(404, "Disk %s not found" % ext_id, object_type)
        return Reply(200, {"$objectType": object_type, "$reserved": V4_FV, "data": item,
                           "metadata": {"flags": [], "links": []}})

    router.add("GET", r"clustermgmt/config/disks/(?P<ext_id>[^/]+)", one)
