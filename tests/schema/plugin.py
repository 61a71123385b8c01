# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest hook: after every test that used the emulator, check each v7 request and answer in its log
against the vendor's schema. A mismatch fails the test itself (not its teardown) and names field and rule.

A test that sends invalid requests on purpose marks which ones with
``@pytest.mark.schema_expected(substring, ...)``: a mismatch whose text (``where: field: rule``) contains one
of the substrings is allowed; everything else is still checked.
"""

from __future__ import annotations

import pytest

from . import oracle

MARKER = 'schema_expected'


def pytest_configure(config) -> None:
    config.addinivalue_line('markers', '%s(*substrings): mismatches with the v7 schema that the test '
                                       'provokes on purpose (e.g. an invalid value sent to get a 400)' % MARKER)


def _allowed(item) -> tuple[str, ...]:
    allowed: list[str] = []
    for mark in item.iter_markers(MARKER):
        allowed.extend(mark.args)
    return tuple(allowed)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    emulator = getattr(item, 'funcargs', {}).get('emulator')
    if emulator is None:
        return result
    allowed = _allowed(item)
    mismatches = [found for found in oracle.check_log(emulator.requests())
                  if not any(expected in str(found) for expected in allowed)]
    if mismatches:
        raise AssertionError(oracle.report(mismatches))
    return result
