# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Agents: one listing per task at most, and resolution of agent names to IDs.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import closest_names


def looks_like_id(value):
    return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, str) and value.strip().isdigit())


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
        for ref in refs:
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
                agent_id = self.find_by_name(ref, option)['id']
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
