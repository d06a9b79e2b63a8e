"""The check registry: names to modules, imported only when a check runs (keeps runs fast)."""

import importlib

CHECKS = {
    "ahv": "nagios_nutanix.checks.ahv",
    "alerts": "nagios_nutanix.checks.alerts",
    "cluster": "nagios_nutanix.checks.cluster",
    "cvm": "nagios_nutanix.checks.cvm",
    "disks": "nagios_nutanix.checks.disks",
    "migrations": "nagios_nutanix.checks.migrations",
    "ncc": "nagios_nutanix.checks.ncc",
    "replication": "nagios_nutanix.checks.replication",
    "snmp-ahv": "nagios_nutanix.checks.snmp_ahv",
    "snmp-cluster": "nagios_nutanix.checks.snmp_cluster",
    "snmp-containers": "nagios_nutanix.checks.snmp_containers",
    "snmp-cvm": "nagios_nutanix.checks.snmp_cvm",
    "snmp-disks": "nagios_nutanix.checks.snmp_disks",
    "snmp-nodes": "nagios_nutanix.checks.snmp_nodes",
    "snmp-pools": "nagios_nutanix.checks.snmp_pools",
    "storage": "nagios_nutanix.checks.storage",
    "version": "nagios_nutanix.checks.version",
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
