"""The target's cluster and nodes, whether -H is a Prism Element VIP or Prism Central."""

from ..plugin.errors import PluginError
from ..plugin.sanitize import clean


def connect(context):
    """(client, "pe" or "pc", the v2.0 cluster document) of the run's target."""
    from . import detect

    client = context.prism()
    kind, doc = detect.detect(client)
    return client, kind, doc


def require_cluster(client, info, wanted):
    """On Prism Element, --cluster may only name the cluster -H already is."""
    if wanted and wanted.lower() not in (info.name.lower(), str(info.uuid).lower()):
        raise PluginError("%s:%s is Prism Element of cluster %s, not %r; drop --cluster or "
                          "fix -H" % (client.host, client.port, info.name, clean(wanted)))


def collect(context):
    """An Inventory: the cluster, its nodes joined with their CVMs, and where they came from."""
    client, kind, doc = connect(context)
    wanted = context.options.cluster
    if kind == "pc":
        from . import central

        return central.inventory(client, doc, wanted)
    from . import element

    found = element.inventory(client, doc)
    require_cluster(client, found.cluster, wanted)
    return found
