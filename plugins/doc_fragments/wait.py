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
      - RV(fresh) says whether the rows come from a round this task started. When it started none (an V(unchanged)
        test of M(netdiag.thousandeyes.instant_test) whose C(run) option is V(on_create), its default), the latest
        round's rows are returned with RV(fresh=false) and a warning that gives their age.
      - When no agent of the test can report (all offline or disabled), the task fails at once with the agents and
        their states, instead of waiting. Where M(netdiag.thousandeyes.instant_test) looked the agents up by name, it
        fails before the create or rerun, so no units are spent; otherwise the test stays in place.
    type: bool
    default: false
  wait_timeout:
    description:
      - The longest time to wait, in seconds, with O(wait=true). When it passes, the task returns what arrived with
        RV(complete=false). Agents that are offline or disabled do not hold the wait; a warning names them.
    type: int
    default: 300
'''
