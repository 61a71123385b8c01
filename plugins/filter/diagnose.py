# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters behind the ``netdiag.thousandeyes.diagnose`` role: the input check, the plan, the runs, the verdicts, the result table,
the reasons as the renderers word them, the HTML report page and the report file in the format its suffix picks.

The logic lives in ``plugins/plugin_utils/_diagnose/`` as pure functions; this file only registers them and turns
their input errors into filter errors. The documentation of each filter is in the YAML file of the same name.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from ansible.errors import AnsibleFilterError

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import (
    DiagnoseInputError,
    diagnose_input_errors,
    diagnose_plan,
    diagnose_runs,
    diagnose_waits,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_details import diagnose_path_details
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import diagnose_reasons
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.renderers import diagnose_report_file
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import diagnose_report_html
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import diagnose_table
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts


def _filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except DiagnoseInputError as error:
            raise AnsibleFilterError(str(error)) from None
    return wrapper


class FilterModule:
    """Filters of the diagnose role."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return dict((function.__name__, _filter(function))
                    for function in (diagnose_input_errors, diagnose_plan, diagnose_runs, diagnose_waits, diagnose_path_details,
                                     diagnose_verdicts, diagnose_table, diagnose_reasons, diagnose_report_html, diagnose_report_file))
