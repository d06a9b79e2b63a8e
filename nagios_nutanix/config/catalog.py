"""What generated monitoring configuration needs to know about each check, read from its
declaration (CheckSpec) and the command line built from it. Nothing here names a check: a check
registered later is picked up as it is.

Macros are named once, here, and used by every output format:
- host macros: how to reach Prism or the SNMP agent (`NTNX_*`), and the options of a check that
  describe the host rather than the service (FILTERNAME, the node a node host stands for);
- service macros: `WARNING`/`CRITICAL` for a check's -w/-c, the other options a declaration
  gives a macro (e.g. `WARNINGCPU`, `FILTERCONTAINER`), and `EXTRAOPTIONS` for anything else.

Which thresholds judge a metric is read from the metric's declared description, where every
check names them ("-w/-c apply", "--warning-cpu/--critical-cpu apply", "--container-warning/
--container-critical (default -w/-c) apply"); a threshold pair no metric names is left out of
the outputs that need the link (LogicMonitor's datapoint thresholds, see `levels`).
"""

import re

from ..checks import all_specs
from ..nodes import FILTER_OPTIONS
from ..plugin.credentials import ENVIRONMENT, SNMP_ENVIRONMENT
from ..plugin.options import build_parser
from ..plugin.perfdata import format_number
from ..plugin.runner import SECRET_OPTIONS

# Options whose value belongs to the host: the node a node host stands for. A filter of other
# objects (a container, a pool, a disk) has a macro of its own, a service macro.
HOST_OPTION_MACROS = tuple(option.macro for option in FILTER_OPTIONS)
# Secret options and the environment variable the checks also read each from: configuration
# that can set a check's environment (Icinga 2) passes secrets there, out of `ps`.
SECRET_ENVIRONMENT = {dest: variable for dest, variable in
                      dict(ENVIRONMENT, **SNMP_ENVIRONMENT).items() if dest in SECRET_OPTIONS}
# Command-line options that are the plugin's business, not configuration.
NOT_CONFIGURED = ("help", "version", "verbose", "output", "discover")


class Macro:
    """One custom macro: its name, the option it feeds, its default and what it means.

    `raw` macros are pasted into the command line unquoted (extra options, flags).
    """

    __slots__ = ("name", "flag", "description", "default", "password", "raw", "builtin")

    def __init__(self, name, flag, description, default="", password=False, raw=False,
                 builtin=False):
        self.name = name
        self.flag = flag
        self.description = description
        self.default = default
        self.password = password
        self.raw = raw
        self.builtin = builtin  # a standard macro of the engine ($HOSTADDRESS$), not custom

    def argument(self, kind):
        """The command-line text for a HOST or SERVICE macro: `--flag='$_HOSTNAME$'`."""
        reference = "$%s$" % self.name if self.builtin else "$_%s%s$" % (kind, self.name)
        if self.raw:
            return reference
        return "%s='%s'" % (self.flag, reference)

    def __repr__(self):
        return "Macro(%r)" % self.name


# How a host reaches what a check asks, per protocol (CheckSpec.protocol). Each flag is checked
# against the real command line of every check in tests/unit/test_templates_catalog.py.
CONNECTION = {
    "prism": (
        Macro("NTNX_PRISM", "--hostname", "Prism Element VIP or Prism Central address"),
        Macro("NTNX_PORT", "--port", "Prism HTTPS port", "9440"),
        Macro("NTNX_AUTH_FILE", "--auth-file", "file of 'username = ...' and 'password = ...' "
              "lines, mode 0600, readable by the monitoring user"),
        Macro("NTNX_USERNAME", "--username", "Prism user, when there is no auth file"),
        Macro("NTNX_PASSWORD", "--password", "Prism password, when there is no auth file "
              "(on the command line: visible in ps on the poller)", password=True),
        Macro("NTNX_CLUSTER", "--cluster", "the cluster's name when the address is Prism "
              "Central"),
        Macro("NTNX_CA_FILE", "--ca-file", "CA bundle that signed the Prism certificate"),
        Macro("NTNX_EXTRAOPTIONS", None, "more common options for every check of the host, "
              "e.g. --insecure or -t 20", raw=True),
    ),
    "snmp": (
        Macro("NTNX_SNMP_ADDRESS", "--hostname", "SNMP agent: a CVM or the cluster VIP for "
              "NUTANIX-MIB"),
        Macro("NTNX_SNMP_PORT", "--snmp-port", "UDP port of the SNMP agent", "161"),
        Macro("NTNX_SNMP_VERSION", "--snmp-version", "SNMP version, 3 (what Prism configures) "
              "or 2c", "3"),
        Macro("NTNX_SNMP_AUTH_FILE", "--auth-file", "file of 'community = ...' (v2c) or "
              "'snmp_user = ...', 'auth_password = ...', 'priv_password = ...' (v3) lines, "
              "mode 0600"),
        Macro("NTNX_SNMP_COMMUNITY", "--community", "SNMP v2c community, when there is no auth "
              "file (on the command line: visible in ps on the poller)", password=True),
        Macro("NTNX_SNMP_USER", "--snmp-user", "SNMP v3 user, when there is no auth file"),
        Macro("NTNX_SNMP_EXTRAOPTIONS", None, "more SNMP options for every check of the host, "
              "e.g. --security-level authPriv --auth-protocol SHA-256", raw=True),
    ),
}

# MIBs served by the Nutanix agent of the CVMs (cluster-wide tables; FILTERNAME picks a node's
# rows). Any other MIB of an SNMP check is the host's own agent: -H is the host's address.
CLUSTER_AGENT_MIBS = ("NUTANIX-MIB",)
HOST_ADDRESS = Macro("HOSTADDRESS", "--hostname", "the host's own SNMP agent (its address)",
                     builtin=True)

EXTRAOPTIONS = Macro("EXTRAOPTIONS", None, "more options of this check, e.g. -v", raw=True)


def macro_default(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def anchor(heading):
    """The anchor a Markdown renderer (GitHub's rules) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def title_words(text):
    """`snmp-cluster` -> `Snmp-Cluster`, `prism-element` -> `Prism-Element` (names of
    generated objects)."""
    return "-".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def service_name(check_name):
    """`cvm` -> `Nutanix-Cvm`, `snmp-cluster` -> `Nutanix-Snmp-Cluster`."""
    return "Nutanix-" + title_words(check_name)


def expand_help(text, values):
    """A help text as --help shows it: argparse's %(name)s expanded, white space folded."""
    text = text or ""
    if "%(" in text:
        try:
            text = text % values
        except (KeyError, TypeError, ValueError):
            pass
    return " ".join(text.replace("%%", "%").split())


def option_help(option):
    """An Option's help as --help shows it."""
    return expand_help(option.help, {"default": option.default, "metavar": option.metavar,
                                     "choices": option.choices})


class Argument:
    """One option of a check's command line (for Icinga 2 CheckCommand arguments)."""

    __slots__ = ("flag", "flags", "dest", "description", "is_flag", "repeat", "required")

    def __init__(self, flags, dest, description, is_flag, repeat, required):
        self.flag = max(flags, key=len)
        self.flags = tuple(flags)
        self.dest = dest
        self.description = description
        self.is_flag = is_flag
        self.repeat = repeat
        self.required = required

    @property
    def secret(self):
        """The environment variable that carries this secret option instead, or None."""
        return SECRET_ENVIRONMENT.get(self.dest)

    @property
    def variable(self):
        return "nutanix_" + self.dest


class Check:
    """A check as configuration sees it."""

    def __init__(self, spec):
        self.spec = spec
        self.name = spec.name
        self.title = spec.title
        self.scope = spec.scope
        self.sources = tuple(spec.sources)
        self.protocol = getattr(spec, "protocol", "prism") or "prism"
        self.command = "check_nutanix_%s" % spec.name
        self.service = service_name(spec.name)
        self.words = title_words(spec.name)
        self.anchor = anchor(spec.name)  # the runbook's section is headed by the check name
        self.family = "Snmp" if self.protocol == "snmp" else "Prism"
        self.host_macros = list(CONNECTION[self.protocol])
        if self.protocol == "snmp" and not any(s in CLUSTER_AGENT_MIBS for s in self.sources):
            self.host_macros[0] = HOST_ADDRESS  # e.g. HOST-RESOURCES-MIB of the AHV host
        self.service_macros = []
        if spec.main_metric:
            self.service_macros.append(Macro(
                "WARNING", "--warning", "warning range for %s (empty: none)" % spec.main_metric,
                macro_default(spec.default_warning)))
            self.service_macros.append(Macro(
                "CRITICAL", "--critical", "critical range for %s (empty: none)"
                % spec.main_metric, macro_default(spec.default_critical)))
        for option in spec.options:
            if not option.macro:
                continue
            flag = max(option.flags, key=len)
            macro = Macro(option.macro, flag, option_help(option),
                          macro_default(option.default), raw=option.type == "flag")
            if option.macro in HOST_OPTION_MACROS:
                self.host_macros.append(macro)
            else:
                self.service_macros.append(macro)
        self.service_macros.append(EXTRAOPTIONS)

    def command_arguments(self):
        """Nagios/Centreon command-line arguments, host macros first."""
        args = [m.argument("HOST") for m in self.host_macros if not m.raw]
        args += [m.argument("SERVICE") for m in self.service_macros if not m.raw]
        args += [m.argument("HOST") for m in self.host_macros if m.raw]
        args += [m.argument("SERVICE") for m in self.service_macros if m.raw]
        return " ".join(args)

    def arguments(self):
        """Every configurable option of the check's real command line (Icinga 2)."""
        out = []
        for action in build_parser(self.spec, self.command)._actions:
            if not action.option_strings or action.dest in NOT_CONFIGURED:
                continue
            out.append(Argument(
                action.option_strings, action.dest,
                expand_help(action.help, dict(vars(action), prog="")),
                is_flag=action.nargs == 0, repeat=type(action).__name__ == "_AppendAction",
                required=action.dest == "hostname"))
        return out

    def metrics(self):
        return list(self.spec.metrics)

    def levels(self):
        """{metric name: Levels} for every metric whose description names the thresholds that
        judge it, with their default values (metrics with no default threshold left out)."""
        return levels(self.spec)

    def unlinked_thresholds(self):
        """The --warning-X/--critical-X options no metric's description names."""
        named = set()
        for metric in self.spec.metrics:
            named.update(_JUDGED_BY.findall(metric.description or ""))
        return [max(o.flags, key=len) for o in self.spec.options if o.type == "range"
                and not named.intersection(o.flags)]

    def runbook(self):
        return list(self.spec.alerts)


def checks(specs=None):
    """Every registered check, in registry order."""
    return [Check(spec) for spec in (all_specs() if specs is None else specs)]


def host_macros(selected, protocol=None):
    """The custom host macros of several checks, each once, in first-seen order."""
    seen, out = set(), []
    for check in selected:
        if protocol and check.protocol != protocol:
            continue
        for macro in check.host_macros:
            if macro.name not in seen and not macro.builtin:
                seen.add(macro.name)
                out.append(macro)
    return out


# -- the thresholds of a metric ------------------------------------------------------------------
# A flag a metric's description names: -w, -c, --warning-cpu, --container-critical, ...
_JUDGED_BY = re.compile(r"(?<![\w-])(-[wc]|--[a-z0-9]+(?:-[a-z0-9]+)*)(?![\w-])")
# A usage percentage below -w from which an OK line already speaks of capacity planning: the
# first of three graduated levels (planning, -w, -c) where a check declares one.
PLANNING_OPTION = "planning"


class Levels:
    """The default thresholds that judge one metric: a warning and a critical range (text, as
    the options take them, or None) and, where the check has graduated thresholds, the
    planning level below the warning one."""

    __slots__ = ("warning", "critical", "planning")

    def __init__(self, warning, critical, planning=None):
        self.warning = warning
        self.critical = critical
        self.planning = planning

    def __eq__(self, other):
        return isinstance(other, Levels) and (self.warning, self.critical, self.planning) == (
            other.warning, other.critical, other.planning)

    def __repr__(self):
        return "Levels(%r, %r, %r)" % (self.warning, self.critical, self.planning)


def levels(spec):
    """{metric name: Levels} of a check (see Check.levels)."""
    by_flag = {"-w": spec.default_warning, "-c": spec.default_critical}
    planning = None
    for option in spec.options:
        if option.type == "range":
            by_flag.update((flag, option.default) for flag in option.flags)
        if option.dest == PLANNING_OPTION and option.default is not None:
            planning = option.default
    out = {}
    for metric in spec.metrics:
        named = _JUDGED_BY.findall(metric.description or "")
        if metric.name == spec.main_metric and spec.main_metric:
            named = ["-w", "-c"] + named
        # The first named option with a default wins: "--container-warning (default -w)".
        warning = next((by_flag[f] for f in named if f in by_flag and by_flag[f] is not None
                        and ("warning" in f or f == "-w")), None)
        critical = next((by_flag[f] for f in named if f in by_flag and by_flag[f] is not None
                         and ("critical" in f or f == "-c")), None)
        if warning is None and critical is None:
            continue
        graduated = planning if "-w" in named and metric.unit == "%" else None
        out[metric.name] = Levels(warning and str(warning), critical and str(critical),
                                  graduated)
    return out

