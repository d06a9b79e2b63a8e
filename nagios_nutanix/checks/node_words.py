"""Words the node-scoped checks share: an open alert in one line, the state its severity gives,
why alerts could not be read, and what a source (Prism Central) cannot give."""

import re

from ..plugin.duration import human
from ..plugin.sanitize import clean
from ..plugin.state import State

# An unresolved alert's severity as a check state; INFO and AUDIT alerts are stated, not judged.
SEVERITY_STATE = {"CRITICAL": State.CRITICAL, "WARNING": State.WARNING}
_HTTP_STATUS = re.compile(r"HTTP (\d{3})")


def alert_state(alert):
    return SEVERITY_STATE.get(alert.severity, State.OK)


def alert_title(alert, limit=120):
    """The alert's title, cleaned, without its closing full stop."""
    return clean(alert.title, limit).rstrip(".") or "alert %s" % (clean(alert.type_id) or "?")


def alert_text(alert, now=None):
    """"alert 'Title': message (A1044, CRITICAL, 3h ago, acknowledged)" (the age when `now` is
    given and the alert has a creation time)."""
    title = alert_title(alert)
    text = "alert '%s'" % title
    message = clean(alert.message, 200)
    if message and message.rstrip(".") != title:
        text += ": " + message
    extras = [clean(alert.type_id)] if alert.type_id else []
    extras.append(clean(alert.severity) or "severity not given")
    if now and alert.created:
        extras.append("%s ago" % human(now - alert.created))
    if alert.acknowledged:
        extras.append("acknowledged")
    return "%s (%s)" % (text, ", ".join(extras))


def alerts_unreadable(reason):
    """'alerts unreadable (HTTP 403)': few words for a first line, from read_unresolved()'s
    reason (the whole reason goes to the long output)."""
    found = _HTTP_STATUS.search(reason or "")
    return "alerts unreadable%s" % (" (HTTP %s)" % found.group(1) if found else "")


def not_available(source, gaps):
    """The one sentence for what the source cannot give at all (said, never judged)."""
    return ("not available from %s, not checked: %s; monitor the cluster's Prism Element for "
            "those" % (clean(source), "; ".join(gaps)))
