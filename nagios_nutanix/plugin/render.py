"""Renderers: the Nagios plugin text and a JSON document. They know nothing about Nutanix."""

import json
import re

from .result import Item, Result
from .sanitize import clean

# Nagios Core 4 reads at most 8192 bytes of plugin output (MAX_PLUGIN_OUTPUT_LENGTH).
OUTPUT_LIMIT = 8000


# The words of the first line; the rest goes to long output (and perfdata after it).
FIRST_LINE_LIMIT = 2000


def first_line(result):
    scope = clean(result.scope, 200) if result.scope else ""
    head = "%s - %s: " % (result.state.name, scope) if scope else "%s - " % result.state.name
    return head + clean(result.summary, FIRST_LINE_LIMIT)


def nagios(result, verbosity=0, secrets=()):
    """Plugin output: first line with perfdata, then one line per item, worst first."""
    result = _redacted(result, secrets)
    line = first_line(result)
    perf = _redact(" ".join(m.render() for m in result.metrics), secrets)
    lines = []
    items = result.sorted_items()
    if len(items) > 1 or (items and clean(items[0].text) != clean(result.summary)):
        for item in items:
            text = clean(item.text)
            if verbosity and item.source:
                text += " (source: %s)" % clean(item.source)
            lines.append("[%s] %s" % (item.state.name, text))
    lines.extend("(%s)" % clean(text) for text in result.info)
    if verbosity:
        lines.extend("note: %s" % clean(note) for note in result.notes)
    return _cap(line, perf, lines)


def _cap(line, perf, lines):
    head = line + (" | " + perf if perf else "")
    if len(head.encode()) > OUTPUT_LIMIT:
        # Perfdata alone would overflow: keep the words, drop whole perfdata items from the end.
        kept = []
        budget = OUTPUT_LIMIT - len(line.encode()) - 200
        for part in perf.split(" '"):
            part = part if part.startswith("'") else "'" + part
            if len(" ".join(kept + [part]).encode()) > budget:
                break
            kept.append(part)
        head = line + (" | " + " ".join(kept) if kept else "")
        lines = ["(output cut: perfdata exceeded the 8 KB plugin output limit)"] + lines
    out = [head]
    size = len(head.encode()) + 1
    for index, text in enumerate(lines):
        cost = len(text.encode()) + 1
        if size + cost > OUTPUT_LIMIT - 80:
            out.append("(output cut: %d more lines not shown, 8 KB plugin output limit)"
                       % (len(lines) - index))
            break
        out.append(text)
        size += cost
    return "\n".join(out)


def _secret_pattern(secret):
    """Where a secret is masked. A long or non-alphanumeric one (a password) wherever it
    appears; a short plain word (an SNMP community such as "public") only as a whole word, so
    that masking it does not garble the words of the output that contain it."""
    if len(secret) >= 8 or not secret.isalnum():
        return re.compile(re.escape(secret))
    return re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(secret))


def _redact(text, secrets):
    if text is None:
        return text
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = _secret_pattern(secret).sub("********", text)
    return text


def _redacted(result, secrets):
    """The result with every secret masked in its texts, before any cleaning or escaping
    (cleaning could alter a secret, and escaping would hide it from a text search)."""
    secrets = [s for s in secrets if s and len(s) >= 3]
    if not secrets:
        return result
    copy = Result(_redact(result.scope, secrets), metrics=result.metrics,
                  summary=_redact(result._summary, secrets),
                  ok_summary=_redact(result.ok_summary, secrets),
                  notes=[_redact(n, secrets) for n in result.notes],
                  info=[_redact(n, secrets) for n in result.info], state=result._state)
    copy.items = [Item(i.state, _redact(i.text, secrets), _redact(i.brief, secrets),
                       _redact(i.source, secrets)) for i in result.items]
    if result._state is None:
        copy._state = result.state
    return copy


def as_json(result, verbosity=0, secrets=()):
    result = _redacted(result, secrets)
    doc = {
        "state": result.state.name,
        "exit_code": int(result.state),
        "scope": result.scope,
        "summary": clean(result.summary),
        "items": [
            {"state": i.state.name, "text": clean(i.text), "source": i.source}
            for i in result.sorted_items()
        ],
        "perfdata": [m.as_dict() for m in result.metrics],
    }
    if result.info:
        doc["info"] = [clean(text) for text in result.info]
    if verbosity:
        doc["notes"] = [clean(n) for n in result.notes]
    return json.dumps(doc, indent=None, sort_keys=False)


def logicmonitor(result, verbosity=0, secrets=()):
    from .logicmonitor import render  # LogicMonitor collectors only

    return render(result, verbosity, secrets)


RENDERERS = {"nagios": nagios, "json": as_json, "logicmonitor": logicmonitor}

