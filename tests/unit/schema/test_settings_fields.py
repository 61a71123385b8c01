# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings field tables the modules carry agree with the vendor's v7 schema and the v6 emulator, type by type."""

from __future__ import annotations

import pytest

pytest.importorskip('thousandeyes_sdk.instant_tests')

# pylint: disable=wrong-import-position
from ansible_collections.netdiag.thousandeyes.emulator.fields import specs_for  # noqa: E402
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.settings_fields import (  # noqa: E402
    READ_ONLY,
    V6_FIELDS,
    V7_FIELDS,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES, TYPE_BY_V7_NAME  # noqa: E402
from ansible_collections.netdiag.thousandeyes.tests.schema import oracle  # noqa: E402


def _schema_fields():
    """Collection type name -> the declared fields of its v7 instant request model."""
    found = {}
    for op in oracle.operations():
        if op.method == 'POST' and op.template.startswith('/v7/tests/') and op.template.endswith('/instant'):
            v7_name = op.template.split('/')[3]
            name = TYPE_BY_V7_NAME[v7_name].name if v7_name in TYPE_BY_V7_NAME else v7_name
            found[name] = frozenset(oracle.declared_fields(op.body_model))
    return found


def test_v7_table_is_the_schema():
    schema = _schema_fields()
    assert sorted(V7_FIELDS) == sorted(schema)
    for name, fields in schema.items():
        assert V7_FIELDS[name] == fields, (name, sorted(fields ^ V7_FIELDS[name]))


def test_every_type_has_its_fields_in_both_versions():
    for name in TEST_TYPES:
        assert name in V7_FIELDS, name
        assert name in V6_FIELDS or name == 'api', name


def test_v6_table_takes_every_field_the_emulator_takes():
    for name, fields in V6_FIELDS.items():
        missing = set(specs_for(name, 'v6')) - fields
        assert not missing, (name, sorted(missing))


def test_read_only_fields_are_fields_of_the_api():
    every = frozenset().union(*V7_FIELDS.values()) | frozenset().union(*V6_FIELDS.values())
    assert READ_ONLY <= every
