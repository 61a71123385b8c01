# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback for bench/run.py: the wall time of every task (and of every loop item), as JSON.

Enabled only by the benchmark runner (ANSIBLE_CALLBACK_PLUGINS=bench/callback_plugins,
ANSIBLE_CALLBACKS_ENABLED=bench_timing); writes to the file named by BENCH_TIMING_FILE.
"""

from __future__ import annotations

DOCUMENTATION = r'''
name: bench_timing
type: aggregate
short_description: Wall time per task and per loop item, for the benchmarks
description:
  - Writes a JSON list of tasks with their start, end and item end times (time.monotonic) to E(BENCH_TIMING_FILE).
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.tasks = []
        self.current = None

    def _start(self, task):
        self.current = {'name': task.get_name(), 'start': time.monotonic(), 'end': None, 'items': [], 'status': None}
        self.tasks.append(self.current)

    def _end(self, status):
        if self.current is not None:
            self.current['end'] = time.monotonic()
            self.current['status'] = status

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def v2_runner_item_on_ok(self, result):
        if self.current is not None:
            self.current['items'].append(time.monotonic())

    v2_runner_item_on_failed = v2_runner_item_on_ok

    def v2_runner_on_ok(self, result):
        self._end('ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end('failed')

    def v2_runner_on_skipped(self, result):
        self._end('skipped')

    def v2_runner_on_unreachable(self, result):
        self._end('unreachable')

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('BENCH_TIMING_FILE')
        if path:
            with open(path, 'w', encoding='utf-8') as handle:
                json.dump(self.tasks, handle)
