# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The single place where a module meets the transport: the shared options, client creation, error handling.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings, connection_argument_spec
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import ThousandEyesError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR, ThousandEyesClient


def wait_argument_spec():
    """The wait options (documented by the netdiag.thousandeyes.wait fragment, or by test_results_info in its own words)."""
    return dict(wait=dict(type='bool', default=False), wait_timeout=dict(type='int', default=300))


def module_argument_spec(options: dict, wait: bool = False) -> dict:
    """A module's full argument spec: its own ``options`` (declared and documented in the module's file), the connection
    options and, with ``wait``, the wait options. validate-modules compares the result with the module's documentation."""
    spec = connection_argument_spec()
    spec.update(options)
    if wait:
        spec.update(wait_argument_spec())
    return spec


def run_module(argument_spec, logic, **module_kwargs):
    """Build the module with ``argument_spec`` (``module_argument_spec``), run ``logic(module, client)`` and exit with its dict.

    Every ThousandEyesError, whoever raises it, ends here as one ``fail_json`` with its message and details.
    ``logic`` may attach partial results to an error through its ``details`` (for example the test it created).
    """
    module_kwargs.setdefault('supports_check_mode', True)
    module = AnsibleModule(argument_spec=argument_spec, **module_kwargs)
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
