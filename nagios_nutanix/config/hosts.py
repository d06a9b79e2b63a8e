"""The monitoring hosts an inventory stands for: one per cluster and one per node, each with the
checks bound to it and the values of its host macros."""

from .catalog import host_macros

ROLE_WORDS = {"cluster": "Cluster", "node": "Node"}


def fits(check, cluster):
    """Whether a check can run for a cluster's hosts: a Prism check when the cluster's Prism
    (Element or Central) is one of its sources, an SNMP check when the cluster has SNMP."""
    if check.protocol == "snmp":
        return cluster.snmp is not None
    return cluster.source in check.sources


def source_tags(cluster, checks, role):
    """What a host can be asked through: its Prism kind, and the SNMP checks' sources."""
    tags = [cluster.source]
    if cluster.snmp is not None:
        for check in checks:
            if check.protocol == "snmp" and check.scope == role:
                tags.extend(s for s in check.sources if s not in tags)
    return tags


class Host:
    def __init__(self, cluster, role, name, alias, address, node=None):
        self.cluster = cluster
        self.role = role
        self.name = name
        self.alias = alias
        self.address = address
        self.node = node
        self.checks = []  # what runs here
        self.candidates = []  # what could run here, before the cluster's exclude_checks
        self.sources = []
        self.macros = []  # (Macro, value)

    @property
    def families(self):
        seen = []
        for check in self.candidates:
            if check.family not in seen:
                seen.append(check.family)
        return seen

    @property
    def excluded(self):
        return self.cluster.exclude_checks

    def custom_macros(self):
        """(Macro, value) pairs whose value differs from the host templates' default: what a
        host definition must set itself."""
        defaults = {m.name: m.default for m in host_macros(self.candidates)}
        return [(m, v) for m, v in self.macros if v != defaults.get(m.name, "")]

    def value(self, name):
        for macro, value in self.macros:
            if macro.name == name:
                return value
        return ""

    def __repr__(self):
        return "Host(%r)" % self.name


def _prism_values(cluster):
    creds = cluster.credentials
    return {
        "NTNX_PRISM": cluster.prism,
        "NTNX_PORT": str(cluster.port),
        "NTNX_AUTH_FILE": creds["auth_file"],
        "NTNX_USERNAME": creds["username"] if not creds["auth_file"] else "",
        "NTNX_PASSWORD": creds["password"],
        "NTNX_CLUSTER": cluster.cluster_option,
        "NTNX_CA_FILE": cluster.ca_file,
        "NTNX_EXTRAOPTIONS": cluster.extra_options,
    }


def _snmp_values(cluster, node):
    snmp = cluster.snmp or {}
    address = snmp.get("address") or (cluster.prism if cluster.kind == "pe" else cluster.address)
    if node is not None and snmp.get("node_address") == "cvm" and node.cvm_ip:
        address = node.cvm_ip
    return {
        "NTNX_SNMP_ADDRESS": address,
        "NTNX_SNMP_PORT": snmp.get("port", "161"),
        "NTNX_SNMP_VERSION": snmp.get("version", "3"),
        "NTNX_SNMP_AUTH_FILE": snmp.get("auth_file", ""),
        "NTNX_SNMP_COMMUNITY": snmp.get("community", ""),
        "NTNX_SNMP_USER": snmp.get("user", ""),
        "NTNX_SNMP_EXTRAOPTIONS": snmp.get("extra_options", ""),
    }


def build(inventory, checks):
    """Every Host of the inventory, clusters first, each followed by its nodes."""
    hosts = []
    for cluster in inventory.clusters:
        members = [Host(cluster, "cluster", cluster.host_name, cluster.alias, cluster.address)]
        for node in cluster.nodes:
            members.append(Host(
                cluster, "node", cluster.node_host(node), "%s (node of %s)" % (
                    node.name, cluster.name), node.address or cluster.prism, node))
        for host in members:
            host.candidates = [c for c in checks if c.scope == host.role and fits(c, cluster)]
            host.checks = [c for c in host.candidates if c.name not in cluster.exclude_checks]
            host.sources = source_tags(cluster, host.candidates, host.role)
            values = dict(_prism_values(cluster), **_snmp_values(cluster, host.node))
            values["FILTERNAME"] = host.node.filter if host.node else ""
            host.macros = [(m, values.get(m.name, "")) for m in host_macros(host.candidates)]
        hosts.extend(members)
    return hosts
