"""What a check's collect() gets: its options, the time budget, notes, and the Prism client."""

import sys


class Context:
    def __init__(self, options, budget, stderr=sys.stderr):
        self.options = options
        self.budget = budget
        self.verbosity = options.verbose
        self.notes = []
        self._stderr = stderr
        self._prism = None

    def note(self, text):
        """Shown under the result with -v (e.g. 'state directory not writable, uncached')."""
        if text not in self.notes:
            self.notes.append(text)

    def debug(self, text):
        if self.verbosity >= 2:
            self._stderr.write("debug: %s\n" % text)

    def prism(self):
        """The Prism client for this run (created on first use; no network until asked)."""
        if self._prism is None:
            from ..prism.client import client_from_options

            self._prism = client_from_options(self)
        return self._prism
