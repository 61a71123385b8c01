# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of this collection's modules in the pytest process, as a task would run it, against the emulator.

A module run through ``ansible-playbook`` costs about two seconds of CPU (the controller's start, the AnsiballZ
payload, compiling ``ansible.module_utils.basic``); here it costs a few milliseconds. The module's ``main()`` runs
with its arguments given through ansible-core's ``patch_module_args`` (the same parsing, validation, ``no_log``
masking and ``exit_json``/``fail_json`` as on a host), with only the ``TE_*`` environment a user would set, and
what it printed is returned as the dict a task registers: ``failed`` and ``changed`` always present, warnings as
their plain messages. The emulator's request log is read by the test as for a playbook run.

What needs Ansible itself (module_defaults, templating, the role, no_log in the callback output, ansible-runner,
ansible-rulebook, the built tarball) stays in real playbook runs (``run_playbook`` in conftest.py).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
from unittest import mock

from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args

MODULE_PACKAGE = 'ansible_collections.netdiag.thousandeyes.plugins.modules.'


class ModuleOutputError(AssertionError):
    """The module did not end with one JSON result (it raised, or printed something else)."""


def _message(warning):
    """A warning as a playbook shows it: its text. ansible-core 2.19+ serializes warnings as structured summaries."""
    if isinstance(warning, str):
        return warning
    if isinstance(warning, dict):
        event = warning.get('event', warning)
        if isinstance(event, dict):
            return event.get('msg', json.dumps(warning))
    return str(warning)


def _result_from(output):
    """The last JSON object the module printed (AnsibleModule prints a newline before it)."""
    text = output.strip()
    start = text.rfind('\n{')
    start = 0 if start < 0 else start + 1
    try:
        result = json.loads(text[start:])
    except ValueError as error:
        raise ModuleOutputError('the module printed no JSON result: %r' % output[-2000:]) from error
    if not isinstance(result, dict):
        raise ModuleOutputError('the module printed %r, not a result' % result)
    return result


def run_module(name, args, environment, check_mode=False, diff=False):
    """Run module ``name`` with ``args`` and the environment ``environment`` (the whole ``TE_*`` set); return its result.

    ``check_mode`` and ``diff`` are what ``--check`` and ``--diff`` would set. A traceback out of the module is a
    defect of the module: it is raised as it is, so that the test fails on it.
    """
    module = importlib.import_module(MODULE_PACKAGE + name)
    module_args = dict(args)
    module_args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
    # Every run starts from the environment a task would see: no TE_* variable of the pytest process leaks in.
    te_free = dict((key, value) for key, value in os.environ.items() if not key.startswith('TE_'))
    te_free.update(environment)
    output = io.StringIO()
    ansible_warnings._global_warnings.clear()  # pylint: disable=protected-access
    ansible_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    exit_code = None
    with mock.patch.dict(os.environ, te_free, clear=True), patch_module_args(module_args), \
            contextlib.redirect_stdout(output):
        try:
            module.main()
        except SystemExit as exit_:
            exit_code = exit_.code
    if exit_code is None:
        raise ModuleOutputError('%s returned from main() without exit_json or fail_json' % name)
    result = _result_from(output.getvalue())
    result.setdefault('changed', False)
    result['failed'] = bool(result.get('failed', False)) or exit_code != 0
    if 'warnings' in result:
        result['warnings'] = [_message(warning) for warning in result['warnings']]
    return result
