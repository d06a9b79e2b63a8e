"""Small phrases every check's output uses: counts, capped name lists, byte sizes.

Durations are in duration.py (human()).
"""


def plural(count, word, many=None):
    """plural(1, "drive") -> '1 drive'; plural(3, "policy", "policies") -> '3 policies'."""
    return "%d %s" % (count, word if count == 1 else (many or word + "s"))


def listing(names, limit=4):
    """'a, b, c' or, past `limit`, 'a, b, c, d and 3 more'."""
    names = [str(n) for n in names]
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " and %d more" % (len(names) - limit)
    return shown


def size(value):
    """Bytes in binary units, one decimal: '20.9 TiB', '512.0 GiB', '900 B'."""
    value = float(value)
    for unit, power in (("PiB", 50), ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if abs(value) >= 1 << power:
            return "%.1f %s" % (value / float(1 << power), unit)
    return "%d B" % value
