"""nagios-nutanix: Nagios-compatible checks for Nutanix clusters (Prism API and SNMP)."""

__version__ = "0.1.0"
