# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The error of the diagnose filters. Private to this collection: may change at any time."""

from __future__ import annotations


class DiagnoseInputError(ValueError):
    """The filter's input cannot be used; the message says what to change."""
