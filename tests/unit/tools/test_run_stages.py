# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make test`'s stage runner: stages side by side, a background stage in an idle-only CPU group or after the rest."""

from __future__ import annotations

import os

import pytest

from ansible_collections.netdiag.thousandeyes.tools import run_stages


def stage_lines(times):
    return [line.split()[0] for line in times.read_text().splitlines()]


def test_stages_run_side_by_side_and_each_time_is_written(tmp_path):
    times = tmp_path / 'times.txt'
    rc = run_stages.main(['--times', str(times), '--group', 'pair', 'one=sleep 0.2', 'two=true'])
    assert rc == 0
    assert sorted(stage_lines(times)[:2]) == ['one', 'two'] and stage_lines(times)[2] == 'pair'


def test_the_first_failure_is_the_exit_code_after_every_stage_ended(tmp_path):
    times = tmp_path / 'times.txt'
    rc = run_stages.main(['--times', str(times), '--group', 'g', 'bad=exit 3', 'slow=sleep 0.3; touch %s' % (tmp_path / 'done')])
    assert rc == 3 and (tmp_path / 'done').exists()


def assert_the_background_stage_ran_after_the_other(tmp_path):
    """Run a background stage beside a waiting one; it must have run after it, said so in the times file."""
    order = tmp_path / 'order'
    times = tmp_path / 'times.txt'
    rc = run_stages.main(['--times', str(times), '--group', 'g', '--background', 'busy',
                          'busy=echo busy >> %s' % order, 'waiting=sleep 0.3; echo waiting >> %s' % order])
    assert rc == 0
    assert order.read_text().split() == ['waiting', 'busy']
    assert 'after the others' in times.read_text()


def test_without_a_cpu_group_a_background_stage_runs_after_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(run_stages, 'CPU_CGROUP_ROOTS', (str(tmp_path / 'no-cgroup-here'),))
    assert_the_background_stage_ran_after_the_other(tmp_path)


def test_a_background_stage_is_not_started_after_a_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(run_stages, 'CPU_CGROUP_ROOTS', ())
    rc = run_stages.main(['--times', str(tmp_path / 'times.txt'), '--group', 'g', '--background', 'busy',
                          'busy=touch %s' % (tmp_path / 'ran'), 'waiting=exit 2'])
    assert rc == 2 and not (tmp_path / 'ran').exists()


def test_a_background_stage_joins_the_cpu_group_before_its_command_runs(tmp_path, monkeypatch, capsys):
    # A stand-in for a cgroup hierarchy: a folder whose cgroup.procs receives the stage's process ID.
    root = tmp_path / 'cpu'
    root.mkdir()
    (root / 'cgroup.procs').write_text('')
    monkeypatch.setattr(run_stages, 'CPU_CGROUP_ROOTS', (str(root),))
    pid_file = tmp_path / 'pid'
    rc = run_stages.main(['--times', str(tmp_path / 'times.txt'), '--group', 'g', '--background', 'busy',
                          'busy=echo $$ > %s' % pid_file, 'waiting=sleep 0.2'])
    assert rc == 0
    group, = [path for path in root.iterdir() if path.is_dir()]
    assert (group / 'cpu.idle').read_text() == '1'
    # bash -c replaced nothing: the shell that ran the command is the process that joined the group.
    assert (group / 'cgroup.procs').read_text() == pid_file.read_text().strip()
    assert 'on idle CPU only' in capsys.readouterr().out


def test_a_stage_that_cannot_join_the_cpu_group_runs_after_the_others(tmp_path, monkeypatch):
    root = tmp_path / 'cpu'
    root.mkdir()
    (root / 'cgroup.procs').write_text('')
    monkeypatch.setattr(run_stages, 'CPU_CGROUP_ROOTS', (str(root),))
    real_write = run_stages.write

    def refused(path, value):
        if path.endswith('cgroup.procs'):
            raise OSError(1, 'Operation not permitted')
        real_write(path, value)

    # The forked child calls the module's write too: the refusal happens there, before the command runs.
    monkeypatch.setattr(run_stages, 'write', refused)
    assert_the_background_stage_ran_after_the_other(tmp_path)


def test_a_background_name_must_be_a_stage(tmp_path):
    with pytest.raises(SystemExit):
        run_stages.main(['--times', str(tmp_path / 't'), '--group', 'g', '--background', 'typo', 'one=true'])


@pytest.mark.skipif(not os.path.isdir('/sys/fs/cgroup'), reason='no cgroup file system')
def test_a_real_cpu_group_is_removed_afterwards(tmp_path):
    rc = run_stages.main(['--times', str(tmp_path / 'times.txt'), '--group', 'g', '--background', 'busy',
                          'busy=true', 'waiting=true'])
    assert rc == 0
    leftovers = [name for root in run_stages.CPU_CGROUP_ROOTS if os.path.isdir(root)
                 for name in os.listdir(root) if name == 'netdiag-background-%d' % os.getpid()]
    assert leftovers == []
