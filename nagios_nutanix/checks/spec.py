"""The one declaration of a check: the CLI, --help, templates and docs are all made from it.

Plain namedtuples (not typing.NamedTuple): every check run loads these, and `typing` would cost
a few milliseconds of import on each poll.
"""

from collections import namedtuple


class Option(namedtuple("Option", "flags help default type choices metavar macro",
                        defaults=(None, "str", None, None, None))):
    """A check-specific command-line option.

    type: str | int | float | range | flag | list; macro: the name generated monitoring
    configuration uses for it (e.g. WARNING, FILTERNAME).
    """

    __slots__ = ()

    @property
    def dest(self):
        return max(self.flags, key=len).lstrip("-").replace("-", "_")


# A perfdata series: `name` is the label after any `instance#`; `per_instance` says what the
# instance is ("DOMAIN~COMPONENT", "node", ...).
MetricSpec = namedtuple("MetricSpec", "name unit description per_instance minimum maximum",
                        defaults=(None, None, None))

# A condition the check raises, with what on-call staff should do about it (the runbook).
Alert = namedtuple("Alert", "state condition action")

# scope: "cluster" or "node". main_metric with its default thresholds enables -w/-c; None means
# the check has no -w/-c. protocol: "prism" (the Prism connection options) or "snmp" (-H and the
# SNMP options instead).
CheckSpec = namedtuple(
    "CheckSpec",
    "name title description scope sources options metrics alerts collect evaluate "
    "main_metric default_warning default_critical notes protocol",
    defaults=(None, None, None, (), "prism"))


def threshold_options(key, what, unit="", warning=None, critical=None):
    """The --warning-KEY / --critical-KEY range pair of one more metric of a check, with the
    macros generated configuration sets (WARNINGKEY / CRITICALKEY, Centreon's style)."""
    macro = key.upper().replace("-", "")
    return (
        Option(("--warning-%s" % key,), "warning range for %s%s (default %s)"
               % (what, unit, warning or "none"), default=warning, type="range",
               metavar="RANGE", macro="WARNING" + macro),
        Option(("--critical-%s" % key,), "critical range for %s%s (default %s)"
               % (what, unit, critical or "none"), default=critical, type="range",
               metavar="RANGE", macro="CRITICAL" + macro),
    )


def thresholds(options, key):
    """The Thresholds a run was given through the threshold_options(key, ...) pair."""
    from ..plugin.ranges import Thresholds

    key = key.replace("-", "_")
    return Thresholds(getattr(options, "warning_" + key, None),
                      getattr(options, "critical_" + key, None))
