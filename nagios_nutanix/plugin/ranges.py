"""The Monitoring Plugins range syntax: `10`, `10:`, `~:10`, `10:20`, `@10:20`.

Without `@` a value alerts when it lies outside start..end; with `@` when it lies inside.
Endpoints are always part of the range (inclusive), exactly as the guidelines' table says.
"""

import math
import re

from .errors import UsageError
from .perfdata import format_number
from .state import State

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _number(text, whole):
    if not _NUMBER.match(text):
        raise UsageError(
            "bad threshold range %r: %r is not a plain decimal number "
            "(use forms like 10, 10:, ~:10, 10:20, @10:20)" % (whole, text)
        )
    return float(text)


class Range:
    __slots__ = ("start", "end", "inside", "text")

    def __init__(self, start, end, inside=False, text=None):
        self.start = start
        self.end = end
        self.inside = inside
        self.text = text if text is not None else self._format()

    @classmethod
    def parse(cls, text):
        whole = text
        text = (text or "").strip()
        if not text:
            raise UsageError(
                "bad threshold range: empty (use forms like 10, 10:, ~:10, 10:20, @10:20)")
        inside = text.startswith("@")
        if inside:
            text = text[1:]
        if ":" in text:
            start_text, end_text = text.split(":", 1)
            if not start_text and not end_text:
                raise UsageError("bad threshold range %r: give a start or an end" % whole)
            start = -math.inf if start_text == "~" else (
                _number(start_text, whole) if start_text else 0.0)
            end = math.inf if end_text == "" else _number(end_text, whole)
        else:
            start, end = 0.0, _number(text, whole)
        if start > end:
            raise UsageError("bad threshold range %r: start is greater than end" % whole)
        return cls(start, end, inside, whole.strip())

    def alerts(self, value):
        """True when `value` should raise this threshold's state."""
        within = self.start <= value <= self.end
        return within if self.inside else not within

    def _format(self):
        start = "~" if self.start == -math.inf else format_number(self.start)
        end = "" if self.end == math.inf else format_number(self.end)
        body = end if start == "0" and end else "%s:%s" % (start, end)
        return ("@" if self.inside else "") + body

    def __str__(self):
        return self._format()  # canonical spelling for perfdata (`+5` becomes `5`)

    def __repr__(self):
        return "Range(%r)" % self.text

    def __eq__(self, other):
        return isinstance(other, Range) and (self.start, self.end, self.inside) == (
            other.start, other.end, other.inside)

    def __hash__(self):
        return hash((self.start, self.end, self.inside))


def parse_optional(text):
    """A Range, or None for an empty/absent threshold."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, Range):
        return text
    return Range.parse(str(text))


class Thresholds:
    """A warning and a critical range; critical is evaluated first."""

    __slots__ = ("warning", "critical")

    def __init__(self, warning=None, critical=None):
        self.warning = parse_optional(warning)
        self.critical = parse_optional(critical)

    def evaluate(self, value):
        if value is None or value != value:  # missing or NaN: nothing to judge
            return State.UNKNOWN
        if self.critical is not None and self.critical.alerts(value):
            return State.CRITICAL
        if self.warning is not None and self.warning.alerts(value):
            return State.WARNING
        return State.OK
