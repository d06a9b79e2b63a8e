"""Make cluster-provided text safe for plugin output.

Names and alert texts come from the cluster. On the first line a `|` would start perfdata and
a newline would end the line; control characters confuse web UIs and notifications.
"""

import re

# Control characters, Unicode line separators, and lone surrogates (from "\\ud800" JSON escapes,
# which cannot even be encoded for output).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


def clean(text, limit=None):
    """One line of text with no `|` and no control characters (runs become one space)."""
    if text is None:
        return ""
    text = _CONTROL.sub(" ", str(text)).replace("|", "/").strip()
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 3)].rstrip() + "..."
    return text


def clean_label(text):
    """A perfdata label part: no quote, no `=`, and nothing `clean` would refuse."""
    return clean(text).replace("'", "").replace("=", "_") or "_"
