# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the emulator's api creates against the vendor's ApiInstantTest / ApiRequest schema."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.emulator.fields import parse_definition, render_fields


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


def test_an_oauth2_step_is_taken_and_answered_without_its_secret():
    oauth = dict(authType='oauth2', clientId='probe', clientSecret='client-secret-value', tokenUrl='https://login.example/token',
                 scope='read', clientAuthentication='basic-auth-header', collectApiResponse=False)
    body = dict(api_body(**oauth), predefinedVariables=[{'name': 'tenant', 'value': 'acme'}])
    definition, errors = parse_definition('v7', 'api', body)
    assert not errors
    answered = render_fields(dict(type='api', fields=definition['fields']), 'v7')
    step = answered['requests'][0]
    assert 'clientSecret' not in step and (step['clientId'], step['tokenUrl'], step['collectApiResponse']) == (
        'probe', 'https://login.example/token', False)
    assert answered['predefinedVariables'] == [{'name': 'tenant', 'value': 'acme'}]


def test_collect_api_response_defaults_to_true_as_in_the_schema():
    definition, errors = parse_definition('v7', 'api', api_body())
    assert not errors and definition['fields']['requests'][0]['collectApiResponse'] is True


@pytest.mark.parametrize('step, field', [(dict(clientAuthentication='header'), 'requests[0].clientAuthentication'),
                                         (dict(collectApiResponse='no'), 'requests[0].collectApiResponse'),
                                         (dict(authType='oauth'), 'requests[0].authType'),
                                         (dict(clientSecret=5), 'requests[0].clientSecret')])
def test_oauth2_fields_are_checked_against_the_schema(step, field):
    dummy, errors = parse_definition('v7', 'api', api_body(**step))
    assert [item['field'] for item in errors.items] == [field]
