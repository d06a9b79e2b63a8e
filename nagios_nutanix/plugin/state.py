"""Monitoring Plugins states and how several of them combine."""

from enum import IntEnum


class State(IntEnum):
    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3


# CRITICAL > WARNING > UNKNOWN > OK: a real problem outranks missing data, and missing data
# outranks "all fine" (Monitoring Plugins' max_state_alt).
_SEVERITY = {State.OK: 0, State.UNKNOWN: 1, State.WARNING: 2, State.CRITICAL: 3}


def severity(state):
    """Rank of a state in the worst-state order (higher is worse)."""
    return _SEVERITY[State(state)]


def worst(states, default=State.OK):
    """The worst of several states; `default` when there are none."""
    result = None
    for state in states:
        state = State(state)
        if result is None or _SEVERITY[state] > _SEVERITY[result]:
            result = state
    return default if result is None else result
