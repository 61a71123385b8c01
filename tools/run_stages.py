"""Run stages of `make test` that do not depend on each other side by side, and time each.

Most stages are a single busy process (ansible-test sanity runs its checks one after the other, ansible-lint and
Sphinx use one core), so on a 2-core machine two of them side by side take little longer than one. Each stage's
output goes to a log file and is printed whole when the stage ends, so the logs of stages running side by side do
not interleave. Each stage's wall-clock time is appended to the stage-times file that `make test` prints at its end,
marked with the group it ran in; the group's own time is appended as one more line.

Usage: python tools/run_stages.py --times FILE --group NAME 'STAGE NAME=COMMAND' ['STAGE NAME=COMMAND' ...]
Exits with the first failing stage's exit code (after every stage of the group has ended), 0 when all passed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--times', required=True, help='stage-times file to append to')
    parser.add_argument('--group', required=True, help='name of this group of stages, for the times file')
    parser.add_argument('stages', nargs='+', metavar='NAME=COMMAND')
    args = parser.parse_args(argv)

    stages = []
    for spec in args.stages:
        name, sep, command = spec.partition('=')
        if not sep or not name or not command:
            parser.error('a stage is NAME=COMMAND, got %r' % spec)
        stages.append((name, command))

    group_start = time.monotonic()
    running = []
    for name, command in stages:
        log = tempfile.TemporaryFile(mode='w+', encoding='utf-8', errors='replace')
        print('make test: %s: %s (started, side by side with the rest of %s)' % (name, command, args.group), flush=True)
        process = subprocess.Popen(['bash', '-c', command], stdout=log, stderr=subprocess.STDOUT)
        running.append(dict(name=name, process=process, log=log, start=time.monotonic()))

    failed_rc = 0
    pending = list(running)
    # Bounded by the stages themselves: each is a make target that ends; CI's own time limit bounds the rest.
    while pending:
        for stage in list(pending):
            rc = stage['process'].poll()
            if rc is None:
                continue
            pending.remove(stage)
            seconds = int(time.monotonic() - stage['start'])
            stage['log'].seek(0)
            print('=' * 30 + ' %s (%s s, exit %s) ' % (stage['name'], seconds, rc) + '=' * 30, flush=True)
            for line in stage['log']:
                sys.stdout.write(line)
            sys.stdout.flush()
            stage['log'].close()
            with open(args.times, 'a', encoding='utf-8') as times:
                times.write('%-18s %5ss  (side by side in %s)\n' % (stage['name'], seconds, args.group))
            if rc != 0 and not failed_rc:
                failed_rc = rc
        time.sleep(0.5)

    with open(args.times, 'a', encoding='utf-8') as times:
        times.write('%-18s %5ss\n' % (args.group, int(time.monotonic() - group_start)))
    return failed_rc


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
