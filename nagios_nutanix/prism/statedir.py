"""The per-user state directory holding the response cache and session cookies (mode 0700)."""

import os
import re
import stat

from .digest import hexdigest

ENV = "NAGIOS_NUTANIX_STATE_DIR"


def default_path():
    return os.environ.get(ENV) or "/var/tmp/nagios-nutanix-%d" % os.getuid()


def prepare(path):
    """Create/check the directory; returns None when usable, else the reason it is not."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode):
            return "%s is not a directory" % path
        if info.st_uid != os.getuid():
            return "%s belongs to another user (uid %d)" % (path, info.st_uid)
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, 0o700)  # cookies are credentials: owner only
        if not os.access(path, os.W_OK | os.X_OK):
            return "%s is not writable" % path
    except OSError as exc:
        return "%s: %s" % (path, exc.strerror or exc)
    return None


def target_dir(root, host, port, username, fingerprint=""):
    """One sub-directory per Prism target, user and password (a fingerprint, never the secret):
    a wrong password must not read answers fetched with the right one."""
    ident = "%s:%s:%s:%s" % (host, port, username or "", fingerprint)
    digest = hexdigest(ident, 16)
    readable = re.sub(r"[^A-Za-z0-9.-]+", "_", "%s_%s" % (host, port))[:60]
    path = os.path.join(root, "%s-%s" % (readable, digest))
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path
