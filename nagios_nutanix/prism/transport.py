"""HTTPS to Prism with requests. Imported only on a cache miss: a warm check never pays for
requests' import time."""

import requests

from .. import __version__
from ..plugin.errors import PluginError


class Unreachable(PluginError):
    """The target could not be reached at all (worth remembering for a few seconds)."""


class Answer:
    __slots__ = ("status", "reason", "cookies", "body")

    def __init__(self, status, reason, cookies, body):
        self.status = status
        self.reason = reason
        self.cookies = cookies
        self.body = body


class Transport:
    def __init__(self, host, port, ca_file=None, insecure=False):
        self.host = host
        self.port = port
        self.where = "%s:%s" % (host, port)
        self.base = "https://%s/" % (("[%s]:%s" % (host, port)) if ":" in host else self.where)
        self.session = requests.Session()
        if insecure:
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            self.session.verify = False
        else:
            self.session.verify = ca_file or True
        self.session.headers.update({
            "Accept": "application/json",
            "User-Agent": "nagios-nutanix/%s" % __version__,
        })
        self.session.trust_env = False  # a poller's proxy settings are not meant for the VIP
        self.answered = False

    def send(self, method, path, params, body, headers, timeout, phase):
        url = self.base + path.lstrip("/")
        try:
            response = self.session.request(
                method, url, params=params, json=body, headers=headers,
                timeout=(timeout, timeout), allow_redirects=False)
            content = response.content
        except requests.exceptions.SSLError as exc:
            raise Unreachable(
                "TLS certificate of %s could not be verified (%s); give the cluster's CA with "
                "--ca-file FILE, or --insecure to skip verification"
                % (self.where, _reason(exc, "certificate verify failed"))) from None
        except requests.exceptions.ConnectTimeout:
            raise Unreachable("timed out connecting to %s after %.0fs; check -H/-P, routing and "
                              "firewalls" % (self.where, timeout)) from None
        except requests.exceptions.ReadTimeout:
            silent = "" if self.answered else (
                "; %s accepted the connection but never answered (TLS handshake or HTTP)"
                % self.where)
            raise PluginError("timed out after %.1fs while %s%s; raise -t or check the "
                              "cluster's Prism service" % (timeout, phase, silent)) from None
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise PluginError("truncated answer from Prism %s for %s %s (%s); the connection "
                              "broke mid-answer, try again or check the cluster's Prism service"
                              % (self.where, method, path, _reason(exc, "incomplete body"))
                              ) from None
        except requests.exceptions.ConnectionError as exc:
            raise _connection_error(exc, self.where, method, path) from None
        except requests.exceptions.RequestException as exc:
            raise PluginError("request %s %s to %s failed: %s"
                              % (method, path, self.where, _reason(exc))) from None
        self.answered = True
        cookies = {c.name: c.value for c in response.cookies}
        return Answer(response.status_code, response.reason, cookies, content)


def _reason(exc, fallback=""):
    text = str(exc)
    for marker in ("certificate verify failed", "Name or service not known",
                   "Temporary failure in name resolution", "No address associated",
                   "Connection refused", "IncompleteRead", "Connection reset",
                   "Connection broken", "Network is unreachable", "No route to host"):
        if marker.lower() in text.lower():
            return marker
    return fallback or text.split("(Caused by")[0].strip()[:160]


def _connection_error(exc, where, method, path):
    reason = _reason(exc)
    if reason in ("Name or service not known", "Temporary failure in name resolution",
                  "No address associated"):
        return Unreachable("cannot resolve the Prism address %s (%s); check -H and DNS"
                           % (where.rsplit(":", 1)[0], reason))
    if reason == "Connection refused":
        return Unreachable("connection refused by %s; is this the Prism address and port "
                           "(-H/-P, default 9440) and is Prism up?" % where)
    if reason in ("IncompleteRead", "Connection broken", "Connection reset"):
        return PluginError("truncated answer from Prism %s for %s %s (%s); the connection "
                           "broke mid-answer, try again or check the cluster's Prism service"
                           % (where, method, path, reason))
    if reason in ("Network is unreachable", "No route to host"):
        return Unreachable("cannot reach %s (%s); check routing and firewalls" % (where, reason))
    return Unreachable("cannot connect to %s: %s" % (where, reason))
