# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's seeded endpoint agents and the names of the endpoint scenarios (data only; see endpoint.py)."""

# Seeded endpoint agents. ``online`` false: the agent has not checked in for two days and reports no results.
ENDPOINT_AGENTS = (
    {"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "name": "alice-laptop", "computerName": "ALICE-MBP",
     "platform": "mac", "osVersion": "macOS 14.5", "location": "Lyon, France", "latitude": 45.76, "longitude": 4.84,
     "publicIP": "198.51.100.71", "online": True, "interface": "wireless", "vpn": "cisco-anyconnect",
     "user": "alice@example.com", "tags": ["home-office"]},
    {"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "bob-laptop", "computerName": "BOB-THINKPAD",
     "platform": "windows", "osVersion": "Windows 11 23H2", "location": "Leeds, UK", "latitude": 53.80,
     "longitude": -1.55, "publicIP": "198.51.100.82", "online": True, "interface": "wireless", "vpn": None,
     "user": "bob@example.com", "tags": ["home-office"]},
    {"id": "16fd2706-8baf-433b-82eb-8c7fada847da", "name": "carol-desktop", "computerName": "CAROL-WS",
     "platform": "linux", "osVersion": "Ubuntu 24.04", "location": "Berlin, Germany", "latitude": 52.52,
     "longitude": 13.40, "publicIP": "198.51.100.93", "online": True, "interface": "ethernet", "vpn": None,
     "user": "carol@example.com", "tags": ["office"]},
    {"id": "886313e1-3b8a-4372-9b90-0c9aee199e5d", "name": "dave-laptop", "computerName": "DAVE-MBA",
     "platform": "mac", "osVersion": "macOS 13.6", "location": "Madrid, Spain", "latitude": 40.42, "longitude": -3.70,
     "publicIP": "198.51.100.104", "online": False, "interface": "wireless", "vpn": None,
     "user": "dave@example.com", "tags": ["home-office"]},
)
ENDPOINT_AGENTS_BY_ID = {a["id"]: a for a in ENDPOINT_AGENTS}
# Tag IDs an agent-tags selector may name, and the agents that carry each.
ENDPOINT_TAGS = {"home-office": "tag-home-office", "office": "tag-office"}

ENDPOINT_SCENARIOS = ("weak-wifi", "slow-vpn", "lossy-gateway", "lossy-isp", "busy-cpu")
