"""One time budget (-t/--timeout) shared by every network call of a run."""

import time

from .errors import BudgetExceeded


class Budget:
    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = float(seconds)
        self._clock = clock
        self.deadline = clock() + self.seconds
        self.phase = "starting"

    def remaining(self):
        return self.deadline - self._clock()

    def timeout(self, phase=None):
        """Seconds left for the next call; raises once the budget is spent."""
        if phase:
            self.phase = phase
        left = self.remaining()
        if left <= 0.05:
            raise self.exceeded()
        return left

    def exceeded(self, phase=None):
        return BudgetExceeded(
            "timed out after %gs (-t) while %s; raise -t or check that the target (Prism or the "
            "SNMP agent) answers promptly"
            % (self.seconds, phase or self.phase))
