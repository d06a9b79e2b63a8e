"""The Genesis RPC (`POST v1/genesis`) of a Prism Element -- the ANSWER IS A GUESS.

The envelope is real (reference §3.2 [SEEN]): the request body is
`{"value": "<JSON text of {".oid", ".method", ".kwargs"}>"}`, the answer
`{"value": "<JSON text of {".return": ...}>"}`. What `ClusterManager.get_cluster_status` returns
is NOT known; the payload served here is INFERRED, shaped after `cluster status` (reference
§3.1): one entry per CVM, keyed by its IP, with the CVM's state and, per service, its pid list
(an empty list for a service that is down):

    {"10.10.1.21": {"state": "Up", "services": {"Zeus": [3811, 3852], "Stargate": [], ...}}}

Scenario knobs: `genesis: false` on the cluster makes the RPC answer 404 (as a cluster without
it would), `genesis: 500` (any status) that status; `node_overrides: {node-03: {services:
{stargate: DOWN, curator: DOWN}}}` sets services DOWN/UP or gives explicit pid lists.
"""

import json
from typing import Any

from .routing import Reply, Request, legacy_error
from .world import Cluster, Node, stable_int

# Service lines of `cluster status` on AOS 6.x (reference §3.1, a subset). No "Cassandra"
# line: the metadata store shows as Medusa there.
SERVICES = (
    "Zeus", "Scavenger", "Xmount", "SysStatCollector", "IkatProxy", "IkatControlPlane",
    "SSLTerminator", "SecureFileSync", "Medusa", "DynamicRingChanger", "Pithos", "InsightsDB",
    "Athena", "Mercury", "Mantle", "VipMonitor", "Stargate", "InsightsDataTransfer", "Ergon",
    "GoErgon", "Cerebro", "Chronos", "Curator", "Prism", "Hera", "CIM", "AlertManager",
    "Arithmos", "Catalog", "Acropolis", "Uhura", "NutanixGuestTools", "MinervaCVM",
    "ClusterConfig", "APLOSEngine", "APLOS", "Lazan", "Delphi", "Security", "Flow", "Anduril",
    "ClusterHealth",
)


def _pids(node: Node, service: str) -> list[int]:
    base = 3000 + stable_int(28000, node.name, service)
    return [base + k * 3 for k in range(4)]


def cvm_status(node: Node) -> dict[str, Any]:
    """One CVM's entry (INFERRED shape)."""
    if node.cvm_power_state != "on":
        return {"state": "Down", "services": {}}
    overrides = {str(k).lower(): v for k, v in (node.services or {}).items()}
    services: dict[str, Any] = {}
    for name in SERVICES:
        services[name] = _pids(node, name)
    known = {name.lower(): name for name in SERVICES}
    for key, value in overrides.items():
        name = known.get(key, key)
        if isinstance(value, list):
            services[name] = [int(p) for p in value]
        elif str(value).upper() == "DOWN":
            services[name] = []
        else:
            services[name] = _pids(node, name)
    return {"state": "Up", "services": services}


def cluster_status(cluster: Cluster) -> dict[str, Any]:
    return {node.cvm_ip: cvm_status(node) for node in cluster.nodes}


class GenesisRpc:
    """The handler of `POST v1/genesis` for one cluster."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        setting = getattr(cluster, "genesis", True)
        if setting is True or setting is None:
            self.status = 200
        elif setting is False:
            self.status = 404
        else:
            self.status = int(setting)
        self.answer = Reply(200, {"value": json.dumps({".return": cluster_status(cluster)})})

    def handle(self, req: Request) -> Reply:
        if self.status == 404:
            return legacy_error(404, "Resource not found")
        if self.status != 200:
            return legacy_error(self.status, "Genesis RPC failed")  # INFERRED text
        body = req.body if isinstance(req.body, dict) else {}
        try:
            call = json.loads(body.get("value") or "")
        except (TypeError, ValueError):
            return legacy_error(400, "Request value is not a JSON-encoded RPC")  # INFERRED
        if not isinstance(call, dict) or call.get(".oid") != "ClusterManager":
            return legacy_error(500, "Unknown RPC object")  # INFERRED
        if call.get(".method") != "get_cluster_status":
            return legacy_error(500, "Unknown RPC method %s" % call.get(".method"))  # INFERRED
        return self.answer
