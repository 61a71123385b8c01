# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""test_results_info (and instant_test's wait) against the emulator, for both API versions."""

from __future__ import annotations


def test_results_info(emulator, run_playbook):
    run_playbook('test_results_info.yml')
    # Reading results never writes: the only writes are the three creates the playbook makes.
    assert [entry['operation'] for entry in emulator.writes()] == ['create', 'create', 'create']
    # Polls use the org budget only: nothing was refused with a 429.
    assert not [entry for entry in emulator.requests() if entry['status'] == 429]
