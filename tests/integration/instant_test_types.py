# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every instant test type as a task would create it: the options beyond name and agents, and the type's result layers.

test_instant_test.py creates each type once per API version; test_v7_answer_shapes.py creates each again under the
emulator's other v7 answer shapes.
"""

TYPES = [
    (dict(type='agent-to-server', target='www.example.com:443', protocol='tcp'), ['network', 'path-vis']),
    (dict(type='agent-to-agent', target='201', port=49153), ['network', 'path-vis']),
    (dict(type='http-server', target='https://www.example.com/'), ['http-server', 'network', 'path-vis']),
    (dict(type='page-load', target='https://www.example.com/'), ['page-load', 'network', 'path-vis']),
    (dict(type='web-transactions', target='https://www.example.com/login',
          transaction_script="import { driver } from 'thousandeyes'; runScript(); async function runScript() { await driver.get('/'); }"),
     ['web-transactions', 'network', 'path-vis']),
    (dict(type='ftp-server', target='ftp://ftp.example.com/pub/file.bin', request_type='download', username='demo',
          password='ftp-secret-value'), ['ftp-server', 'network', 'path-vis']),
    (dict(type='dns-trace', target='example.com a'), ['dns-trace']),
    (dict(type='dns-server', target='example.com', dns_servers=['8.8.8.8', 'ns1.example.net']), ['dns-server', 'network', 'path-vis']),
    (dict(type='dns-dnssec', target='example.com'), ['dnssec']),
    (dict(type='sip-server', target='sip.example.com:5061', protocol='tls'), ['sip-server', 'network', 'path-vis']),
    (dict(type='voice', target='sip-target-ea'), ['rtp-server', 'network', 'path-vis']),
]
