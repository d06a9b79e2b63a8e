"""The command line of a check: common options plus the ones its declaration lists."""

import argparse

from .errors import UsageError
from .ranges import Range, parse_optional

DEFAULT_PORT = 9440
DEFAULT_TIMEOUT = 30
DEFAULT_CACHE_TTL = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit 2; a plugin says UNKNOWN (3)
        raise UsageError("bad command line: %s (see --help)" % message)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog):  # a fixed width keeps --help and the generated docs identical
        argparse.RawDescriptionHelpFormatter.__init__(self, prog, width=100)


def _range(text):
    # An empty value means "no threshold": generated configuration passes empty macros.
    return parse_optional(text)


def _blank_is_default(convert, default):
    """A check option's type where an empty value (an empty macro) means the default."""

    def parse_value(text):
        if isinstance(text, str) and not text.strip():
            return convert(default) if isinstance(default, str) else default
        return convert(text)

    parse_value.__name__ = convert.__name__  # argparse names the type in its error messages
    return parse_value


def _positive(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number of seconds" % text) from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a whole number" % text) from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


_TYPES = {"str": str, "int": int, "float": float, "range": _range}


def _add_prism_arguments(common):
    common.add_argument("-H", "--hostname", help="Prism Element VIP or Prism Central address")
    common.add_argument("-P", "--port", type=int, default=DEFAULT_PORT,
                        help="Prism HTTPS port (default %(default)s)")
    common.add_argument("-u", "--username", help="Prism user (a Viewer role is enough)")
    common.add_argument("-p", "--password",
                        help="Prism password; prefer --auth-file or NUTANIX_PASSWORD so it "
                             "stays out of the process list")
    common.add_argument("--cluster", metavar="NAME",
                        help="cluster to check when the target is Prism Central")
    common.add_argument("--ca-file", metavar="FILE",
                        help="CA bundle that signed the Prism certificate")
    common.add_argument("--insecure", action="store_true",
                        help="do not verify the TLS certificate (not recommended)")
    common.add_argument("--cache-ttl", type=_non_negative_int, default=DEFAULT_CACHE_TTL,
                        help="seconds a Prism answer is shared between checks; 0 turns the "
                             "response cache off (default %(default)s)")
    common.add_argument("--state-dir", metavar="DIR",
                        help="where the cache and session cookies live (default "
                             "$NAGIOS_NUTANIX_STATE_DIR or /var/tmp/nagios-nutanix-<uid>)")


def build_parser(spec, prog):
    epilog = ""
    if spec.alerts:
        epilog = "alerts:\n" + "\n".join(
            "  %-8s %s" % (a.state, a.condition) for a in spec.alerts)
    if spec.notes:
        epilog += "\n\nnotes:\n" + "\n".join("  " + n for n in spec.notes)
    parser = _Parser(
        prog=prog, description="%s\n\n%s" % (spec.title, spec.description), epilog=epilog,
        add_help=False, formatter_class=_Formatter)
    common = parser.add_argument_group("common options")
    common.add_argument("-h", "--help", action="store_true", help="show this help and exit (3)")
    common.add_argument("-V", "--version", action="store_true",
                        help="show the version and exit (3)")
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="more detail: -v sources and notes, -vv debug log on stderr, "
                             "-vvv tracebacks on stderr")
    if getattr(spec, "protocol", "prism") == "snmp":
        from ..snmp.options import add_arguments as add_snmp_arguments

        common.add_argument("-H", "--hostname",
                            help="SNMP agent address: a CVM or the cluster VIP for NUTANIX-MIB, "
                                 "the AHV host for its own agent")
        add_snmp_arguments(common, _positive, _non_negative_int, spec)
        auth_help = ("file of 'community = ...', 'snmp_user = ...', 'auth_password = ...' and "
                     "'priv_password = ...' lines, mode 0600")
    else:
        _add_prism_arguments(common)
        auth_help = "file of 'username = ...' and 'password = ...' lines, mode 0600"
    common.add_argument("--auth-file", metavar="FILE", help=auth_help)
    common.add_argument("-t", "--timeout", type=_positive, default=DEFAULT_TIMEOUT,
                        help="time budget of the whole run in seconds (default %(default)s)")
    common.add_argument("--output", choices=("nagios", "json", "logicmonitor"),
                        default="nagios",
                        help="output format (default %(default)s); logicmonitor prints "
                             "instance.datapoint=value lines and exits 0")
    common.add_argument("--discover", action="store_true",
                        help="print LogicMonitor Active Discovery lines (one instance per "
                             "node, or the cluster) and exit")
    if spec.main_metric:
        common.add_argument("-w", "--warning", type=_range, default=spec.default_warning,
                            help="warning range for %s (default %s)"
                                 % (spec.main_metric, spec.default_warning or "none"))
        common.add_argument("-c", "--critical", type=_range, default=spec.default_critical,
                            help="critical range for %s (default %s)"
                                 % (spec.main_metric, spec.default_critical or "none"))
    if spec.options:
        own = parser.add_argument_group("%s options" % spec.name)
        for option in spec.options:
            kwargs = {"help": option.help, "dest": option.dest}
            if option.type == "flag":
                kwargs["action"] = "store_true"
            elif option.type == "list":
                kwargs["action"] = "append"
                kwargs["metavar"] = option.metavar
            else:
                convert = _TYPES[option.type]
                # An empty threshold is no threshold; another empty value is the default.
                kwargs["type"] = convert if convert is _range else _blank_is_default(
                    convert, option.default)
                kwargs["default"] = option.default
                kwargs["metavar"] = option.metavar
                if option.choices:
                    kwargs["choices"] = option.choices
            own.add_argument(*option.flags, **kwargs)
    return parser


def parse(spec, argv, prog):
    parser = build_parser(spec, prog)
    options = parser.parse_args(argv)
    if options.help or options.version:
        return parser, None
    # Defaults given as text (from the declaration) become ranges here so bad ones surface.
    for name in ("warning", "critical"):
        value = getattr(options, name, None)
        if isinstance(value, str):
            setattr(options, name, Range.parse(value))
    return parser, options
