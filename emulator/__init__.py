# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A ThousandEyes API emulator (v6 and v7) for trying the collection and for its integration tests.

Start it with ``python -m emulator`` from the repository root; see ``emulator/__main__.py`` for the options.
It follows the public ThousandEyes API documentation and the vendor's v7 schema, not the collection's modules.
"""

__version__ = "1.0.0"
