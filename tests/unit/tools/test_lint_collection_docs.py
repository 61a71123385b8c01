# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs linter wrapper repeats a run only when antsibull-docs' own temporary folder name was all that failed."""

from __future__ import annotations

import subprocess

from ansible_collections.netdiag.thousandeyes.tools import lint_collection_docs

TEMPORARY = ('plugins/module/agent_info.rst:4:0: (ERROR/3) Unknown target name: "antsibull-docs-ep4lvb5".\n'
             'plugins/filter/diagnose_plan.rst:4:0: (ERROR/3) Unknown target name: "antsibull-docs-ep4lvb5".\n')
REAL = 'plugins/module/instant_test.rst:120:0: (ERROR/3) Unknown target name: "wait".\n'


def test_only_findings_about_the_temporary_folder_count():
    assert lint_collection_docs.only_the_temporary_path_failed(TEMPORARY)
    assert not lint_collection_docs.only_the_temporary_path_failed(TEMPORARY + REAL)
    assert not lint_collection_docs.only_the_temporary_path_failed(REAL)
    assert not lint_collection_docs.only_the_temporary_path_failed('Traceback (most recent call last):\n')


def answers(*outputs):
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        returncode, stdout = outputs[len(calls) - 1]
        return subprocess.CompletedProcess(command, returncode, stdout=stdout)
    return calls, run


def test_reruns_after_a_temporary_folder_failure_and_stops_at_a_real_one(monkeypatch, capsys):
    calls, run = answers((3, TEMPORARY), (0, ''))
    monkeypatch.setattr(subprocess, 'run', run)
    monkeypatch.setattr('sys.argv', ['lint_collection_docs.py', '--plugin-docs', '.'])
    assert lint_collection_docs.main() == 0
    assert calls == [['antsibull-docs', 'lint-collection-docs', '--plugin-docs', '.']] * 2
    assert 'running the linter again (2 of 3)' in capsys.readouterr().out

    calls, run = answers((3, REAL))
    monkeypatch.setattr(subprocess, 'run', run)
    assert lint_collection_docs.main() == 3 and len(calls) == 1

    calls, run = answers((3, TEMPORARY), (3, TEMPORARY), (3, TEMPORARY))
    monkeypatch.setattr(subprocess, 'run', run)
    assert lint_collection_docs.main() == 3 and len(calls) == lint_collection_docs.MAX_RUNS
