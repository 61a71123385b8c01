# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the emulator's api creates against the vendor's ApiInstantTest / ApiRequest schema."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.emulator.fields import parse_definition


def api_body(**step):
    base = dict(name='a', url='https://x.example/', method='get')
    base.update(step)
    return {'testName': 'api', 'agents': [{'agentId': '101'}], 'url': 'https://x.example/', 'requests': [base]}


@pytest.mark.parametrize('name, operator', [('status-code', 'matches'), ('status-code', 'includes'), ('response-body', 'is'),
                                            ('response-body', 'is-not')])
def test_an_operator_must_fit_its_assertion_name(name, operator):
    dummy, errors = parse_definition('v7', 'api', api_body(assertions=[{'name': name, 'operator': operator, 'value': '200'}]))
    assert [item['field'] for item in errors.items] == ['requests[0].assertions[0].operator']


@pytest.mark.parametrize('name, operator', [('status-code', 'is'), ('status-code', 'is-not'), ('response-body', 'includes'),
                                            ('response-body', 'not-matches')])
def test_fitting_operators_are_taken(name, operator):
    dummy, errors = parse_definition('v7', 'api', api_body(assertions=[{'name': name, 'operator': operator, 'value': '200'}]))
    assert not errors
