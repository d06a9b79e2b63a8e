"""Durations in the words an on-call engineer reads fastest: 45s, 14m, 2h14m, 3d4h.

Two units at most, the smaller one dropped when it is zero (3600 -> "1h", not "1h0m").
Values are floored, never rounded up, so an age is never shown older than it is.
"""

_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def human(seconds):
    """45 -> '45s', 840 -> '14m', 8040 -> '2h14m', 273600 -> '3d4h'; None -> 'unknown'."""
    if seconds is None or seconds != seconds:
        return "unknown"
    total = int(max(0, seconds))
    for index, (unit, size) in enumerate(_UNITS):
        if total >= size or unit == "s":
            first, rest = divmod(total, size)
            text = "%d%s" % (first, unit)
            if unit in ("d", "h"):
                small_unit, small_size = _UNITS[index + 1]
                second = rest // small_size
                if second:
                    text += "%d%s" % (second, small_unit)
            return text
    return "0s"
