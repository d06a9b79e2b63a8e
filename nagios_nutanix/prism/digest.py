"""SHA-256 hex digests for file names and fingerprints, cheap to import.

`hashlib` loads OpenSSL (about 2.5 ms at every check start); CPython's own SHA-256 module
gives the same digest for a tenth of that. hashlib stays the fallback.
"""

try:
    from _sha256 import sha256  # CPython 3.9 - 3.11
except ImportError:  # pragma: no cover - depends on the interpreter
    try:
        from _sha2 import sha256  # CPython 3.12+
    except ImportError:
        from hashlib import sha256


def hexdigest(text, length=64):
    """The first `length` hex digits of the SHA-256 of `text` (UTF-8)."""
    return sha256(text.encode("utf-8")).hexdigest()[:length]
