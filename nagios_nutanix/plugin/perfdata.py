"""Performance data in the Monitoring Plugins grammar:
`'label'=value[UOM];[warn];[crit];[min];[max]`, C locale, no exponents."""

import math

from .sanitize import clean_label

UNITS = ("", "s", "ms", "us", "%", "B", "c")


def format_number(value):
    """A decimal without exponent; integers stay integers, floats keep at most 6 places."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return "U"
    if value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    text = ("%.6f" % value).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _not_finite(value):
    return isinstance(value, float) and not math.isfinite(value)


class Metric:
    """One perfdata item. `instance` scopes the label Centreon-style: `instance#name`."""

    __slots__ = ("name", "value", "unit", "warning", "critical", "minimum", "maximum", "instance")

    def __init__(self, name, value, unit="", warning=None, critical=None, minimum=None,
                 maximum=None, instance=None):
        if unit not in UNITS:
            raise ValueError("perfdata unit %r is not one of %s" % (unit, UNITS))
        self.name = name
        self.value = value
        self.unit = unit
        self.warning = warning
        self.critical = critical
        self.minimum = minimum
        self.maximum = maximum
        self.instance = instance

    @property
    def label(self):
        name = clean_label(self.name)
        return "%s#%s" % (clean_label(self.instance), name) if self.instance else name

    def _num(self, value):
        if value is None or _not_finite(value):
            return ""
        if self.unit == "B":
            return str(int(round(value)))  # bytes are whole numbers
        return format_number(value)

    def render(self):
        missing = self.value is None or _not_finite(self.value)
        value = "U" if missing else self._num(self.value) + self.unit
        fields = [
            "'%s'=%s" % (self.label, value),
            "" if self.warning is None else str(self.warning),
            "" if self.critical is None else str(self.critical),
            self._num(self.minimum),
            self._num(self.maximum),
        ]
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        return ";".join(fields)

    def as_dict(self):
        value = None if self.value is None or _not_finite(self.value) else self.value
        return {
            "label": self.label, "value": value, "unit": self.unit,
            "warning": None if self.warning is None else str(self.warning),
            "critical": None if self.critical is None else str(self.critical),
            "min": self.minimum, "max": self.maximum,
        }
