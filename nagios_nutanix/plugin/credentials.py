"""Credentials from the command line, an auth file (mode 0600 or stricter) or the environment.

Precedence: command line, then auth file, then NUTANIX_USERNAME / NUTANIX_PASSWORD. The auth
file keeps secrets out of `ps` and out of monitoring configuration.
"""

import os
import stat

from .errors import UsageError

ENVIRONMENT = {"username": "NUTANIX_USERNAME", "password": "NUTANIX_PASSWORD"}


def read_auth_file(path):
    """`key = value` lines (# comments allowed) from a file only its owner can read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise UsageError("cannot read auth file %s: %s" % (path, exc.strerror)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError("auth file %s is not a regular file" % path)
        if info.st_mode & 0o077:
            raise UsageError(
                "auth file %s is readable or writable by group/others (mode %04o); "
                "refusing to use it: run chmod 600 %s" % (path, stat.S_IMODE(info.st_mode), path))
        with os.fdopen(fd, encoding="utf-8") as handle:
            fd = None
            text = handle.read()
    finally:
        if fd is not None:
            os.close(fd)
    values = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise UsageError("auth file %s line %d: expected key = value" % (path, number))
        values[key.strip().lower().replace("-", "_")] = value.strip()
    return values


# SNMP checks' secrets, filled the same way when the check has those options.
SNMP_ENVIRONMENT = {
    "community": "NUTANIX_SNMP_COMMUNITY",
    "snmp_user": "NUTANIX_SNMP_USER",
    "auth_password": "NUTANIX_SNMP_AUTH_PASSWORD",
    "priv_password": "NUTANIX_SNMP_PRIV_PASSWORD",
}


def resolve(options, environ=os.environ):
    """Fill options.username / options.password (and an SNMP check's community and v3
    secrets) from the auth file and environment."""
    from_file = read_auth_file(options.auth_file) if options.auth_file else {}
    wanted = dict(ENVIRONMENT)
    if hasattr(options, "community"):
        wanted.update(SNMP_ENVIRONMENT)
    for key, variable in wanted.items():
        if getattr(options, key, None):
            continue
        value = from_file.get(key) or environ.get(variable)
        setattr(options, key, value or None)
    return options
