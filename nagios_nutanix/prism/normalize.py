"""Prism's value conventions turned into plain Python, once, here.

- stats are JSON strings and "-1" means "not available"  -> number or None
- ratios are parts per million                          -> percent
- time stamps are microseconds since the epoch          -> seconds
- enums come as kCamelCase (v2), Camel (v2), UPPER_SNAKE (v4) -> UPPER_SNAKE
"""

import re


def number(value):
    """A stat value as int/float, or None for missing, empty or Prism's "-1"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if value == -1 else value
    text = str(value).strip()
    if text in ("", "-1"):
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def ppm_to_percent(value):
    value = number(value)
    return None if value is None else value / 10000.0


def ppm_to_ratio(value):
    value = number(value)
    return None if value is None else value / 1000000.0


def usecs_to_seconds(value):
    value = number(value)
    return None if value is None else value / 1000000.0


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def enum(value):
    """'kAcropolisNormal' -> 'ACROPOLIS_NORMAL', 'Normal' -> 'NORMAL', 'NORMAL' stays."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > 1 and text[0] == "k" and text[1].isupper():
        text = text[1:]
    if not text.isupper():
        text = _CAMEL.sub("_", text)
    return text.upper().replace(" ", "_").replace("-", "_")


def flag(value):
    """A boolean field, tolerating strings; None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        return None
    return bool(value)


def ip(value):
    """v4 wraps addresses as {"ipv4": {"value": ...}}; v2 gives plain strings."""
    if isinstance(value, dict):
        for family in ("ipv4", "ipv6", "fqdn"):
            inner = value.get(family)
            if isinstance(inner, dict) and inner.get("value"):
                return str(inner["value"])
        return None
    return str(value) if value else None


_ISO = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$")


def iso_seconds(text):
    """An RFC 3339 time stamp (v4) as epoch seconds, None when unreadable.

    Parsed by hand around datetime.fromisoformat: Python 3.9 (EL 9) accepts neither "Z" nor
    fractions other than 3 or 6 digits, and Prism's v4 stamps carry both."""
    match = _ISO.match(str(text or "").strip())
    if not match:
        return None
    from datetime import datetime, timezone

    stamp, fraction, zone = match.groups()
    zone = "+00:00" if zone in (None, "Z") else zone
    if ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        value = datetime.fromisoformat(stamp.replace(" ", "T") + zone)
    except ValueError:
        return None
    return value.astimezone(timezone.utc).timestamp() + float("0." + (fraction or "0"))
