"""Prism failures, each phrased as what failed and what to do."""

from ..plugin.errors import PluginError


class PrismHTTPError(PluginError):
    """Prism answered with an HTTP error status."""

    def __init__(self, message, status, path):
        PluginError.__init__(self, message)
        self.status = status
        self.path = path


_ADVICE = {
    403: "the user lacks permission: give it at least the Viewer role",
    404: "this endpoint does not exist here: is the target the right kind "
         "(Prism Element VIP vs Prism Central) and AOS version?",
    412: "this endpoint exists only on Prism Element: point -H at the cluster VIP",
    429: "Prism is rate limiting: lower the check frequency or raise --cache-ttl",
    500: "Prism hit an internal error: check the Prism service on the cluster",
    502: "the Prism gateway could not reach its backend: the Prism service may be restarting",
    503: "Prism is unavailable: the Prism service may be restarting or overloaded",
    504: "the Prism gateway timed out: the cluster may be overloaded",
}


def http_error(status, reason, method, path):
    advice = _ADVICE.get(status) or (
        "Prism failed: check the Prism service" if status >= 500 else "unexpected answer")
    return PrismHTTPError(
        "Prism answered HTTP %d %s to %s %s; %s" % (status, reason or "", method, path, advice),
        status, path)
