# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The renderers of the diagnose report side by side, and the one map from a report file's suffix to its renderer.

Private to this collection: may change at any time. Pure functions of the report (no I/O, no clock).

- the text table and its Markdown form: ``table.py`` (``diagnose_table``, what the role shows after a run);
- Markdown, for a ticket or a wiki page: ``report_markdown.py``;
- HTML, one self-contained page for a person: ``report_html.py``;
- JSON, the report itself for tools: ``diagnose_report_json`` here.

``REPORT_RENDERERS`` is the only place that says which suffix writes which format: the check of
``diagnose_report_path`` (``plan.report_path_errors``) and the role's report file (the filter
``diagnose_report_file``) both read it.
"""

from __future__ import annotations

import json
import os.path
from typing import Any, Callable

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import diagnose_report_html
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_markdown import diagnose_report_markdown


def diagnose_report_json(report: dict[str, Any]) -> str:
    """The report as JSON: keys sorted, indented by two, ending in a newline (as ``to_nice_json(indent=2)`` wrote it)."""
    if not isinstance(report, dict) or 'targets' not in report:
        raise DiagnoseInputError('diagnose_report_json expects the diagnose_report that diagnose_verdicts returned.')
    return json.dumps(report, indent=2, sort_keys=True, separators=(',', ': ')) + '\n'


# The report formats by file suffix (PRODUCT.md, role diagnose), lower case.
REPORT_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    '.md': diagnose_report_markdown,
    '.html': diagnose_report_html,
    '.json': diagnose_report_json,
}


def report_suffix(path: str) -> str:
    """The suffix of a report path as ``REPORT_RENDERERS`` keys it (lower case; '' for none)."""
    return os.path.splitext(path)[1].lower()


def diagnose_report_file(report: dict[str, Any], path: Any) -> str:
    """The content of the report file at ``path``, in the format its suffix picks."""
    if not isinstance(path, str) or report_suffix(path) not in REPORT_RENDERERS:
        raise DiagnoseInputError('diagnose_report_file: the suffix of the report path picks the format: %s; got %r.'
                                 % (', '.join(REPORT_RENDERERS), path))
    return REPORT_RENDERERS[report_suffix(path)](report)
