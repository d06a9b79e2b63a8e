"""Ask Prism for the nodes of the inventory's `discover: true` clusters.

One cluster that cannot be asked (unreachable, refused, unknown on Prism Central) is reported
and left out; the others still generate. Progress goes to stderr only when it is a terminal.

Credentials: the auth file (--discovery-auth-file, else the cluster's own when this user can
read it) gives the user and the password together; the inventory's username is used only when
the file names none. Discovery is asked for by a person: it always asks Prism, even when the
checks' shared state remembers a recent failure for the same account (which makes the checks
wait before asking again, see prism/session.py); a success clears that memory.
"""

import argparse
import os

from ..plugin import credentials
from ..plugin.budget import Budget
from ..plugin.context import Context
from ..plugin.errors import PluginError
from ..plugin.options import DEFAULT_CACHE_TTL
from .inventory import Node


class Failure:
    def __init__(self, cluster, reason):
        self.cluster = cluster
        self.reason = reason

    def __str__(self):
        return "%s (%s): %s" % (self.cluster.name, self.cluster.prism, self.reason)


def _options(cluster, auth_file, timeout, state_dir, environ):
    creds = cluster.credentials
    if not auth_file and creds["auth_file"] and os.access(creds["auth_file"], os.R_OK):
        auth_file = creds["auth_file"]
    from_file = credentials.read_auth_file(auth_file) if auth_file else {}
    # A password from a file goes with that file's user: the inventory's username names the
    # account of the engine's password (password_macro), not necessarily the file's.
    username = from_file.get("username") or creds["username"] or None
    password = None if from_file.get("password") else (creds["password"] or None)
    options = argparse.Namespace(
        hostname=cluster.prism, port=cluster.port, username=username, password=password,
        auth_file=auth_file or None, cluster=cluster.cluster_option or None,
        ca_file=cluster.ca_file or None, insecure=cluster.insecure, timeout=timeout,
        cache_ttl=DEFAULT_CACHE_TTL, state_dir=state_dir, verbose=0)
    credentials.resolve(options, environ)
    if not options.username or not options.password:
        how = ("its password is a macro (%s) only the monitoring engine knows; "
               % creds["password_macro"]) if creds["password_macro"] else ""
        raise PluginError("no credentials to ask Prism with: %sgive --discovery-auth-file, "
                          "NUTANIX_USERNAME/NUTANIX_PASSWORD, or an auth file this user can "
                          "read" % how)
    return options


def discover_cluster(cluster, auth_file=None, timeout=30, state_dir=None, environ=os.environ):
    """The cluster's nodes as inventory Nodes, from Prism (raises PluginError)."""
    from ..prism import inventory

    options = _options(cluster, auth_file, timeout, state_dir, environ)
    context = Context(options, Budget(timeout))
    sessions = context.prism().sessions
    if sessions is not None:  # a person asked: a remembered failure must not answer for Prism
        sessions.clear_failure()
    found = inventory.collect(context)
    return [Node(name=n.name, host_ip=n.host_ip, cvm_ip=n.cvm_ip, cvm_name=n.cvm_name,
                 serial=n.serial, block_serial=n.block_serial, uuid=n.uuid)
            for n in found.nodes]


class Progress:
    """`discovering 2/3: PROD-A` on one rewritten line, only on a terminal."""

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.shown = total > 0 and hasattr(stream, "isatty") and stream.isatty()
        self.width = 0

    def step(self, index, name):
        if self.shown:
            text = "discovering %d/%d: %s" % (index, self.total, name)
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()

    def done(self):
        if self.shown:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def discover(inventory, stderr, auth_file=None, timeout=30, state_dir=None,
             environ=os.environ, ask=None):
    """Fill the nodes of every `discover: true` cluster; return the failures (those clusters
    are removed from the inventory)."""
    ask = ask or discover_cluster
    wanted = [c for c in inventory.clusters if c.discover]
    progress = Progress(stderr, len(wanted))
    failures = []
    for index, cluster in enumerate(wanted, 1):
        progress.step(index, cluster.name)
        try:
            cluster.nodes = ask(cluster, auth_file=auth_file, timeout=timeout,
                                state_dir=state_dir, environ=environ)
        except PluginError as exc:
            failures.append(Failure(cluster, str(exc)))
        except Exception as exc:  # one broken answer must not lose the other clusters
            failures.append(Failure(cluster, "%s: %s" % (type(exc).__name__, exc)))
    progress.done()
    failed = {id(f.cluster) for f in failures}
    inventory.clusters = [c for c in inventory.clusters if id(c) not in failed]
    return failures
