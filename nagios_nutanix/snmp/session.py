"""The SNMP interface the checks use: get scalars, walk tables into rows, typed values.

A backend (easysnmp or pysnmp) only moves varbinds: `get(oids, timeout, retries)` and
`bulk(oids, max_repetitions, timeout, retries, non_repeaters=0)` return `[(oid, value)]` with
numeric OIDs without a leading dot and values as Python `str`/`int`, or one of the markers
below. Everything else (GETBULK table walks, the time budget, what an error means, resolving
the agent's address) lives here, once.
"""

from ..plugin.errors import PluginError, UsageError


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


NO_SUCH_OBJECT = _Marker("noSuchObject")
NO_SUCH_INSTANCE = _Marker("noSuchInstance")
END_OF_MIB_VIEW = _Marker("endOfMibView")
MISSING = (NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW)

BACKENDS = ("auto", "easysnmp", "pysnmp")
AUTH_PROTOCOLS = ("MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512")
PRIV_PROTOCOLS = ("DES", "AES", "AES-192", "AES-256")
SECURITY_LEVELS = ("noAuthNoPriv", "authNoPriv", "authPriv")

# Varbinds asked for in one GETBULK (split across the columns walked together): about 4 KB
# answers, few round trips. Agents may send fewer (snmpsim caps a response at its
# --max-var-binds, Net-SNMP at its message size); the walk copes with any count.
BULK_VARBINDS = 100
MAX_REQUESTS = 5000  # a walk that needs more is looping: stop it
# Time held back from each request's timeout so that the run still reports within -t: the
# larger of a fixed part and a share of what is left.
MARGIN_S = 0.2
MARGIN_SHARE = 0.1
NUTANIX_PREFIX = "1.3.6.1.4.1.41263."  # mib.NUTANIX, without importing mib on every run


class BackendError(Exception):
    """What a backend reports: kind is timeout | auth | error; detail is its own words."""

    def __init__(self, kind, detail):
        Exception.__init__(self, detail)
        self.kind = kind
        self.detail = detail


class SnmpError(PluginError):
    """An SNMP failure: its message names the agent and what was asked."""


class NoSuchObject(SnmpError):
    """The agent serves none of the objects asked (noSuchObject): the one SNMP failure a check
    may take as "this agent lacks that part". Timeouts and refused credentials are not."""


def resolve(host, port):
    """(ipv6, address) of the agent: IPv4 first (as Net-SNMP's default udp transport), then
    IPv6 (an IPv6 literal or a name with only AAAA records). Both backends use it, so a name
    that does not resolve reads the same with either. (CPython's _socket: the socket module's
    enums cost a few ms of start-up for nothing used here.)"""
    import _socket

    error = None
    for family in (_socket.AF_INET, _socket.AF_INET6):
        try:
            info = _socket.getaddrinfo(host, port, family, _socket.SOCK_DGRAM)
        except (OSError, UnicodeError) as exc:
            error = error or exc
            continue
        if info:
            return family == _socket.AF_INET6, info[0][4]
    raise BackendError("error", "cannot resolve %s: %s" % (host, error))


class Target:
    """Where and how to ask: address, port, version and credentials, per-request timing."""

    __slots__ = ("host", "port", "version", "community", "user", "level", "auth_protocol",
                 "auth_password", "priv_protocol", "priv_password", "timeout", "retries",
                 "nutanix")

    def __init__(self, host, port=161, version="2c", community=None, user=None, level=None,
                 auth_protocol="SHA", auth_password=None, priv_protocol="AES",
                 priv_password=None, timeout=2.0, retries=1, nutanix=True):
        self.host = host
        self.port = port
        self.version = version
        self.community = community
        self.user = user
        self.level = level
        self.auth_protocol = auth_protocol
        self.auth_password = auth_password
        self.priv_protocol = priv_protocol
        self.priv_password = priv_password
        self.timeout = timeout
        self.retries = retries
        self.nutanix = nutanix  # the Nutanix agent (NUTANIX-MIB), not a host's own agent

    @property
    def label(self):
        """`127.0.0.1:161 (SNMP v2c)`, `[::1]:161 (...)`: how messages name the agent (no
        secret in it)."""
        if self.version == "3":
            how = "SNMP v3 user %s, %s" % (self.user, self.level)
        else:
            how = "SNMP v2c"
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s:%d (%s)" % (host, self.port, how)


def security_level(options):
    """The v3 security level asked for, or the strongest the given passwords allow."""
    if options.security_level:
        return options.security_level
    if options.priv_password:
        return "authPriv"
    if options.auth_password:
        return "authNoPriv"
    return "noAuthNoPriv"


def target_from_options(options, host=None):
    host = host or options.hostname
    if not host:
        raise UsageError("give -H/--hostname: the SNMP agent's address")
    version = options.snmp_version
    if version == "1":
        raise UsageError("SNMP v1 is not supported: NUTANIX-MIB serves Counter64 values, which "
                         "v1 cannot carry; use --snmp-version 2c or 3")
    nutanix = getattr(options, "snmp_nutanix_agent", True)
    target = Target(host, options.snmp_port, version, timeout=options.snmp_timeout,
                    retries=options.snmp_retries, nutanix=nutanix)
    if version == "2c":
        if not options.community:
            raise UsageError("SNMP v2c needs a community: -C/--community, 'community = ...' in "
                             "--auth-file, or NUTANIX_SNMP_COMMUNITY")
        target.community = options.community
        return target
    if not options.snmp_user:
        raise UsageError("SNMP v3 needs --snmp-user (or snmp_user in the auth file)%s%s" % (
            "; the Nutanix agent serves v3 users configured in Prism" if nutanix else "",
            "; a community (-C) needs --snmp-version 2c" if options.community else ""))
    level = security_level(options)
    if level in ("authNoPriv", "authPriv"):
        _check_password("--auth-password", options.auth_password, level)
    if level == "authPriv":
        _check_password("--priv-password", options.priv_password, level)
    target.user = options.snmp_user
    target.level = level
    target.auth_protocol = options.auth_protocol
    target.auth_password = options.auth_password
    target.priv_protocol = options.priv_protocol
    target.priv_password = options.priv_password
    return target


def _check_password(flag, value, level):
    if not value:
        raise UsageError("security level %s needs %s (or in --auth-file)" % (level, flag))
    if len(value) < 8:
        raise UsageError("%s must have at least 8 characters (SNMP v3 USM rule)" % flag)


def load_backend(name):
    """The backend module for --snmp-backend NAME (auto prefers easysnmp when it imports)."""
    if name in ("auto", "easysnmp"):
        try:
            from . import easysnmp_backend

            easysnmp_backend.available()
            return easysnmp_backend
        except ImportError as exc:
            if name == "easysnmp":
                raise PluginError(
                    "--snmp-backend easysnmp: the easysnmp module cannot be imported (%s); "
                    "install it (pip install easysnmp, which builds against Net-SNMP's "
                    "libsnmp-dev) or use --snmp-backend pysnmp" % exc) from None
    try:
        from . import pysnmp_backend

        pysnmp_backend.available()
        return pysnmp_backend
    except ImportError as exc:
        if name == "pysnmp":
            raise PluginError("--snmp-backend pysnmp: pysnmp 7 cannot be imported (%s); "
                              "install it: pip install 'pysnmp>=7.1' cryptography" % exc) from None
        raise PluginError("no SNMP backend can be imported (%s): install easysnmp or pysnmp "
                          "(pip install 'nagios-nutanix[snmp]')" % exc) from None


def open_agent(context, host=None):
    """The Agent for -H (or `host`), with the backend --snmp-backend chooses."""
    options = context.options
    target = target_from_options(options, host)
    backend = load_backend(options.snmp_backend)
    context.note("SNMP backend %s" % backend.NAME)
    context.debug("SNMP agent %s, backend %s" % (target.label, backend.NAME))
    return Agent(backend.Session(target), target, context.budget, context)


def _oid_key(oid):
    return tuple(int(part) for part in oid.split(".") if part)


class Agent:
    """One SNMP agent: named scalars and table rows, errors that say which agent and table."""

    def __init__(self, session, target, budget, context=None):
        self.session = session
        self.target = target
        self.budget = budget
        self.context = context
        self.requests = 0
        self.extra = []  # (name, oid) scalars to ask along with the next request
        self.scalars = {}  # their answers: name -> value, None when not served
        self.nutanix_seen = False  # the agent has answered some NUTANIX-MIB object

    @property
    def label(self):
        return self.target.label

    def also_ask(self, named_oids):
        """Ask these scalars along with the next request (a GET, or the first GETBULK of a
        walk as non-repeaters): no round trip of their own. Answers land in `scalars`."""
        self.extra += list(named_oids)

    def _timing(self, what):
        left = self.budget.timeout("asking SNMP agent %s for %s" % (self.target.host, what))
        tries = self.target.retries + 1
        usable = left - max(MARGIN_S, MARGIN_SHARE * left)
        return min(self.target.timeout, max(0.05, usable / tries)), self.target.retries

    def _call(self, what, method, *args, **kwargs):
        timeout, retries = self._timing(what)
        self.requests += 1
        if self.requests > MAX_REQUESTS:
            raise SnmpError("SNMP agent %s: %s needs more than %d requests; the agent seems to "
                            "loop" % (self.label, what, MAX_REQUESTS))
        try:
            varbinds = method(*args, timeout=timeout, retries=retries, **kwargs)
        except BackendError as exc:
            raise SnmpError(self._explain(exc, what, timeout, retries)) from None
        if not self.nutanix_seen:
            self.nutanix_seen = any(oid.startswith(NUTANIX_PREFIX) and value not in MISSING
                                    for oid, value in varbinds)
        return varbinds

    def _explain(self, exc, what, timeout, retries):
        target = self.target
        if exc.kind == "timeout":
            if target.version == "3":
                hint = ("check that the agent runs on the CVM/host, that UDP port %d is open to "
                        "this poller, and the v3 user and engine" % target.port)
            else:
                hint = ("check that the agent runs, that UDP port %d is open to this poller, and "
                        "the community (an agent does not answer a wrong community)%s"
                        % (target.port, "; the Nutanix agent may answer SNMP v3 only "
                           "(--snmp-version 3)" if target.nutanix else ""))
            return "no answer from SNMP agent %s for %s within %.1fs (%d %s): %s" % (
                self.label, what, timeout, retries + 1, "try" if retries == 0 else "tries", hint)
        if exc.kind == "auth":
            return "SNMP agent %s refused the v3 credentials asking for %s: %s" % (
                self.label, what, exc.detail)
        return "SNMP agent %s failed asking for %s: %s" % (self.label, what, exc.detail)

    def get(self, named_oids, what):
        """{name: value} for [(name, oid)]; a value the agent lacks is None. Raises NoSuchObject
        when the agent serves none of them."""
        oids = [oid for _, oid in named_oids]
        extra, self.extra = self.extra, []
        asked = oids + [oid for _, oid in extra if oid not in oids]
        answer = dict(self._call(what, self.session.get, asked))
        for name, oid in extra:
            self.scalars[name] = _present(answer.get(oid))
        values = {name: _present(answer.get(oid)) for name, oid in named_oids}
        if all(v is None for v in values.values()):
            raise NoSuchObject("SNMP agent %s does not serve %s (noSuchObject for %s)%s" % (
                self.label, what, oids[0], self._mib_hint(oids[0], "them")))
        return values

    def _mib_hint(self, oid, noun="that table"):
        if oid.startswith(NUTANIX_PREFIX):
            if self.nutanix_seen:
                return (", though the agent answers other NUTANIX-MIB objects: this AOS version "
                        "does not serve %s" % noun)
            return ": is -H a CVM or the cluster VIP with SNMP enabled in Prism?"
        if oid.startswith(("1.3.6.1.2.1.25.", "1.3.6.1.4.1.2021.")):
            return (": is -H the AHV host, with an agent serving HOST-RESOURCES-MIB and "
                    "UCD-SNMP-MIB?")
        return ""

    def walk(self, columns, what):
        """{column_oid: [(index, value)]}: GETBULK over several columns at once (the scalars
        of also_ask() ride on the first request as non-repeaters)."""
        found = {column: [] for column in columns}
        last = {column: column for column in columns}
        active = list(columns)
        extra, self.extra = self.extra, []
        while active:
            repetitions = max(1, BULK_VARBINDS // len(active))
            # GETNEXT of a scalar's object (x.0 without .0) answers x.0 when it is served.
            before = [oid[:-2] if oid.endswith(".0") else oid for _, oid in extra]
            varbinds = self._call(what, self.session.bulk, before + [last[c] for c in active],
                                  repetitions, non_repeaters=len(before))
            if not varbinds:
                raise SnmpError("SNMP agent %s sent an empty GETBULK answer for %s"
                                % (self.label, what))
            scalars, varbinds = varbinds[:len(extra)], varbinds[len(extra):]
            for (name, oid), (got, value) in zip(extra, scalars):
                self.scalars[name] = _present(value) if got == oid else None
            extra = []
            finished = set()
            for position, (oid, value) in enumerate(varbinds):
                column = active[position % len(active)]
                if column in finished:
                    continue
                if value in MISSING or not oid.startswith(column + "."):
                    finished.add(column)
                    continue
                if _oid_key(oid) <= _oid_key(last[column]):
                    raise SnmpError("SNMP agent %s returned OIDs out of order in %s (%s after "
                                    "%s)" % (self.label, what, oid, last[column]))
                found[column].append((oid[len(column) + 1:], value))
                last[column] = oid
            active = [c for c in active if c not in finished]
        return found

    def table(self, table, columns=None, required=True):
        """Rows of `table` keyed by index: {index: {column: value}}, sorted by index.

        An empty table raises SnmpError when `required` (it is then the whole answer)."""
        names = list(columns or table.columns)
        column_oids = ["%s.%d" % (table.entry, table.columns[n]) for n in names]
        what = "%s (%s)" % (table.name, table.entry.rsplit(".", 1)[0])
        found = self.walk(column_oids, what)
        rows = {}
        for name, column in zip(names, column_oids):
            for index, value in found[column]:
                rows.setdefault(index, {})[name] = value
        if not rows and required:
            raise SnmpError("SNMP agent %s: %s is empty%s" % (
                self.label, what, self._mib_hint(table.entry)))
        ordered = {}
        for index in sorted(rows, key=_oid_key):
            row = rows[index]
            for name in names:
                row.setdefault(name, None)
            ordered[index] = row
        return ordered

    def close(self):
        self.session.close()


def _present(value):
    """None for a value the agent lacks (or did not send)."""
    return None if value is None or value in MISSING else value


def text(value):
    """A DisplayString as text: None stays None, surrounding quotes and blanks go (some agents
    wrap ids in double quotes; Centreon strips them the same way)."""
    if value is None:
        return None
    value = str(value).strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].strip()
    return value


def number(value):
    """A number from an SNMP number or numeric string: an int, a float for a decimal string
    ("0.52", UCD-SNMP-MIB's laLoad), None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip().strip('"'))
    except ValueError:
        try:
            result = float(str(value).strip().strip('"'))
        except ValueError:
            return None
        return result if result == result else None
