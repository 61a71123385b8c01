# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The type and layer tables are the one source: every module's choices, in code and in its documentation, follow them."""

from __future__ import annotations

import yaml
import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS, TEST_TYPES, TYPE_BY_V7_NAME
from ansible_collections.netdiag.thousandeyes.plugins.modules import agent_info, instant_test, instant_test_rerun, test_results_info

MODULES = {'agent_info': agent_info, 'instant_test': instant_test, 'instant_test_rerun': instant_test_rerun,
           'test_results_info': test_results_info}


def argument_spec(module_name):
    """The full argument spec a module declares in its own file."""
    return MODULES[module_name].argument_spec()


TYPE_OPTIONS = {'instant_test': ['type'], 'instant_test_rerun': ['type'], 'test_results_info': ['type', 'tests.type']}


def documented(module_name, option):
    options = yaml.safe_load(MODULES[module_name].DOCUMENTATION)['options']
    for part in option.split('.')[:-1]:
        options = options[part]['suboptions']
    return options[option.split('.')[-1]]


def specified(module_name, option):
    spec = argument_spec(module_name)
    for part in option.split('.')[:-1]:
        spec = spec[part]['options']
    return spec[option.split('.')[-1]]


def test_twelve_types_each_with_its_v7_name_and_layers():
    # The eleven of v6 and v7's api.
    assert len(TEST_TYPES) == 12
    assert len(TYPE_BY_V7_NAME) == len(TEST_TYPES)
    for test_type in TEST_TYPES.values():
        assert test_type.primary_layer in LAYERS
        assert test_type.target in ('host', 'agent', 'url', 'domain', 'sip')
        assert test_type.hint


@pytest.mark.parametrize('module_name, option', [(name, option) for name, options in TYPE_OPTIONS.items() for option in options])
def test_type_choices_follow_the_table(module_name, option):
    assert specified(module_name, option)['choices'] == list(TEST_TYPES)
    assert documented(module_name, option)['choices'] == list(TEST_TYPES)


def test_layer_choices_follow_the_table():
    assert specified('test_results_info', 'layers')['choices'] == list(LAYERS)
    assert documented('test_results_info', 'layers')['choices'] == list(LAYERS)


@pytest.mark.parametrize('module_name', sorted(MODULES))
def test_every_specified_option_is_documented(module_name):
    options = yaml.safe_load(MODULES[module_name].DOCUMENTATION)['options']
    connection = {'api_url', 'api_version', 'token', 'email', 'auth_token', 'account_group_id', 'validate_certs', 'timeout',
                  'rate_limit_max_wait'}
    waits = {'wait', 'wait_timeout'} if module_name != 'agent_info' and module_name != 'test_results_info' else set()
    assert set(argument_spec(module_name)) == set(options) | connection | waits


def test_api_step_choices_follow_the_tables_of_fields():
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test import fields  # pylint: disable=import-outside-toplevel
    for option, table in (('requests.method', fields.API_METHODS), ('requests.auth.type', fields.API_AUTH_TYPES),
                          ('requests.auth.client_authentication', fields.API_CLIENT_AUTHENTICATIONS),
                          ('requests.assertions.name', fields.API_ASSERTION_NAMES),
                          ('requests.assertions.operator', fields.API_ALL_OPERATORS), ('request_type', fields.REQUEST_TYPES)):
        assert specified('instant_test', option)['choices'] == list(table), option
        assert documented('instant_test', option)['choices'] == list(table), option


@pytest.mark.parametrize('module_name', sorted(MODULES))
def test_each_module_declares_its_options_in_its_file_and_the_shared_ones_through_one_helper(module_name):
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils import _module  # pylint: disable=import-outside-toplevel
    assert not hasattr(_module, '_own_options') and not hasattr(_module, '_api_step_options')
    spec = MODULES[module_name].argument_spec()
    shared = _module.module_argument_spec({}, wait=module_name != 'agent_info')
    assert all(spec[name] == option for name, option in shared.items())
