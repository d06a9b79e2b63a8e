"""The inventory file of `nutanix-templates`: which clusters to monitor, and how.

    runbook_url: https://wiki.example.com/nagios-nutanix/runbook.md
    defaults:                          # every cluster gets these unless it says otherwise
      port: 9440
      credentials: {auth_file: /etc/nagios-nutanix/prism.auth}
      ca_file: /etc/nagios-nutanix/prism-ca.pem
    clusters:
      - name: PROD-A                   # the cluster's name in Prism
        prism: 10.10.1.10              # Prism Element VIP (type pe) or Prism Central (type pc)
        type: pe
        poller: poller-dc1             # Centreon poller, Icinga 2 zone, Mod-Gearman hostgroup
        discover: true                 # ask Prism for the nodes
      - name: DR-B
        prism: pc.example.com
        type: pc
        nodes:                         # or list them
          - {name: dr-node-01, host_ip: 10.20.1.11, cvm_ip: 10.20.1.21}
    nagios: {plugin_dir: $USER1$}      # per-format settings (see FORMAT_SETTINGS)

Credentials are given by reference: an auth file path (every format), or a user and the name
of a macro/constant holding the password (Centreon, Icinga 2). A clear-text `password` is
accepted only because the user wrote it; it then lands in the generated configuration.
"""

import re

from ..plugin.errors import PluginError

KINDS = {"pe": "prism-element", "prism-element": "prism-element",
         "pc": "prism-central", "prism-central": "prism-central"}
CLUSTER_KEYS = {
    "name", "prism", "type", "port", "credentials", "ca_file", "insecure", "poller", "snmp",
    "discover", "nodes", "host_name", "address", "extra_options", "exclude_checks",
    "node_host_name", "alias"}
NODE_KEYS = {"name", "host_ip", "cvm_ip", "cvm_name", "serial", "block_serial", "uuid",
             "host_name", "filter", "address"}
CREDENTIAL_KEYS = {"auth_file", "username", "password", "password_macro"}
SNMP_KEYS = {"address", "port", "version", "auth_file", "community", "community_macro", "user",
             "extra_options", "node_address"}
TOP_KEYS = {"defaults", "clusters", "runbook_url", "nagios", "icinga2", "centreon",
            "logicmonitor", "description"}
FORMAT_SETTINGS = {
    "nagios": {
        "plugin_dir": "$USER1$",
        "host_template": "generic-host",
        "service_template": "generic-service",
        "host_check_command": "check-host-alive",
        "contact_groups": "admins",
        "check_interval": 5, "retry_interval": 1, "max_check_attempts": 3,
    },
    "icinga2": {
        "plugin_dir": "PluginDir",
        "host_check_command": "hostalive",
        "parent_zone": "master",
        "global_zone": "global-templates",
        "check_interval": "5m", "retry_interval": "1m", "max_check_attempts": 3,
    },
    "centreon": {
        "plugin_dir": "$CENTREONPLUGINS$",
        "host_template": "generic-active-host-custom",
        "service_template": "generic-active-service-custom",
        "poller": "Central",
        "check_interval": 5, "retry_interval": 1, "max_check_attempts": 3,
    },
    "logicmonitor": {
        "plugin_dir": "/usr/lib/nagios/plugins",
        "collect_interval": 300,
        "discovery_interval": 60,
        "group": "Nutanix",
    },
}
# The packages install an uncompressed copy here (the one under /usr/share/doc may be gzipped).
DEFAULT_RUNBOOK = "file:///usr/share/nagios-nutanix/runbook.md"

# Host names every engine accepts (Nagios illegal_object_name_chars, Centreon, Icinga).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
# Values that end up inside quoted command-line arguments or object definitions.
_UNSAFE_VALUE = re.compile(r"[\x00-\x1f'\";`|\\]")


class InventoryError(PluginError):
    """The inventory file is wrong; the message names the file, the cluster and the key."""


class Node:
    def __init__(self, name, host_ip=None, cvm_ip=None, cvm_name=None, serial=None,
                 block_serial=None, uuid=None, host_name=None, filter=None, address=None):
        self.name = name
        self.host_ip = host_ip
        self.cvm_ip = cvm_ip
        self.cvm_name = cvm_name
        self.serial = serial
        self.block_serial = block_serial
        self.uuid = uuid
        self.host_name = host_name
        self.filter = filter or name  # FILTERNAME: exact, so node-1 never matches node-10
        self.address = address or host_ip or cvm_ip

    def __repr__(self):
        return "Node(%r)" % self.name


class Cluster:
    def __init__(self, raw, where):
        self.where = where
        self.name = _text(raw, "name", where, required=True)
        self.prism = _text(raw, "prism", where, required=True)
        kind = str(raw.get("type", "pe")).lower()
        if kind not in KINDS:
            raise InventoryError("%s: type must be pe or pc, not %r" % (where, kind))
        self.source = KINDS[kind]
        self.kind = "pc" if self.source == "prism-central" else "pe"
        self.port = _integer(raw.get("port", 9440), where, "port")
        self.credentials = _credentials(raw.get("credentials") or {}, where)
        self.ca_file = _text(raw, "ca_file", where)
        self.insecure = bool(raw.get("insecure", False))
        self.poller = _text(raw, "poller", where)
        self.snmp = _snmp(raw.get("snmp"), where)
        self.discover = bool(raw.get("discover", False))
        self.host_name = _text(raw, "host_name", where) or self.name
        self.alias = _text(raw, "alias", where) or "Nutanix cluster %s" % self.name
        self.address = _text(raw, "address", where) or self.prism
        self.extra_options = _text(raw, "extra_options", where)
        if self.insecure:
            self.extra_options = " ".join(filter(None, ["--insecure", self.extra_options]))
        self.exclude_checks = [str(c) for c in raw.get("exclude_checks") or []]
        self.node_host_name = _text(raw, "node_host_name", where) or "{node}"
        nodes = raw.get("nodes") or []
        if not isinstance(nodes, list):
            raise InventoryError("%s: nodes must be a list" % where)
        self.nodes = [_node(item, "%s node %d" % (where, i + 1)) for i, item in
                      enumerate(nodes)]
        if self.discover and self.nodes:
            raise InventoryError("%s: give a node list or discover: true, not both" % where)
        for value, key in ((self.name, "name"), (self.host_name, "host_name")):
            _check_name(value, where, key)

    @property
    def cluster_option(self):
        """--cluster: the cluster's name on Prism Central; nothing on Prism Element."""
        return self.name if self.kind == "pc" else ""

    def node_host(self, node):
        if node.host_name:
            return node.host_name
        return self.node_host_name.format(node=node.name, cluster=self.name)

    def __repr__(self):
        return "Cluster(%r)" % self.name


class Inventory:
    def __init__(self, clusters, settings, runbook_url, path):
        self.clusters = clusters
        self.settings = settings
        self.runbook_url = runbook_url
        self.path = path

    def setting(self, fmt, key):
        return self.settings[fmt][key]


def _text(raw, key, where, required=False):
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise InventoryError("%s: %s is missing" % (where, key))
        return ""
    if isinstance(value, (dict, list)):
        raise InventoryError("%s: %s must be a single value" % (where, key))
    value = str(value)
    if _UNSAFE_VALUE.search(value):
        raise InventoryError("%s: %s %r contains a quote, backslash, ';', '|', '`' or a control "
                             "character, which monitoring configuration cannot carry safely"
                             % (where, key, value))
    return value


def _integer(value, where, key):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InventoryError("%s: %s must be a number, not %r" % (where, key, value)) from None


def _check_name(value, where, key):
    if not _NAME.match(value):
        raise InventoryError("%s: %s %r is not usable as a monitoring host name (letters, digits, "
                             "'.', '_', '-', '@'); set host_name" % (where, key, value))


def _unknown(raw, allowed, where):
    if not isinstance(raw, dict):
        raise InventoryError("%s: expected a mapping" % where)
    extra = sorted(set(raw) - allowed)
    if extra:
        raise InventoryError("%s: unknown key%s %s (known: %s)" % (
            where, "s" if len(extra) > 1 else "", ", ".join(extra), ", ".join(sorted(allowed))))


def _credentials(raw, where):
    _unknown(raw, CREDENTIAL_KEYS, where + " credentials")
    where += " credentials"
    found = {key: _text(raw, key, where) for key in CREDENTIAL_KEYS}
    if found["password"] and found["password_macro"]:
        raise InventoryError("%s: give password or password_macro, not both" % where)
    if (found["password"] or found["password_macro"]) and not found["username"]:
        raise InventoryError("%s: a password needs a username" % where)
    if not found["auth_file"] and not found["username"]:
        raise InventoryError("%s: give auth_file (recommended) or username with "
                             "password_macro" % where)
    if found["password_macro"] and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$",
                                                found["password_macro"]):
        raise InventoryError("%s: password_macro %r must be a plain name (letters, digits, '_')"
                             % (where, found["password_macro"]))
    return found


def _snmp(raw, where):
    if raw is None or raw is False:
        return None
    if raw is True:
        raw = {}
    _unknown(raw, SNMP_KEYS, where + " snmp")
    where += " snmp"
    found = {key: _text(raw, key, where) for key in SNMP_KEYS}
    found["port"] = str(_integer(raw.get("port", 161), where, "port"))
    # Prism configures SNMPv3 users for polling; v2c polling of its agent is unverified.
    found["version"] = str(raw.get("version", "3")).lower().lstrip("v")
    if found["version"] not in ("2c", "3"):
        raise InventoryError("%s: version must be 2c or 3 (v1 cannot carry NUTANIX-MIB's "
                             "64-bit counters)" % where)
    if found["node_address"] not in ("", "cvm", "cluster"):
        raise InventoryError("%s: node_address must be cvm or cluster" % where)
    found["node_address"] = found["node_address"] or "cvm"
    return found


def _node(raw, where):
    if isinstance(raw, str):
        raw = {"name": raw}
    _unknown(raw, NODE_KEYS, where)
    values = {key: _text(raw, key, where) or None for key in NODE_KEYS}
    if not values["name"]:
        raise InventoryError("%s: name is missing" % where)
    node = Node(**values)
    if node.host_name:
        _check_name(node.host_name, where, "host_name")
    return node


def _merge(defaults, raw):
    """A cluster's settings over the defaults; a mapping (credentials, snmp) replaces the
    default one whole, so a cluster's own user never inherits the default auth file."""
    return dict(defaults, **raw)


def parse(doc, path="inventory"):
    """An Inventory from the loaded YAML document."""
    if not isinstance(doc, dict):
        raise InventoryError("%s: expected a mapping with a 'clusters' list" % path)
    _unknown(doc, TOP_KEYS, path)
    defaults = doc.get("defaults") or {}
    _unknown(defaults, CLUSTER_KEYS - {"name", "nodes"}, path + " defaults")
    raw_clusters = doc.get("clusters")
    if not isinstance(raw_clusters, list) or not raw_clusters:
        raise InventoryError("%s: 'clusters' must be a non-empty list" % path)
    clusters = []
    for index, raw in enumerate(raw_clusters):
        where = "%s cluster %d" % (path, index + 1)
        if isinstance(raw, dict) and raw.get("name"):
            where = "%s cluster %s" % (path, raw["name"])
        _unknown(raw, CLUSTER_KEYS, where)
        clusters.append(Cluster(_merge(defaults, raw), where))
    settings = {}
    for fmt, known in FORMAT_SETTINGS.items():
        given = doc.get(fmt) or {}
        _unknown(given, set(known), "%s %s" % (path, fmt))
        settings[fmt] = dict(known, **given)
    runbook = str(doc.get("runbook_url") or DEFAULT_RUNBOOK)
    inventory = Inventory(clusters, settings, runbook, path)
    check_unique(inventory)
    return inventory


def check_unique(inventory):
    """Cluster names and every host name are unique across the inventory."""
    seen = {}
    for cluster in inventory.clusters:
        key = (cluster.name.lower(), cluster.prism.lower(), cluster.port)
        if key in seen:
            raise InventoryError("%s: cluster %s on %s:%d is listed twice" % (
                inventory.path, cluster.name, cluster.prism, cluster.port))
        seen[key] = cluster
    hosts = {}
    for cluster in inventory.clusters:
        names = [(cluster.host_name, "cluster %s" % cluster.name)]
        names += [(cluster.node_host(n), "node %s of %s" % (n.name, cluster.name))
                  for n in cluster.nodes]
        for name, what in names:
            _check_name(name, "%s %s" % (inventory.path, what), "host name")
            other = hosts.get(name.lower())
            if other:
                raise InventoryError(
                    "%s: host name %s is used by %s and %s; set node_host_name: "
                    "\"{cluster}-{node}\" on one cluster, or host_name" % (
                        inventory.path, name, other, what))
            hosts[name.lower()] = what


def load(path):
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            doc = yaml.safe_load(handle)
    except OSError as exc:
        raise InventoryError("cannot read inventory %s: %s" % (path, exc.strerror)) from None
    except yaml.YAMLError as exc:
        raise InventoryError("inventory %s is not valid YAML: %s" % (
            path, " ".join(str(exc).split()))) from None
    return parse(doc, path)
