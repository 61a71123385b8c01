# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The single place where a module meets the transport: every argument spec, client creation, error handling.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings, connection_argument_spec
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS, TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR, ThousandEyesClient

AGENT_TYPES = ['cloud', 'enterprise', 'enterprise-cluster']
AGENT_STATES = ['online', 'offline', 'disabled']
# The modules that take the wait options (instant_test and instant_test_rerun document them with the
# netdiag.thousandeyes.wait fragment; test_results_info in its own words, as it waits for any run).
WAITING_MODULES = ('instant_test', 'instant_test_rerun', 'test_results_info')


def _type_option():
    return dict(type='str', choices=list(TEST_TYPES))


def _api_step_options():
    """One step of an api test (the API's ApiRequest, in snake_case); the credentials are no_log."""
    return dict(
        name=dict(type='str', required=True),
        url=dict(type='str', required=True),
        method=dict(type='str', default='get', choices=['get', 'post', 'put', 'delete', 'patch']),
        headers=dict(type='dict'),
        body=dict(type='str'),
        auth=dict(type='dict', options=dict(
            type=dict(type='str', choices=['none', 'basic', 'bearer-token']),
            username=dict(type='str'),
            password=dict(type='str', no_log=True),
            token=dict(type='str', no_log=True),
        )),
        assertions=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', default='status-code', choices=['status-code', 'response-body']),
            operator=dict(type='str', default='is', choices=['is', 'is-not', 'includes', 'not-includes', 'matches', 'not-matches']),
            value=dict(type='raw', required=True),
        )),
        variables=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='str', required=True),
        )),
        wait_time=dict(type='int'),
        verify_certificate=dict(type='bool', default=True),
    )


def _own_options(module_name):
    """Each module's own options; their documentation is in the module (validate-modules compares both)."""
    if module_name == 'agent_info':
        return dict(
            name=dict(type='list', elements='str'),
            type=dict(type='list', elements='str', choices=AGENT_TYPES),
            country=dict(type='list', elements='str'),
            state=dict(type='list', elements='str', choices=AGENT_STATES),
            local_problems=dict(type='bool', default=False),
        )
    if module_name == 'instant_test':
        return dict(
            name=dict(type='str', required=True),
            type=_type_option(),
            test_id=dict(type='str'),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            agents=dict(type='list', elements='raw'),
            target=dict(type='str'),
            port=dict(type='int'),
            protocol=dict(type='str'),
            dns_servers=dict(type='list', elements='str'),
            transaction_script=dict(type='str'),
            request_type=dict(type='str', choices=['download', 'upload', 'list']),
            username=dict(type='str'),
            password=dict(type='str', no_log=True),
            description=dict(type='str'),
            settings=dict(type='dict'),
            requests=dict(type='list', elements='dict', options=_api_step_options()),
            on_change=dict(type='str', default='recreate', choices=['recreate', 'fail']),
            run=dict(type='str', default='on_create', choices=['on_create', 'always']),
        )
    if module_name == 'instant_test_rerun':
        return dict(test_id=dict(type='str'), name=dict(type='str'), type=_type_option())
    if module_name == 'test_results_info':
        return dict(
            test_id=dict(type='str'),
            name=dict(type='str'),
            tests=dict(type='list', elements='dict', options=dict(
                test=dict(type='dict'),
                test_id=dict(type='str'),
                type=_type_option(),
                since=dict(type='raw'),
            )),
            path_details=dict(type='list', elements='dict', options=dict(
                test_id=dict(type='str', required=True),
                agent_id=dict(type='str', required=True),
                round_id=dict(type='int', required=True),
            )),
            type=_type_option(),
            layers=dict(type='list', elements='str', choices=list(LAYERS)),
            since=dict(type='raw'),
            window=dict(type='raw'),
            start=dict(type='raw'),
            end=dict(type='raw'),
            poll_interval=dict(type='int'),
        )
    raise ValueError('no argument spec for module %r' % module_name)


def argument_spec(module_name: str) -> dict:
    """The full argument spec of one of this collection's modules: its own options, wait options, connection options."""
    spec = connection_argument_spec()
    spec.update(_own_options(module_name))
    if module_name in WAITING_MODULES:
        spec.update(wait=dict(type='bool', default=False), wait_timeout=dict(type='int', default=300))
    return spec


def run_module(module_name, logic, **module_kwargs):
    """Build the module with ``argument_spec(module_name)``, run ``logic(module, client)`` and exit with its dict.

    Every ThousandEyesError, whoever raises it, ends here as one ``fail_json`` with its message and details.
    ``logic`` may attach partial results to an error through its ``details`` (for example the test it created).
    """
    module_kwargs.setdefault('supports_check_mode', True)
    module = AnsibleModule(argument_spec=argument_spec(module_name), **module_kwargs)
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    client = None
    try:
        client = ThousandEyesClient(ConnectionSettings.from_params(module.params))
        result = logic(module, client)
    except ThousandEyesError as error:
        failure = error.fail_kwargs()
        if client is not None:
            failure.setdefault('request_count', client.request_count)
            report_waits(module, client, failure)
        module.fail_json(**failure)
    finally:
        if client is not None:
            client.close()
    report_waits(module, client, result)
    module.exit_json(**result)


def report_waits(module, client, result):
    """``waited`` (seconds per reason) into the result, and a warning per rate-limit wait of more than a few seconds."""
    if client is None:
        return
    result['waited'] = client.waits.as_dict()
    for notice in client.waits.notices:
        module.warn(notice)
