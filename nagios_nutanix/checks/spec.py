"""The one declaration of a check: the CLI, --help, templates and docs are all made from it."""

from typing import Callable, NamedTuple, Optional


class Option(NamedTuple):
    """A check-specific command-line option (argparse keywords kept plain for generators)."""

    flags: tuple[str, ...]
    help: str
    default: object = None
    type: str = "str"  # str | int | float | range | flag | list
    choices: Optional[tuple[str, ...]] = None
    metavar: Optional[str] = None
    # Macro name used by generated monitoring configuration (e.g. WARNING, FILTERNAME).
    macro: Optional[str] = None

    @property
    def dest(self):
        return max(self.flags, key=len).lstrip("-").replace("-", "_")


class MetricSpec(NamedTuple):
    """A perfdata series: `name` is the label after any `instance#`."""

    name: str
    unit: str
    description: str
    per_instance: Optional[str] = None  # what the instance is ("component", "node", ...)
    minimum: Optional[float] = None
    maximum: Optional[float] = None


class Alert(NamedTuple):
    """A condition the check raises, with what on-call staff should do about it (the runbook)."""

    state: str
    condition: str
    action: str


class CheckSpec(NamedTuple):
    name: str
    title: str
    description: str
    scope: str  # "cluster" or "node"
    sources: tuple[str, ...]
    options: tuple[Option, ...]
    metrics: tuple[MetricSpec, ...]
    alerts: tuple[Alert, ...]
    collect: Callable
    evaluate: Callable
    # The main metric's default thresholds enable -w/-c; None means the check has no -w/-c.
    main_metric: Optional[str] = None
    default_warning: Optional[str] = None
    default_critical: Optional[str] = None
    notes: tuple[str, ...] = ()
