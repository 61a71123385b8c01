# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dict -> XML for the v6 XML format.

The real schema (te-api-v6.xsd) is not reproduced; the rule here is simple and stable:
the document root is <response>, an object becomes child elements named after its keys, a list
becomes one element per item, all named after the list's key (``"test": [a, b]`` gives
``<test>a</test><test>b</test>``), scalars become text, null an empty element.
"""

import re

_BAD_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return).
_BAD_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape(text):
    """Escape text content (done here: this module's name shadows the standard xml package)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BAD_TEXT_CHARS.sub("", text)


def _name(key):
    name = _BAD_NAME_CHARS.sub("_", str(key)) or "_"
    if not re.match(r"[A-Za-z_]", name):
        name = "_" + name
    return name


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _element(key, value, out):
    name = _name(key)
    if isinstance(value, list):
        for item in value:
            _element(key, item, out)
    elif isinstance(value, dict):
        out.append("<%s>" % name)
        for child_key, child in value.items():
            _element(child_key, child, out)
        out.append("</%s>" % name)
    elif value is None:
        out.append("<%s/>" % name)
    else:
        out.append("<%s>%s</%s>" % (name, _text(value), name))


def to_xml(obj, root="response"):
    """Serialise a JSON-like object as an XML document (bytes, UTF-8)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _element(root, obj if isinstance(obj, dict) else {"value": obj}, out)
    return "".join(out).encode("utf-8")
