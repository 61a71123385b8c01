# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the emulator's endpoint configuration: scenarios per endpoint agent, the listing switch."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.emulator.store import DEFAULT_CONFIG, ConfigError, check_config, merge_patch


def config(**patch):
    return check_config(merge_patch(DEFAULT_CONFIG, patch))


def test_endpoint_scenarios_by_name_or_id_become_lists():
    found = config(endpoint_scenarios={'alice-laptop': 'weak-wifi', '7c9e6679-7425-40de-944b-e07fc1f90ae7': ['slow-vpn', 'busy-cpu']})
    assert found['endpoint_scenarios'] == {'alice-laptop': ['weak-wifi'], '7c9e6679-7425-40de-944b-e07fc1f90ae7': ['slow-vpn', 'busy-cpu']}
    assert config()['endpoint_tests_listed'] is True


@pytest.mark.parametrize('value, message', [
    ({'alice-laptop': 'slow-wifi'}, 'must map an endpoint agent'),
    ({'nobody-laptop': 'weak-wifi'}, 'unknown endpoint agent nobody-laptop'),
    (['weak-wifi'], 'must map an endpoint agent'),
])
def test_bad_endpoint_scenarios_are_refused(value, message):
    with pytest.raises(ConfigError, match=message):
        config(endpoint_scenarios=value)


def test_the_listing_switch_is_a_boolean():
    with pytest.raises(ConfigError, match='endpoint_tests_listed must be true or false'):
        config(endpoint_tests_listed='no')
