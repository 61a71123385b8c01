# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure input rules: host names, settings keys, unreturned settings, agent names split at commas, countries, waits."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import country_codes, split_name, split_name_error
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import ApiV6, ApiV7
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.compare import differences, uncomparable_settings
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import check_settings, checked_url
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_digits, ascii_host, split_host_port
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import Budget, WaitLog

V6 = ApiV6('https://api.example.com')
V7 = ApiV7('https://api.example.com')
AGENTS = [{'id': '101', 'name': 'Frankfurt, Germany', 'country': 'DE'}, {'id': '102', 'name': 'London, England', 'country': 'GB'},
          {'id': '204', 'name': 'lab-agent', 'country': 'US'}]


@pytest.mark.parametrize('host,expected', [
    ('www.example.com', 'www.example.com'),
    ('bücher.example', 'xn--bcher-kva.example'),
    ('_sip._tcp.example.com', '_sip._tcp.example.com'),
    ('192.0.2.1', '192.0.2.1'),
    ('2001:db8::1', '2001:db8::1'),
    ('example.com.', 'example.com'),
    ('%s.example.com' % ('a' * 63), '%s.example.com' % ('a' * 63)),
])
def test_valid_hosts_in_ascii(host, expected):
    assert ascii_host(host, 'target') == expected


@pytest.mark.parametrize('host,needle', [
    ('shop example com', 'has spaces'),
    ('%s.example.com' % ('a' * 64), 'has 64 characters'),
    ('a..example.com', 'empty label'),
    ('-bad.example.com', 'no hyphen at either end'),
    ('bad!.example.com', 'only letters, digits'),
    ('.'.join(['a' * 60] * 5), 'a host name has at most 253'),
])
def test_invalid_hosts_name_the_option(host, needle):
    with pytest.raises(OptionError) as raised:
        ascii_host(host, 'target')
    assert raised.value.msg.startswith('target: ') and needle in raised.value.msg


def test_urls_checked_and_international_hosts_as_punycode():
    assert checked_url('https://shop.example.com:8443/x?y=1') == 'https://shop.example.com:8443/x?y=1'
    assert checked_url('https://Bücher.example/katalog') == 'https://xn--bcher-kva.example/katalog'
    assert checked_url('https://[2001:db8::1]/') == 'https://[2001:db8::1]/'
    for url, needle in (('https://shop.example.com:70000/', 'port'), ('https://shop.example.com:0/', 'port'),
                        ('https://%s.example.com/' % ('b' * 64), 'at most 63')):
        with pytest.raises(OptionError) as raised:
            checked_url(url)
        assert needle in raised.value.msg and raised.value.msg.startswith('target')


def test_only_ascii_digits_are_numbers():
    assert ascii_digits('123') and not ascii_digits('³') and not ascii_digits('¹2') and not ascii_digits('')
    with pytest.raises(OptionError):
        split_host_port('db.example.com:¹', 'target')


def test_settings_keys_are_fields_of_the_type_in_the_version():
    check_settings({'httpTimeLimit': 5, 'labels': ['1']}, 'http-server', V7)
    check_settings({'httpTimeLimit': 5, 'alertsEnabled': 0}, 'http-server', V6)
    with pytest.raises(OptionError) as raised:
        check_settings({'httpTimeLimt': 5}, 'http-server', V7)
    assert "'httpTimeLimt' (closest: httpTimeLimit" in raised.value.msg and 'API v7' in raised.value.msg
    # A field of one version only is refused on the other.
    with pytest.raises(OptionError) as raised:
        check_settings({'alertsEnabled': 0}, 'http-server', V7)
    assert 'alertsEnabled' in raised.value.msg
    with pytest.raises(OptionError) as raised:
        check_settings({'testId': '1'}, 'http-server', V6)
    assert 'set by ThousandEyes' in raised.value.msg


def test_unreturned_settings_are_never_a_difference():
    wanted = {'url': 'https://shop.example.com/', 'httpTimeLimit': 10, 'labels': ['1'], 'dnsOverride': '192.0.2.7'}
    existing = {'testId': '1', 'type': 'http-server', 'url': 'https://shop.example.com/', 'httpTimeLimit': 10}
    settings = {'httpTimeLimit': 10, 'labels': ['1'], 'dnsOverride': '192.0.2.7'}
    assert uncomparable_settings(settings, existing, V7) == ['labels', 'dnsOverride']
    assert differences(wanted, existing, V7, settings) == []
    # A returned field that differs still counts.
    assert differences(dict(wanted, httpTimeLimit=20), existing, V7, dict(settings, httpTimeLimit=20)) == [('httpTimeLimit', 10, 20)]


def test_a_name_split_at_its_comma_is_recognised():
    refs = ['Frankfurt', ' Germany', '102']
    assert split_name(refs, 0, AGENTS) == (['Frankfurt', ' Germany'], 'Frankfurt, Germany')
    assert split_name(refs, 1, AGENTS) == (['Frankfurt', ' Germany'], 'Frankfurt, Germany')
    assert split_name(['Frankfurt'], 0, AGENTS) is None
    error = split_name_error(['London', 'England'], 1, AGENTS, 'agents')
    assert "agents: 'London' and 'England' are the pieces of the agent name 'London, England'" in error.msg
    assert "one agent per list item: agents: ['London, England']" in error.msg


def test_countries_as_codes_or_names():
    assert country_codes(['de', 'Germany', 'United Kingdom'], AGENTS) == {'DE', 'GB'}
    with pytest.raises(OptionError) as raised:
        country_codes(['Atlantis'], AGENTS)
    assert 'DE, GB, US' in raised.value.msg


def test_wait_log_per_reason_and_notices():
    log = WaitLog()
    budget = Budget('instant')
    budget.limit, budget.reset = 24, 1764151260
    log.rate_limit(budget, 3.0, 'POST', 'u')
    assert log.notices == []
    log.rate_limit(budget, 61.25, 'POST', 'u')
    log.add('results', 12.0)
    assert log.as_dict() == {'organization_rate_limit': 0.0, 'instant_test_rate_limit': 64.2, 'results': 12.0, 'retries': 0.0}
    assert len(log.notices) == 1 and 'instant-test rate-limit budget (24 requests per window), which reset at 10:01:00 UTC' in log.notices[0]
