# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Playbook runs that several tests share: a class-scoped fixture runs them once per API version, and each test
asserts on what it kept.

The ``emulator`` fixture resets the emulator before every test, so a shared run keeps the emulator's request log and
tests as they were right after the run (a ``Snapshot``, which answers the same questions as the emulator:
``requests()``, ``count()``, ``writes()``, ``tests()``), and checks that log against the vendor's schema itself,
as the schema plugin does after every test that uses the ``emulator`` fixture.

The tests that share a run are the methods of one class: conftest.py sends a class's tests to one xdist worker, so
that its runs happen once.
"""

from __future__ import annotations

import copy

from conftest import playbook_environment, run_playbook_file
from emulator import control
from tests.schema import oracle


class Snapshot(control.Emulator):
    """The emulator's request log and its tests at one moment: the emulator's own questions (``requests()``,
    ``count()``, ``writes()``, ``tests()``), answered from what its control API said then."""

    def __init__(self, emulator):
        super().__init__(emulator.url)
        self._answers = {'requests': emulator.control('GET', 'requests'), 'tests': emulator.control('GET', 'tests')}

    def control(self, method, path, body=None):
        if method != 'GET' or path not in self._answers:
            raise AssertionError('a snapshot of the emulator answers only what it kept (GET %s), not %s %s'
                                 % (' and GET '.join(sorted(self._answers)), method, path))
        return copy.deepcopy(self._answers[path])


class SharedRun:
    """Playbook runs against the session's emulator, outside the function-scoped fixtures."""

    def __init__(self, emulator, api_version):
        self.emulator = emulator
        self.api_version = api_version
        self.env = playbook_environment(emulator, api_version)

    def reset(self, **config):
        """Back to the defaults, as the emulator fixture leaves it for a test, then ``config``."""
        config.setdefault('result_delay', 1.0)
        self.emulator.reset(**config)

    def configure(self, **config):
        self.emulator.configure(**config)

    def clear_log(self):
        self.emulator.control('DELETE', 'requests')

    def run(self, name, extra_vars=None, args=(), env=None, expect_rc=0):
        return run_playbook_file(self.emulator, self.api_version, self.env, name, extra_vars=extra_vars, args=args, env=env,
                                 expect_rc=expect_rc)

    def snapshot(self):
        """The request log and tests now, after checking the log's v7 requests and answers against the schema."""
        snapshot = Snapshot(self.emulator)
        mismatches = oracle.check_log(snapshot.requests())
        if mismatches:
            raise AssertionError(oracle.report(mismatches))
        return snapshot
