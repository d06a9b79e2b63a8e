"""Prism Element or Prism Central? Both answer v2.0 `cluster`; Prism Central's is itself."""

CLUSTER_PATH = "/api/nutanix/v2.0/cluster"


def kind_of(cluster_doc):
    """'pc' or 'pe' from the v2.0 `cluster` answer."""
    if not isinstance(cluster_doc, dict):
        return "pe"
    version = str(cluster_doc.get("version") or "").lower()
    functions = [str(f).upper() for f in (cluster_doc.get("cluster_functions") or [])]
    # Prism Central versions read "pc.2024.3" / "pc7.5"; Checkmk keys on `multicluster` too.
    if version.startswith("pc") or "PRISM_CENTRAL" in functions or "MULTICLUSTER" in functions:
        return "pc"
    if not version and cluster_doc.get("multicluster") is True:
        return "pc"
    return "pe"


def detect(client):
    """(kind, the v2.0 cluster document) for the client's target."""
    doc = client.get(CLUSTER_PATH)
    return kind_of(doc), doc
