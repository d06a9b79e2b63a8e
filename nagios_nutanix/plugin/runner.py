"""The single entry point of every check: argv in, one plugin output and exit code out."""

import os
import signal
import sys

from .. import __version__
from ..checks import load, names
from . import credentials
from .budget import Budget
from .context import Context
from .errors import BudgetExceeded, PluginError
from .options import parse
from .render import RENDERERS
from .result import error_result
from .state import State

# Options holding secrets: masked in every output (and passed by environment where generated
# configuration can, see config/catalog.py).
SECRET_OPTIONS = ("password", "community", "auth_password", "priv_password")

USAGE = """usage: check_nutanix CHECK [options]   (check_nutanix CHECK --help for its options)
       check_nutanix --list"""


def main(argv=None, check=None):
    """Console script `check_nutanix`, and the thin `plugins/check_nutanix_<check>` files."""
    sys.exit(run(sys.argv[1:] if argv is None else argv, check))


def run(argv, check=None, stdout=None, stderr=None):
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(argv)
    if check is None:
        if not argv or argv[0] in ("-h", "--help"):
            stdout.write(USAGE + "\n\nchecks: " + ", ".join(names()) + "\n")
            return int(State.UNKNOWN)
        if argv[0] in ("-V", "--version"):
            stdout.write("check_nutanix %s\n" % __version__)
            return int(State.UNKNOWN)
        if argv[0] == "--list":
            from ..checks import all_specs

            for spec in all_specs():
                stdout.write("%-20s %s\n" % (spec.name, spec.title))
            return 0
        check, argv = argv[0], argv[1:]
    spec = load(check)
    prog = "check_nutanix_%s" % check
    if spec is None:
        result = error_result("no check named %r; available: %s (check_nutanix --list)"
                              % (check, ", ".join(names())))
        stdout.write(RENDERERS["nagios"](result) + "\n")
        return int(result.state)

    options = None
    verbosity = 0
    try:
        parser, options = parse(spec, argv, prog)
        if options is None:
            if "-V" in argv or "--version" in argv:
                stdout.write("%s %s\n" % (prog, __version__))
            else:
                stdout.write(parser.format_help())
            return int(State.UNKNOWN)
        verbosity = options.verbose
        credentials.resolve(options)
        budget = Budget(options.timeout)
        context = Context(options, budget, stderr)
        if options.discover:  # LogicMonitor Active Discovery: instances, not a judgement
            from .logicmonitor import discover

            return discover(spec, context, stdout, stderr, _alarm(budget))
        with _alarm(budget):
            model = spec.collect(context)
            result = spec.evaluate(model, options)
        result.notes.extend(context.notes)
    except PluginError as exc:
        result = error_result(str(exc))
        _traceback(verbosity, stderr)
    except Exception as exc:  # never a traceback on stdout: one UNKNOWN line instead
        result = error_result("internal error in check %s: %s: %s (rerun with -vvv for a "
                              "traceback and report it)" % (check, type(exc).__name__, exc))
        _traceback(verbosity, stderr)
    output = getattr(options, "output", "nagios") or "nagios"
    secrets = secrets_of(options)
    try:
        if output == "logicmonitor":  # names the instance of a run that failed early
            from .logicmonitor import fallback_scope, render

            text = render(result, verbosity, secrets, fallback_scope(options))
        else:
            text = RENDERERS[output](result, verbosity, secrets)
    except Exception as exc:  # a rendering bug still ends as one UNKNOWN line
        _traceback(verbosity, stderr)
        result = error_result("internal error rendering the output of check %s: %s (rerun "
                              "with -vvv for a traceback and report it)"
                              % (check, type(exc).__name__))
        text = RENDERERS["nagios"](result)
    stdout.write(text + "\n")
    stdout.flush()
    if output == "logicmonitor":
        return 0  # a collector parses the output of a script only when it exits 0
    return int(result.state)


def secrets_of(options):
    """The secret values of a run: the Prism password, SNMP community and pass phrases."""
    return [getattr(options, name, None) for name in SECRET_OPTIONS]


def _traceback(verbosity, stderr):
    if verbosity >= 3:
        import traceback

        traceback.print_exc(file=stderr)


class _alarm:
    """A hard stop slightly after the budget, for calls that cannot take a timeout."""

    def __init__(self, budget):
        self.budget = budget
        self.armed = hasattr(signal, "SIGALRM") and os.name == "posix"

    def __enter__(self):
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.budget.seconds + 0.5)

    def _fire(self, signum, frame):
        raise self.budget.exceeded()

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


__all__ = ["main", "run", "BudgetExceeded"]
