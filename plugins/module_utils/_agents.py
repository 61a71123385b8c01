# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Agents: one listing per task at most, and resolution of agent names to IDs.

Private to this collection: may change at any time.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_digits, closest_names


# Country names as people write them, for agent_info's country option (the API gives ISO 3166 alpha-2 codes).
COUNTRY_CODES = {
    'argentina': 'AR', 'australia': 'AU', 'austria': 'AT', 'bahrain': 'BH', 'belgium': 'BE', 'brazil': 'BR', 'bulgaria': 'BG',
    'canada': 'CA', 'chile': 'CL', 'china': 'CN', 'colombia': 'CO', 'croatia': 'HR', 'czech republic': 'CZ', 'czechia': 'CZ',
    'denmark': 'DK', 'egypt': 'EG', 'estonia': 'EE', 'finland': 'FI', 'france': 'FR', 'germany': 'DE', 'greece': 'GR',
    'hong kong': 'HK', 'hungary': 'HU', 'iceland': 'IS', 'india': 'IN', 'indonesia': 'ID', 'ireland': 'IE', 'israel': 'IL',
    'italy': 'IT', 'japan': 'JP', 'kenya': 'KE', 'latvia': 'LV', 'lithuania': 'LT', 'luxembourg': 'LU', 'malaysia': 'MY',
    'mexico': 'MX', 'morocco': 'MA', 'netherlands': 'NL', 'the netherlands': 'NL', 'new zealand': 'NZ', 'nigeria': 'NG',
    'norway': 'NO', 'pakistan': 'PK', 'peru': 'PE', 'philippines': 'PH', 'poland': 'PL', 'portugal': 'PT', 'qatar': 'QA',
    'romania': 'RO', 'saudi arabia': 'SA', 'serbia': 'RS', 'singapore': 'SG', 'slovakia': 'SK', 'slovenia': 'SI',
    'south africa': 'ZA', 'south korea': 'KR', 'korea': 'KR', 'spain': 'ES', 'sweden': 'SE', 'switzerland': 'CH',
    'taiwan': 'TW', 'thailand': 'TH', 'turkey': 'TR', 'turkiye': 'TR', 'ukraine': 'UA', 'united arab emirates': 'AE',
    'uae': 'AE', 'united kingdom': 'GB', 'uk': 'GB', 'great britain': 'GB', 'england': 'GB', 'united states': 'US',
    'united states of america': 'US', 'usa': 'US', 'vietnam': 'VN',
}


def _name_key(name):
    """An agent name for comparing: case and the spaces around commas ignored."""
    return re.sub(r'\s*,\s*', ',', (name or '').strip().lower())


def split_name(refs, index, agents):
    """(pieces, agent name) when ``refs`` around ``index`` join at commas to the name of one of ``agents``, else None.

    Ansible splits a string given for a list option at its commas, and agent names contain commas
    ("Frankfurt, Germany"), so the pieces of one name arrive as several list items.
    """
    names = dict((_name_key(agent['name']), agent['name']) for agent in agents if agent['name'])
    for start in range(0, index + 1):
        for end in range(len(refs), index, -1):
            chunk = refs[start:end]
            if len(chunk) < 2 or not all(isinstance(piece, str) for piece in chunk):
                continue
            joined = _name_key(','.join(chunk))
            if joined in names:
                return chunk, names[joined]
    return None


def split_name_error(refs, index, agents, option, item='agent'):
    """The OptionError for the pieces of a name split at its commas, or None when the pieces make no agent name."""
    found = split_name(refs, index, agents)
    if not found:
        return None
    pieces, name = found
    return OptionError('%s: %s are the pieces of the agent name %r, split at its commas (a string given for a list option is '
                       'split at every comma). Give one %s per list item: %s: [%r].'
                       % (option, ' and '.join(repr(piece.strip()) for piece in pieces), name, item, option, name))


def looks_like_id(value):
    return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, str) and ascii_digits(value.strip()))


class AgentDirectory:
    """The account group's agents, fetched on first use and only once."""

    def __init__(self, client):
        self.client = client
        self._agents = None

    def list(self, agent_types=None):
        """Normalised agents (see ``ThousandEyesApi.normalise_agent``); ``agent_types`` filters on the server."""
        if agent_types:
            return self.client.api.list_agents(agent_types)
        if self._agents is None:
            self._agents = self.client.api.list_agents()
        return self._agents

    def known(self, agent_id):
        """The agent when the listing has been read already, else None: never a request of its own."""
        return self.by_id(agent_id) if self._agents is not None else None

    def by_id(self, agent_id):
        for agent in self.list():
            if agent['id'] == str(agent_id):
                return agent
        return None

    def find_by_name(self, name, option='agents'):
        """The one agent with this name (case-insensitive); OptionError naming the closest names or the clashing IDs."""
        wanted = name.strip().lower()
        matches = [agent for agent in self.list() if (agent['name'] or '').lower() == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise OptionError('%s: the agent name %r matches %d agents: %s. Give the agent by ID instead.' % (
                option, name, len(matches), ', '.join('%s (%s, %s)' % (agent['id'], agent['location'] or '?', agent['type'])
                                                      for agent in matches)))
        names = sorted(set(agent['name'] for agent in self.list() if agent['name']))
        contained = [candidate for candidate in names if candidate.lower() in wanted]
        # "Frankfurt, Germany (Azure)" holds "Frankfurt, Germany": only the longest names count.
        contained = [candidate for candidate in contained
                     if not any(candidate != other and candidate.lower() in other.lower() for other in contained)]
        if len(contained) > 1:
            raise OptionError('%s: no agent is named %r; it holds several agent names (%s): give one agent per list item.'
                              % (option, name, ', '.join(repr(candidate) for candidate in contained)))
        close = closest_names(name, names)
        hint = ('Closest names: %s.' % ', '.join(repr(candidate) for candidate in close)) if close else (
            'The account group has %d agents; list them with netdiag.thousandeyes.agent_info.' % len(names))
        raise OptionError('%s: no agent is named %r. %s' % (option, name, hint))

    def resolve(self, refs, option='agents'):
        """Turn agent references into ``[{'agentId': ..., 'sourceIpAddress': ...}]`` entries (strings for IDs).

        A reference is an ID (int or digit string), a name, or a dict with ``id`` or ``name`` and an optional
        ``source_ip``. IDs are taken as given, so that tasks that name agents by ID need no agents request.
        """
        resolved = []
        for index, ref in enumerate(refs):
            source_ip = None
            if isinstance(ref, dict):
                unknown = sorted(set(ref) - set(('id', 'name', 'source_ip')))
                if unknown:
                    raise OptionError('%s: unknown keys %s in %r; an agent is an ID, a name, or a dict with id or name and '
                                      'optionally source_ip.' % (option, ', '.join(unknown), ref))
                if (ref.get('id') is None) == (ref.get('name') is None):
                    raise OptionError('%s: give exactly one of id or name in %r.' % (option, ref))
                source_ip = ref.get('source_ip')
                ref = ref['id'] if ref.get('id') is not None else ref['name']
                if source_ip is not None and not isinstance(source_ip, str):
                    raise OptionError('%s: source_ip must be an IP address string, got %r.' % (option, source_ip))
            if looks_like_id(ref):
                agent_id = str(ref).strip()
            elif isinstance(ref, str) and ref.strip():
                try:
                    agent_id = self.find_by_name(ref, option)['id']
                except OptionError as error:
                    raise split_name_error(refs, index, self.list(), option) or error from None
            else:
                raise OptionError('%s: %r is neither an agent ID nor an agent name.' % (option, ref))
            entry = {'agentId': agent_id}
            if source_ip:
                entry['sourceIpAddress'] = source_ip
            if entry in resolved:
                raise OptionError('%s: agent %s is given twice.' % (option, agent_id))
            resolved.append(entry)
        if self._agents is not None:
            # The listing was read anyway (for a name): agents given by ID are checked against it too, at no extra request.
            self._check_against_listing(resolved, option)
        return resolved

    def _check_against_listing(self, resolved, option):
        for entry in resolved:
            agent = self.by_id(entry['agentId'])
            if agent is None:
                raise OptionError('%s: no agent has the ID %s in this account group; list them with netdiag.thousandeyes.agent_info.'
                                  % (option, entry['agentId']))
            source_ip = entry.get('sourceIpAddress')
            if source_ip and source_ip not in agent['addresses']:
                raise OptionError('%s: source_ip %s is not an address of agent %r (%s); its addresses are %s.' % (
                    option, source_ip, agent['name'], agent['id'], ', '.join(agent['addresses']) or 'none'))


def country_codes(countries, agents):
    """The ISO codes of the country option: codes as given (any case), country names mapped to their codes.

    OptionError listing the codes found among the agents for a value that is neither.
    """
    codes = set()
    for country in countries or []:
        text = country.strip()
        if len(text) == 2 and text.isalpha():
            codes.add(text.upper())
        elif text.lower() in COUNTRY_CODES:
            codes.add(COUNTRY_CODES[text.lower()])
        else:
            present = sorted(set(agent['country'] for agent in agents if agent['country']))
            raise OptionError('country: %r is not an ISO 3166 country code (such as DE) nor a country name this collection knows; '
                              'the agents are in %s.' % (country, ', '.join(present) or 'no country'))
    return codes


def filter_agents(directory, names=None, countries=None, states=None, agent_types=None):
    """The agents of agent_info: names (shell patterns, case-insensitive), countries, states and types, sorted by name.

    A name split at its commas into several items fails with the name to give instead of matching nothing.
    """
    agents = directory.list(agent_types=agent_types)
    patterns = [name.strip().lower() for name in names or []]
    for index, pattern in enumerate(patterns):
        if not any(fnmatchcase((agent['name'] or '').lower(), pattern) for agent in agents):
            error = split_name_error(list(names), index, agents, 'name', item='name')
            if error:
                raise error
    codes = country_codes(countries, agents)
    found = [agent for agent in agents
             if (not patterns or any(fnmatchcase((agent['name'] or '').lower(), pattern) for pattern in patterns))
             and (not codes or (agent['country'] or '').upper() in codes)
             and (not states or agent['state'] in states)]
    return sorted(found, key=lambda agent: ((agent['name'] or '').lower(), agent['id']))
