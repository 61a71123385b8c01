# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role's report files: the HTML page as a person sees it (headless Chromium), the JSON report, Markdown.

One role run per API version writes the page for three targets: a healthy one, one with a lossy transit hop whose rdns
and network name hold markup (a path fault, the emulator's ``markup`` scenario), and one whose DNS error detail holds
markup (``markup-dns``). Every
check reuses that page: the structure (html.parser), the screenshot (not blank, the fault drawn in red), the DOM that
Chromium built (the markup stayed text), and the requests it made (none: a loopback proxy counts them).
"""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import threading
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

HEALTHY = 'https://shop.example.com/health'
PATH_FAULT = 'evil.example.com'
MARKUP_DNS = 'https://evil-dns.example.com/'
AGENTS = [101, 102]
MARKUP_TEXTS = ('<script>alert("rdns")</script>.example.net', '<img src=x onerror=alert("network")>',
                '<img src=x onerror=alert("error")><script>alert("dns")</script>')
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars')
# The browser's own service traffic (clock, variations) goes to these hosts whatever page it shows: not the page's.
BROWSER_SERVICE_HOSTS = ('.google.com', '.googleapis.com', '.gvt1.com', '.gstatic.com')
ENSURE_CHROMIUM = Path(__file__).resolve().parents[2] / 'tools' / 'ensure_chromium.sh'


def chromium_binary():
    for name in ('chromium', 'chromium-headless-shell', 'chromium-browser'):
        if shutil.which(name):
            return shutil.which(name)
    if ENSURE_CHROMIUM.exists():
        completed = subprocess.run(['bash', str(ENSURE_CHROMIUM)], capture_output=True, text=True, timeout=900, check=False)
        if completed.returncode == 0 and completed.stdout.strip():
            return completed.stdout.strip().splitlines()[-1]
    pytest.fail('no chromium, and tools/ensure_chromium.sh could not install it')


class CountingProxy:
    """A loopback HTTP proxy that answers nothing and counts the connections made to it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.requests = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                connection, dummy = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.requests.append(connection.recv(1024).split(b'\r\n', 1)[0].decode(errors='replace'))
                    connection.sendall(b'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
                except OSError:
                    self.requests.append('(unread)')

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.server.close()


def request_host(request_line):
    """The host of a proxy request line: ``GET http://host:port/path HTTP/1.1`` or ``CONNECT host:443 HTTP/1.1``."""
    parts = request_line.split(' ')
    target = parts[1] if len(parts) > 1 else ''
    return target.split('://', 1)[-1].split('/', 1)[0].rsplit(':', 1)[0]


def run_chromium(binary, page, profile, proxy, *action):
    command = [binary, *CHROMIUM_FLAGS, '--user-data-dir=%s' % profile, '--proxy-server=http://127.0.0.1:%d' % proxy.port,
               '--proxy-bypass-list=<-loopback>', *action, page.as_uri()]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG, decoded with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack('>I4s', data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b''.join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for row_index in range(height):
        start = row_index * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return width, height, rows


class PageStructure(HTMLParser):
    """Elements, the text and the open targets of the page: which target holds fault-marked hops."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.urls = [], [], []
        self.target_stack, self.fault_hops = [], {}
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name, value in attrs.items():
            if name in ('src', 'href', 'action', 'poster', 'data') and value:
                self.urls.append((tag, name, value))
        if tag == 'details':
            self.target_stack.append(attrs if 'target' in (attrs.get('class') or '').split() else None)
        if 'fault-hop' in (attrs.get('class') or '').split():
            target = next((entry for entry in reversed(self.target_stack) if entry), None)
            key = (target or {}).get('id')
            self.fault_hops[key] = self.fault_hops.get(key, 0) + 1

    def handle_endtag(self, tag):
        if tag == 'details' and self.target_stack:
            self.target_stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def structure(markup):
    parser = PageStructure()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.fixture
def page(run_playbook, emulator, tmp_path):
    """The HTML page of one role run over the three targets, and the report the role returned."""
    emulator.configure(scenarios={
        PATH_FAULT: 'markup', 'evil-dns.example.com': 'markup-dns'})
    page_path, report_json = tmp_path / 'report.html', tmp_path / 'fact.json'
    run_playbook('diagnose_report_file.yml', extra_vars=dict(
        diagnose_targets=[HEALTHY, PATH_FAULT, MARKUP_DNS], diagnose_agents=AGENTS, report_path=str(page_path),
        report_also=[str(tmp_path / 'report.json'), str(tmp_path / 'report.md')], report_json=str(report_json)))
    return page_path, json.loads(report_json.read_text())


def check_json_and_markdown(page_path, report):
    """The same run's report as .json (the fact itself) and .md, written by the role's report file tasks."""
    assert json.loads((page_path.parent / 'report.json').read_text()) == report
    markdown = (page_path.parent / 'report.md').read_text()
    assert markdown.startswith('# ThousandEyes diagnosis: %s' % report['verdict'].upper())
    assert '<html' not in markdown and '<html' in page_path.read_text()


def test_html_page_as_a_person_sees_it(page, tmp_path):
    page_path, report = page
    check_json_and_markdown(page_path, report)
    markup = page_path.read_text()
    by_target = dict((target['target'], (index, target)) for index, target in enumerate(report['targets']))
    assert by_target[HEALTHY][1]['location'] == 'none'
    assert by_target[PATH_FAULT][1]['location'] == 'path', by_target[PATH_FAULT][1]['evidence']

    # Structure: the verdict on top, the fault marked on the path fault's drawing only, nothing that fetches.
    parsed = structure(markup)
    assert "default-src 'none'" in markup
    assert 'script' not in parsed.tags and 'img' not in parsed.tags and 'iframe' not in parsed.tags
    # Only links to follow (the test IDs' app links, the targets' anchors); nothing the page would load itself.
    assert [url for url in parsed.urls if url[0] != 'a'] == []
    assert [url for url in parsed.urls if not url[2].startswith(('#', 'https://', 'http://'))] == []
    assert 'svg' in parsed.tags
    assert parsed.fault_hops.get('target-%d' % by_target[PATH_FAULT][0], 0) >= 1, parsed.fault_hops
    assert 'target-%d' % by_target[HEALTHY][0] not in parsed.fault_hops
    text = ''.join(parsed.text)
    assert 'ThousandEyes diagnosis' in text and report['verdict'].upper() in text.upper()
    assert 'fault starts here' in text and '198.51.100.66' in text
    # Markup from the API is text: the parser sees it as text, never as elements.
    for value in MARKUP_TEXTS:
        assert value in text, value

    # As Chromium renders it: a screenshot that is not blank and shows the page's red marks (the marked hop, the failed
    # verdict), the DOM it built with the hop marked where it is and the markup still text, and not one request.
    binary = chromium_binary()
    proxy = CountingProxy()
    try:
        screenshot = tmp_path / 'page.png'
        # Half scale: the whole top of the page in a picture small enough to decode in pure Python quickly.
        run_chromium(binary, page_path, tmp_path / 'profile-shot', proxy, '--window-size=1280,1600', '--force-device-scale-factor=0.5',
                     '--screenshot=%s' % screenshot)
        dom = run_chromium(binary, page_path, tmp_path / 'profile-dom', proxy, '--dump-dom')
    finally:
        proxy.stop()
    page_requests = [request for request in proxy.requests if not request_host(request).endswith(BROWSER_SERVICE_HOSTS)]
    assert page_requests == [], proxy.requests
    width, height, rows = png_pixels(screenshot)
    pixels = [pixel for row in rows[::2] for pixel in row[::2]]
    inked = sum(1 for pixel in pixels if min(pixel) < 200)
    red = sum(1 for red_level, green, blue in pixels if red_level > 150 and green < 80 and blue < 90)
    assert inked > len(pixels) // 100, 'the screenshot is blank (%d of %d sampled pixels inked)' % (inked, len(pixels))
    assert red > 0, 'nothing red on the screenshot'
    rendered = structure(dom)
    assert 'script' not in rendered.tags and 'img' not in rendered.tags
    assert rendered.fault_hops.get('target-%d' % by_target[PATH_FAULT][0], 0) >= 1
    assert 'target-%d' % by_target[HEALTHY][0] not in rendered.fault_hops
    rendered_text = ''.join(rendered.text)
    for value in MARKUP_TEXTS:
        assert value in rendered_text, value
