# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the API reference leaves unconfirmed, with the emulator switched to each answer, for both API versions.

The default answers (instant tests listed, deletable, unique names enforced) are what every other test uses.
"""

from __future__ import annotations

import pytest


def test_instant_tests_missing_from_the_test_list(emulator, run_playbook):
    emulator.configure(instant_tests_listed=False)
    run_playbook('unconfirmed_unlisted.yml')
    # The blind second run was refused by the API's unique names; no second test ever existed.
    assert emulator.count('create') == 2
    assert [entry['status'] for entry in emulator.requests('create')] == [201, 400]
    assert emulator.tests() == []


# How the live API refuses such a delete is unconfirmed; the emulator's 400 is not a status the schema declares.
@pytest.mark.schema_expected('status 400 is not declared for delete_')
def test_instant_tests_that_cannot_be_deleted(emulator, run_playbook):
    emulator.configure(instant_tests_deletable=False)
    run_playbook('unconfirmed_undeletable.yml')
    assert len(emulator.tests()) == 1


def test_names_not_unique(emulator, run_playbook):
    emulator.configure(unique_test_names=False)
    run_playbook('unconfirmed_duplicates.yml')
    assert len(emulator.tests()) == 2
