# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Combine the integration suite's coverage data, print the coverage of plugins/, and check it against the floor.

Every process of a run (pytest and its workers, each ansible-playbook, its forked workers, each AnsiballZ module
process) wrote its own data file (tests/coverage/coverage.ini). Their paths name the synced tree or an AnsiballZ zip;
the ``[paths]`` rule maps both to ``plugins/``. Line and branch coverage are printed apart, then compared with
tests/coverage/floor.json: the figures the suite had before module tests moved in-process, less a small tolerance for
the paths that depend on timing (a retry that happens on one run and not on the next).

    python tools/coverage_report.py DATA_DIR [--floor tests/coverage/floor.json] [--write-floor]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / 'tests' / 'coverage' / 'coverage.ini'
FLOOR = ROOT / 'tests' / 'coverage' / 'floor.json'


def totals(data_dir):
    """Combine the data files of ``data_dir`` into one and return (coverage object, line %, branch %)."""
    data_file = Path(data_dir) / 'combined'
    if data_file.exists():
        data_file.unlink()
    measured = coverage.Coverage(data_file=str(data_file), config_file=str(CONFIG))
    measured.combine([str(path) for path in sorted(Path(data_dir).glob('.coverage*'))], keep=True)
    measured.save()
    measured.load()
    report_file = Path(data_dir) / 'combined.json'
    measured.json_report(outfile=str(report_file))
    figures = json.loads(report_file.read_text())['totals']
    lines, covered_lines = figures['num_statements'], figures['covered_lines']
    branches, covered_branches = figures['num_branches'], figures['covered_branches']
    return measured, 100.0 * covered_lines / max(lines, 1), 100.0 * covered_branches / max(branches, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('data_dir', help='the folder the run wrote its .coverage* files into')
    parser.add_argument('--floor', default=str(FLOOR), help='the JSON file with the figures not to drop below')
    parser.add_argument('--write-floor', action='store_true', help='write this run\'s figures as the floor')
    args = parser.parse_args(argv)
    measured, line, branch = totals(args.data_dir)
    measured.report(show_missing=False, skip_covered=False)
    print('coverage of plugins/: lines %.1f %%, branches %.1f %%' % (line, branch))
    floor_file = Path(args.floor)
    if args.write_floor:
        floor_file.write_text(json.dumps({'line': round(line, 1), 'branch': round(branch, 1), 'tolerance': 0.5}, indent=1) + '\n')
        print('written to %s' % floor_file)
        return 0
    floor = json.loads(floor_file.read_text())
    dropped = [(name, value, floor[name]) for name, value in (('line', line), ('branch', branch))
               if value < floor[name] - floor['tolerance']]
    for name, value, before in dropped:
        print('%s coverage %.1f %% is below the floor %.1f %% (less %.1f) of %s' % (name, value, before, floor['tolerance'], args.floor),
              file=sys.stderr)
    return 1 if dropped else 0


if __name__ == '__main__':
    sys.exit(main())
