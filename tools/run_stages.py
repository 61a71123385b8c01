"""Run stages of `make test` that do not depend on each other side by side, and time each.

Most stages are a single busy process (ansible-test sanity runs its checks one after the other, ansible-lint and
Sphinx use one core), so on a 2-core machine two of them side by side take little longer than one. Each stage's
output goes to a log file and is printed whole when the stage ends, so the logs of stages running side by side do
not interleave. Each stage's wall-clock time is appended to the stage-times file that `make test` prints at its end,
marked with the group it ran in; the group's own time is appended as one more line.

A stage named with --background runs in a CPU group that only gets the CPU the other stages leave idle (a cgroup
with cpu.idle, or the lowest cpu.shares or cpu.weight where that is missing). It is for a busy stage beside a stage
that mostly waits and whose timing is its point (the integration suite's serial pass): the waiting stage gets the CPU
the moment it wants it, as if it ran alone, and the busy stage uses what it leaves. Plain `nice` cannot do this:
Ansible starts each task's worker in a session of its own, and with the kernel's autogroups each session competes as
a group of its own, whatever the niceness of its processes. Where no such CPU group can be made (no cgroup file
system, not allowed to write to it), a background stage runs after the others have ended, never beside them.

Usage: python tools/run_stages.py --times FILE --group NAME [--background STAGE NAME ...] 'STAGE NAME=COMMAND' ...
Exits with the first failing stage's exit code (after every stage of the group has ended), 0 when all passed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

# Where a CPU controller may be mounted: cgroup v1's cpu hierarchy, then the cgroup v2 root.
CPU_CGROUP_ROOTS = ('/sys/fs/cgroup/cpu', '/sys/fs/cgroup')
# The settings that make a cgroup take only idle CPU, strongest first, with the value that does it.
IDLE_SETTINGS = (('cpu.idle', '1'), ('cpu.shares', '2'), ('cpu.weight', '1'))


def write(path: str, value: str) -> None:
    with open(path, 'w', encoding='ascii') as handle:
        handle.write(value)


def make_idle_cgroup(name: str) -> tuple[str | None, str]:
    """Create a cgroup that only gets idle CPU; return (its path, how) or (None, why not)."""
    reasons = []
    for root in CPU_CGROUP_ROOTS:
        if not os.path.isfile(os.path.join(root, 'cgroup.procs')):
            continue
        path = os.path.join(root, name)
        try:
            os.mkdir(path)
        except OSError as error:
            reasons.append('%s: %s' % (root, error.strerror))
            continue
        for setting, value in IDLE_SETTINGS:
            try:
                write(os.path.join(path, setting), value)
            except OSError:
                continue
            return path, '%s=%s' % (setting, value)
        remove_cgroup(path)
        reasons.append('%s: no cpu.idle, cpu.shares or cpu.weight to set' % root)
    return None, '; '.join(reasons) or 'no cgroup file system with a CPU controller'


def remove_cgroup(path: str) -> None:
    """Remove a cgroup made here; a process of the stage that outlived it keeps it, which is only reported."""
    try:
        os.rmdir(path)
    except OSError as error:
        print('make test: could not remove the CPU group %s: %s' % (path, error.strerror), flush=True)


def start(name: str, command: str, group: str, cgroup: str | None) -> dict:
    log = tempfile.TemporaryFile(mode='w+', encoding='utf-8', errors='replace')
    print('make test: %s: %s (started in %s%s)' % (name, command, group, ', on idle CPU only' if cgroup else ''), flush=True)

    def join_cgroup() -> None:
        # In the child before exec, so that everything the stage starts is in the group from its first instruction.
        write(os.path.join(cgroup, 'cgroup.procs'), str(os.getpid()))

    try:
        process = subprocess.Popen(['bash', '-c', command], stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=join_cgroup if cgroup else None)  # pylint: disable=subprocess-popen-preexec-fn
    except BaseException:
        log.close()
        raise
    return dict(name=name, process=process, log=log, start=time.monotonic())


def wait_for(running: list[dict], times_file: str, group: str) -> int:
    """Wait for every stage in ``running``, print its log whole as it ends; return the first failure's exit code."""
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
            with open(times_file, 'a', encoding='utf-8') as times:
                times.write('%-26s %5ss  (%s in %s)\n' % (stage['name'], seconds, stage.get('how', 'side by side'), group))
            if rc != 0 and not failed_rc:
                failed_rc = rc
        time.sleep(0.5)
    return failed_rc


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--times', required=True, help='stage-times file to append to')
    parser.add_argument('--group', required=True, help='name of this group of stages, for the times file')
    parser.add_argument('--background', action='append', default=[], metavar='STAGE NAME',
                        help='a stage that takes only the CPU the others leave idle (repeatable)')
    parser.add_argument('stages', nargs='+', metavar='NAME=COMMAND')
    args = parser.parse_args(argv)

    stages = []
    for spec in args.stages:
        name, sep, command = spec.partition('=')
        if not sep or not name or not command:
            parser.error('a stage is NAME=COMMAND, got %r' % spec)
        stages.append((name, command))
    unknown = set(args.background) - {name for name, _command in stages}
    if unknown:
        parser.error('--background names no stage of this group: %s' % ', '.join(sorted(unknown)))

    group_start = time.monotonic()
    cgroup = None
    if args.background:
        cgroup, how = make_idle_cgroup('netdiag-background-%d' % os.getpid())
        if cgroup:
            print('make test: %s run on idle CPU only (%s, %s)' % (', '.join(args.background), cgroup, how), flush=True)
        else:
            print('make test: no CPU group for idle-only stages here (%s): %s run after the rest of %s' % (
                how, ', '.join(args.background), args.group), flush=True)
    try:
        running, later = [], []
        for name, command in stages:
            if name not in args.background:
                running.append(start(name, command, args.group, None))
            elif not cgroup:
                later.append((name, command))
            else:
                try:
                    stage = start(name, command, args.group, cgroup)
                except subprocess.SubprocessError as error:
                    # Joining the group failed in the child, before its command ran: it runs after the others instead.
                    print('make test: %s could not join %s (%s): it runs after the rest of %s' % (name, cgroup, error, args.group),
                          flush=True)
                    later.append((name, command))
                    continue
                stage['how'] = 'on idle CPU'
                running.append(stage)
        failed_rc = wait_for(running, args.times, args.group)
        for name, command in later:
            if failed_rc:
                print('make test: %s not started: a stage of %s failed' % (name, args.group), flush=True)
                continue
            stage = start(name, command, args.group, None)
            stage['how'] = 'after the others'
            failed_rc = wait_for([stage], args.times, args.group)
    finally:
        if cgroup:
            remove_cgroup(cgroup)

    with open(args.times, 'a', encoding='utf-8') as times:
        times.write('%-26s %5ss\n' % (args.group, int(time.monotonic() - group_start)))
    return failed_rc


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
