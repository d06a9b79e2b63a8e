"""The check registry: names to modules, imported only when a check runs (keeps runs fast)."""

import importlib

CHECKS = {
    "version": "nagios_nutanix.checks.version",
    "storage": "nagios_nutanix.checks.storage",
    "alerts": "nagios_nutanix.checks.alerts",
    "ahv": "nagios_nutanix.checks.ahv",
    "cluster": "nagios_nutanix.checks.cluster",
    "replication": "nagios_nutanix.checks.replication",
    "migrations": "nagios_nutanix.checks.migrations",
    "ncc": "nagios_nutanix.checks.ncc",
    "cvm": "nagios_nutanix.checks.cvm",
    "disks": "nagios_nutanix.checks.disks",
    "snmp-cluster": "nagios_nutanix.checks.snmp_cluster",
    "snmp-nodes": "nagios_nutanix.checks.snmp_nodes",
    "snmp-cvm": "nagios_nutanix.checks.snmp_cvm",
    "snmp-disks": "nagios_nutanix.checks.snmp_disks",
    "snmp-containers": "nagios_nutanix.checks.snmp_containers",
    "snmp-pools": "nagios_nutanix.checks.snmp_pools",
    "snmp-ahv": "nagios_nutanix.checks.snmp_ahv",
}


def names():
    return sorted(CHECKS)


def load(name):
    """The CheckSpec of a check, or None when no check has that name."""
    module = CHECKS.get(name)
    if module is None:
        return None
    return importlib.import_module(module).SPEC


def all_specs():
    return [load(name) for name in names()]
