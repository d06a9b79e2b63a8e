"""More alerts for scenarios: the ``alert_storm`` generator, and alerts about drives and VMs.

``alert_storm`` keeps a scenario with thousands of alerts short::

    alert_storm:
      count: 3000
      age_minutes: [5, 2880]        # spread evenly, newest first
      templates:
        - title: "Nutanix Guest Tools agent is not reachable on the VM."
          severity: kWarning
          alert_type_uuid: A1081
          share: 8                  # weight of this template in `count`
          entity: vm                # vm | node | cluster
          names: "app-{n:04d}"      # vm names, n = 1, 2, ... within this template
          acknowledged_every: 10    # every 10th alert of this template is acknowledged
          context: {...}            # any other alert key passes through (message, kb_articles...)

In the ``alerts`` list (and in templates), ``disk: SLOT`` next to ``entity: NODE`` makes the
alert about that node's drive, and ``vm: NAME`` about a VM. Prism's exact entity and context
fields for drive and VM alerts are not in the reference notes: the ``disk_serial``/``disk_id``
context keys and the ``disk``/``vm`` entity types are INFERRED.
"""

from typing import Any, Optional

from .world import Cluster, Node, ScenarioError, stable_uuid

_TEMPLATE_ONLY = ("share", "entity", "names", "acknowledged_every")


def storm_specs(cluster: Cluster, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The alert specs an ``alert_storm`` block stands for (none without one)."""
    storm = raw.get("alert_storm")
    if not storm:
        return []
    count = int(storm.get("count", 0))
    templates = list(storm.get("templates") or [])
    if count < 0 or (count and not templates):
        raise ScenarioError("alert_storm needs a count >= 0 and at least one template")
    shares = [float(t.get("share", 1)) for t in templates]
    total_share = sum(shares) or 1.0
    counts = [int(count * s / total_share) for s in shares]
    counts[0] += count - sum(counts)  # rounding remainder to the first template
    low, high = (list(storm.get("age_minutes") or [5, 2880]) + [2880])[:2]
    step = (float(high) - float(low)) / max(1, count - 1)
    specs: list[dict[str, Any]] = []
    for template, how_many in zip(templates, counts):
        entity = str(template.get("entity", "cluster"))
        names = str(template.get("names", "vm-{n:04d}"))
        every = int(template.get("acknowledged_every", 0) or 0)
        for j in range(how_many):
            spec = {k: v for k, v in template.items() if k not in _TEMPLATE_ONLY}
            spec["context"] = dict(template.get("context") or {})
            if entity == "node":
                if not cluster.nodes:
                    raise ScenarioError("alert_storm: entity node needs nodes")
                spec["entity"] = cluster.nodes[j % len(cluster.nodes)].name
            elif entity == "vm":
                spec["vm"] = names.format(n=j + 1)
            elif entity != "cluster":
                raise ScenarioError("alert_storm: entity must be vm, node or cluster, not %r"
                                    % entity)
            if every and (j + 1) % every == 0:
                spec["acknowledged"] = True
            spec["age_minutes"] = round(float(low) + step * len(specs), 3)
            specs.append(spec)
    return specs


def resolve_entity(cluster: Cluster, alert: dict[str, Any], node: Optional[Node]) -> None:
    """Set ``alert["affected"]`` when the alert is about a drive or a VM rather than a host."""
    alert["context"] = dict(alert.get("context") or {})
    if alert.get("disk") is not None:
        if node is None:
            raise ScenarioError("alert %r: disk needs entity: NODE" % alert.get("title"))
        slot = int(alert["disk"])
        disk = next((d for d in node.disks if d.slot == slot), None)
        if disk is None:
            raise ScenarioError("alert %r: %s has no disk in slot %d"
                                % (alert.get("title"), node.name, slot))
        context = alert["context"]
        context.setdefault("disk_serial", disk.serial)  # INFERRED key names
        context.setdefault("disk_id", disk.id.split("::")[-1])
        alert["affected"] = {"type": "disk", "name": disk.serial, "uuid": disk.uuid}
    elif alert.get("vm"):
        name = str(alert["vm"])
        vm = next((v for v in cluster.vms if v.name == name), None)
        uuid = vm.uuid if vm is not None else stable_uuid("storm-vm", cluster.name, name)
        alert["context"].setdefault("vm_name", name)
        alert["affected"] = {"type": "vm", "name": name, "uuid": uuid}


def affected_v2(affected: dict[str, Any]) -> dict[str, Any]:
    """v2.0 ``affected_entities`` item (display names INFERRED)."""
    return {"entity_type": affected["type"], "entity_type_display_name":
            affected["type"].capitalize(), "id": "", "uuid": affected["uuid"],
            "entity_name": affected["name"]}


def affected_v4(affected: dict[str, Any]) -> dict[str, Any]:
    """v4 entity reference (``extId``/``name``/``type``, MODEL)."""
    return {"extId": affected["uuid"], "name": affected["name"], "type": affected["type"]}
