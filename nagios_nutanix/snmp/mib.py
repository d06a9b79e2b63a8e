"""The SNMP objects the checks read: NUTANIX-MIB (enterprise 41263), HOST-RESOURCES-MIB,
UCD-SNMP-MIB and SNMPv2-MIB's system group.

NUTANIX-MIB facts come from the MIB text (revisions 2017-06-14 and 2021-11-08 agree on every
object used here). Table indexes are Integer32 row numbers; scalars are served at `.0`.
"""

from collections import namedtuple

# name: the MIB's table name (said in error messages); entry: the xxxEntry OID; columns: our
# name -> column number under the entry.
Table = namedtuple("Table", "name entry columns")

NUTANIX = "1.3.6.1.4.1.41263"

# Cluster scalars .501-.508 (instance .0 on the wire).
CLUSTER_SCALARS = (
    ("name", NUTANIX + ".501.0"),           # clusterName, DisplayString
    ("version", NUTANIX + ".502.0"),        # clusterVersion: nutanix-core package version
    ("status", NUTANIX + ".503.0"),         # clusterStatus: "usually one of started or stopped"
    ("total_bytes", NUTANIX + ".504.0"),    # clusterTotalStorageCapacity, Counter64 bytes
    ("used_bytes", NUTANIX + ".505.0"),     # clusterUsedStorageCapacity, Counter64 bytes
    ("iops", NUTANIX + ".506.0"),           # clusterIops, Counter64
    ("latency", NUTANIX + ".507.0"),        # clusterLatency: no unit in the MIB (microseconds:
                                            # INFERRED, as Centreon reads it)
    ("bandwidth_kBps", NUTANIX + ".508.0"),  # clusterIOBandwidth, KBps
)
CLUSTER_NAME = NUTANIX + ".501.0"

SOFTWARE_VERSION = Table("softwareVersionTable", NUTANIX + ".1.1", {
    "cvm_id": 2, "core": 5,
})

# STATUS obsolete in both MIB revisions; each service column is a comma separated pid list.
SERVICE_STATUS = Table("serviceStatusTable", NUTANIX + ".2.1", {
    "cvm_id": 2, "cvm_status": 3, "Zeus": 4, "Scavenger": 5, "Medusa": 6, "Pithos": 7,
    "Stargate": 8, "Chronos": 9, "Curator": 10, "Prism": 11, "AlertManager": 12,
    "StatsAggregator": 13, "SysStatCollector": 14,
})
SERVICE_COLUMNS = ("Zeus", "Scavenger", "Medusa", "Pithos", "Stargate", "Chronos", "Curator",
                   "Prism", "AlertManager", "StatsAggregator", "SysStatCollector")

DISK_STATUS = Table("diskStatusTable", NUTANIX + ".3.1", {
    "disk_id": 2, "cvm_id": 3, "serial": 4, "total_bytes": 6, "free_bytes": 7,
    "latency_us": 10, "bandwidth_kBps": 11, "iops": 12, "state": 13,
})
DISK_STATES = {1: "online", 2: "offline"}

CVM_RESOURCES = Table("controllerVMResourceTable", NUTANIX + ".4.1", {
    "cvm_id": 2, "memory_bytes": 3, "vcpus": 4, "name": 5,
})

STORAGE_POOLS = Table("storagePoolInformationTable", NUTANIX + ".7.1", {
    "id": 2, "name": 3, "total_bytes": 4, "used_bytes": 5, "iops": 6, "latency_us": 7,
    "bandwidth_kBps": 8,
})

CONTAINERS = Table("containerInformationTable", NUTANIX + ".8.1", {
    "id": 2, "name": 3, "total_bytes": 4, "used_bytes": 5, "iops": 6, "latency_us": 7,
    "bandwidth_kBps": 8,
})

HYPERVISORS = Table("hypervisorInformationTable", NUTANIX + ".9.1", {
    "id": 2, "name": 3, "vm_count": 4, "cpu_count": 5, "cpu_percent": 6, "memory_bytes": 7,
    "memory_percent": 8, "read_iops": 9, "write_iops": 10, "latency_us": 11,
    "bandwidth_kBps": 12, "rx_bytes": 13, "tx_bytes": 14, "rx_drops": 15, "tx_drops": 16,
})

VMS = Table("vmInformationTable", NUTANIX + ".10.1", {
    "id": 2, "name": 3, "hypervisor_id": 4, "power_state": 5,
})

CONTROLLER_STATUS = Table("controllerStatusTable", NUTANIX + ".11.1", {
    "cvm_id": 2, "cvm_status": 3, "data_services": 4, "metadata_services": 5,
})

# SNMPv2-MIB system group.
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"

# HOST-RESOURCES-MIB
HR_SW_RUN = Table("hrSWRunTable", "1.3.6.1.2.1.25.4.2.1", {
    "name": 2, "path": 4, "parameters": 5, "status": 7,
})
HR_SW_RUN_STATUS = {1: "running", 2: "runnable", 3: "notRunnable", 4: "invalid"}
HR_PROCESSOR = Table("hrProcessorTable", "1.3.6.1.2.1.25.3.3.1", {"load": 2})

# UCD-SNMP-MIB
LA_TABLE = Table("laTable", "1.3.6.1.4.1.2021.10.1", {"name": 2, "load": 3})
UCD_MEMORY = (  # memory scalars, all in kB
    ("total", "1.3.6.1.4.1.2021.4.5.0"),     # memTotalReal
    ("avail", "1.3.6.1.4.1.2021.4.6.0"),     # memAvailReal (free memory)
    ("buffer", "1.3.6.1.4.1.2021.4.14.0"),   # memBuffer
    ("cached", "1.3.6.1.4.1.2021.4.15.0"),   # memCached
)
