# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The single place where a module meets the client: argument spec merge, client creation, error handling.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._client import REQUESTS_IMPORT_ERROR, ThousandEyesClient
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings, connection_argument_spec
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import ThousandEyesError


def run_module(argument_spec, logic, **module_kwargs):
    """Build the module, run ``logic(module, client)`` and exit with the dict it returns.

    Every ThousandEyesError, whoever raises it, ends here as one ``fail_json`` with its message and details.
    ``logic`` may attach partial results to an error through its ``details`` (for example the test it created).
    """
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module_kwargs.setdefault('supports_check_mode', True)
    module = AnsibleModule(argument_spec=spec, **module_kwargs)
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
        module.fail_json(**failure)
    finally:
        if client is not None:
            client.close()
    module.exit_json(**result)
