"""Failures that end a run as UNKNOWN with one clear line."""


class PluginError(Exception):
    """A failure the user can act on; its message is the whole first line after 'UNKNOWN - '."""


class UsageError(PluginError):
    """Bad command line or bad option value."""


class BudgetExceeded(PluginError):
    """The run's time budget (-t/--timeout) is spent."""
