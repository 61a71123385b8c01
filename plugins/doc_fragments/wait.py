# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Waiting for the results of the run a task started (instant_test, instant_test_rerun).
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Wait for the results of the run this task started and return them as RV(results) and RV(summary), the way
        M(netdiag.thousandeyes.test_results_info) does. Only rounds at or after RV(started_at) count.
      - When the task started no run (an V(unchanged) test), the latest results are returned.
    type: bool
    default: false
  wait_timeout:
    description:
      - The longest time to wait, in seconds, with O(wait=true). When it passes, the task returns what arrived with
        RV(complete=false). Agents that are offline do not hold the wait.
    type: int
    default: 300
'''
