# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A monotonic and wall clock for the wait tests that only moves when someone sleeps, recording each sleep."""

from __future__ import annotations


class FakeClock:
    """``monotonic``, ``time`` and ``sleep`` over one number of seconds that starts at ``now``."""

    def __init__(self, now):
        self.now = float(now)
        self.sleeps = []

    def monotonic(self):
        return self.now

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds
