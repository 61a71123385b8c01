# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Attributes every module of the collection shares; use with ansible.builtin.action_common_attributes.
    DOCUMENTATION = r'''
attributes:
  action_group:
    description: Use C(group/netdiag.thousandeyes.thousandeyes) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - netdiag.thousandeyes.thousandeyes
  platform:
    support: full
    platforms: all
    details: The module talks to the ThousandEyes API from wherever it runs, usually the controller or an execution environment.
'''

    # For modules that only read.
    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    details: This module only reads, so it runs normally in check mode.
  diff_mode:
    support: N/A
    details: This module only reads.
'''
