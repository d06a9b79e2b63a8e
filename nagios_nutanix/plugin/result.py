"""What a check concludes: items with states, perfdata, and the summary line."""

from .sanitize import clean
from .state import State, severity, worst


class Item:
    """One thing judged: `text` is its long-output line, `brief` its words in the summary."""

    __slots__ = ("state", "text", "brief", "source")

    def __init__(self, state, text, brief=None, source=None):
        self.state = State(state)
        self.text = text
        self.brief = brief if brief is not None else text
        self.source = source

    def __repr__(self):
        return "Item(%s, %r)" % (self.state.name, self.text)


class Result:
    """The outcome of one run.

    `summary` is what follows `<scope>: ` on the first line; when the check gives none, the
    briefs of the non-OK items are joined worst first, or `ok_summary` when all is well.
    """

    def __init__(self, scope, items=(), metrics=(), summary=None, ok_summary=None, notes=(),
                 state=None, info=()):
        self.scope = scope
        self.items = list(items)
        self.metrics = list(metrics)
        self._summary = summary
        self.ok_summary = ok_summary
        self.notes = list(notes)  # shown with -v
        self.info = list(info)  # always shown: what was not checked and why
        self._state = None if state is None else State(state)

    @property
    def state(self):
        if self._state is not None:
            return self._state
        # No item judged means nothing was checked: never OK by default.
        return worst((item.state for item in self.items), default=State.UNKNOWN)

    def sorted_items(self):
        return sorted(self.items, key=lambda item: -severity(item.state))

    @property
    def summary(self):
        if self._summary:
            return self._summary
        # An empty brief keeps an item in the long output only (e.g. one line per node).
        problems = [i for i in self.sorted_items() if i.state != State.OK and i.brief]
        if problems:
            return "; ".join(clean(i.brief) for i in problems)
        if self.ok_summary:
            return self.ok_summary
        if not self.items:
            return "nothing was checked"
        return "; ".join(clean(i.brief) for i in self.items)


def error_result(message, scope=None):
    """A global failure: UNKNOWN with one line naming what failed."""
    return Result(scope, summary=message, state=State.UNKNOWN)
