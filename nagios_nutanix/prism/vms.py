"""Where VMs run and how many vCPUs they have: what vCPU density and migrations need.

- Prism Element: v1 `vms` [SEEN: vmName, powerState on/off, hostName (null when off),
  numVCpus, controllerVm; hostUuid CONSUMER]. `numVCpus` is read as the VM's vCPU count; whether
  Prism multiplies cores per vCPU into it is INFERRED.
- Prism Central: v4 vmm `ahv/config/vms` (field names MODEL: extId, name, powerState ON|OFF|
  PAUSED|UNDETERMINED, host.extId, cluster.extId, numSockets x numCoresPerSocket x
  numThreadsPerCore = vCPUs). The `$filter` on cluster/extId is OData as the v4 docs describe;
  that this PC version accepts it is INFERRED.
"""

from .normalize import enum, flag, number
from .pagination import v1_pages, v4_pages

V1_VMS = "/PrismGateway/services/rest/v1/vms"  # the same path (and cached answer) as element
V4_VMS = "/api/vmm/v4.0/ahv/config/vms"


class VmPlacement:
    __slots__ = ("name", "uuid", "host_uuid", "host_name", "vcpus", "powered_on", "controller")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    def __repr__(self):
        return "VmPlacement(%s on %s, %s vCPUs)" % (self.name, self.host_name or self.host_uuid,
                                                   self.vcpus)


def from_v1(doc):
    power = enum(doc.get("powerState"))
    return VmPlacement(
        name=doc.get("vmName"), uuid=doc.get("uuid"), host_uuid=doc.get("hostUuid"),
        host_name=doc.get("hostName"), vcpus=number(doc.get("numVCpus")),
        powered_on=None if power is None else power == "ON",
        controller=bool(flag(doc.get("controllerVm"))))


def _v4_vcpus(doc):
    sockets = number(doc.get("numSockets"))
    if sockets is None:
        return None
    cores = number(doc.get("numCoresPerSocket")) or 1
    threads = number(doc.get("numThreadsPerCore")) or 1
    return sockets * cores * threads


def from_v4(doc):
    power = enum(doc.get("powerState"))
    host = doc.get("host") if isinstance(doc.get("host"), dict) else {}
    return VmPlacement(
        name=doc.get("name"), uuid=doc.get("extId"), host_uuid=host.get("extId"),
        host_name=None, vcpus=_v4_vcpus(doc),
        powered_on=None if power is None else power == "ON",
        # v4 vmm lists guest VMs; a CVM, should one appear, says so (INFERRED field name).
        controller=bool(flag(doc.get("isControllerVm"))))


def placements(client, kind, cluster_uuid=None):
    """Every VM of the cluster with its host and vCPUs."""
    if kind == "pc":
        params = {"$filter": "cluster/extId eq '%s'" % cluster_uuid} if cluster_uuid else None
        return [from_v4(d) for d in v4_pages(client, V4_VMS, params) if isinstance(d, dict)]
    return [from_v1(d) for d in v1_pages(client, V1_VMS) if isinstance(d, dict)]


def by_uuid(vms):
    """VM uuid -> (host uuid, host name) of the VMs that name a host."""
    return {vm.uuid: (vm.host_uuid, vm.host_name) for vm in vms
            if vm.uuid and (vm.host_uuid or vm.host_name)}
