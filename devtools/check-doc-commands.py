#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Run the command blocks of the documentation that are marked as tested.

A block is marked by a line just before the paragraph that introduces it:

  reStructuredText   .. test-command: WHERE        (then a "::" literal block)
  Markdown           <!-- test-command: WHERE -->  (then a ``` fenced block)

WHERE is one of
  host             run on this machine from the top of the tree, after the
                   build; the build's programs and usertools/ come first in
                   PATH, as after an install
  vm-host          the same, but the commands boot the test VM (skipped
                   with --where host)
  vm[:MODE,...]    run inside the test VM (one boot per mode for all such
                   blocks), in every mode or in the modes listed

Every command of a block (a line, with its backslash continuations; '#'
lines are comments) must exit 0; the run fails otherwise, naming the file,
the line and the command.

usage: check-doc-commands.py [--where host|vm|all] [--build DIR] [--list]
                             FILE...
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ['group', 'noiommu', 'cdev']
RST_MARK = re.compile(r'^\.\. test-command:\s*(\S+)\s*$')
MD_MARK = re.compile(r'^<!--\s*test-command:\s*(\S+)\s*-->\s*$')
BLOCK_TIMEOUT = 300


class Block:
    def __init__(self, path, line, where, lines):
        self.path = os.path.relpath(path, TOP)
        self.line = line          # first line of the block (1-based)
        self.where = where        # host, vm-host, vm
        self.modes = MODES
        if where.startswith('vm:'):
            self.where = 'vm'
            self.modes = where[3:].split(',')
        self.commands = split_commands(lines, line)

    def describe(self):
        w = self.where + ('' if self.modes == MODES or self.where != 'vm'
                          else ':' + ','.join(self.modes))
        return f'{self.path}:{self.line} [{w}]'


def split_commands(lines, first):
    """[(line number, command)] with continuations joined."""
    out = []
    cur, start = '', None
    for i, text in enumerate(lines):
        if start is None:
            if not text.strip() or text.lstrip().startswith('#'):
                continue
            start = first + i
        if text.endswith('\\'):
            cur += text[:-1] + ' '
            continue
        out.append((start, cur + text))
        cur, start = '', None
    if start is not None:
        out.append((start, cur))
    return out


def rst_blocks(path, text):
    lines = text.split('\n')
    blocks = []
    for i, line in enumerate(lines):
        m = RST_MARK.match(line)
        if m is None:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].rstrip().endswith('::'):
            j += 1
        j += 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or not lines[j].startswith((' ', '\t')):
            raise SystemExit(f'{path}:{i + 1}: test-command mark without a '
                             'literal block after it')
        indent = len(lines[j]) - len(lines[j].lstrip())
        body, k = [], j
        while k < len(lines) and (not lines[k].strip() or
                                  len(lines[k]) - len(lines[k].lstrip())
                                  >= indent):
            body.append(lines[k][indent:])
            k += 1
        while body and not body[-1].strip():
            body.pop()
        blocks.append(Block(path, j + 1, m.group(1), body))
    return blocks


def md_blocks(path, text):
    lines = text.split('\n')
    blocks = []
    for i, line in enumerate(lines):
        m = MD_MARK.match(line)
        if m is None:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith('```'):
            j += 1
        k = j + 1
        while k < len(lines) and not lines[k].startswith('```'):
            k += 1
        if k >= len(lines):
            raise SystemExit(f'{path}:{i + 1}: test-command mark without a '
                             'fenced block after it')
        blocks.append(Block(path, j + 2, m.group(1), lines[j + 1:k]))
    return blocks


def find_blocks(paths):
    blocks = []
    for p in paths:
        with open(p, encoding='utf-8') as f:
            text = f.read()
        blocks += md_blocks(p, text) if p.endswith('.md') else \
            rst_blocks(p, text)
    return blocks


def script_of(blocks, where_label):
    """A POSIX sh script running every command and counting failures."""
    out = ['fails=0', 'n=0']
    for b in blocks:
        out.append(f'echo "=== {b.describe()}"')
        for line, cmd in b.commands:
            where = f'{b.path}:{line}'
            out.append(f'echo "+ {shell_quote_echo(cmd)}"')
            out.append(cmd)
            if re.search(r'&(\s*\w+=\$!)?\s*$', cmd):
                continue  # a background job: the block goes on
            out.append('rc=$?; n=$((n + 1)); if [ $rc -ne 0 ]; then '
                       f'echo "DOC FAIL {where}: exit $rc: '
                       f'{shell_quote_echo(cmd)}"; fails=$((fails + 1)); fi')
    out.append(f'echo "documented commands ({where_label}): $n run, '
               '$fails failed"')
    out.append('[ $fails -eq 0 ]')
    return '\n'.join(out) + '\n'


def shell_quote_echo(cmd):
    """cmd made safe inside a double-quoted echo."""
    return re.sub(r'(["$`\\])', r'\\\1', cmd)


def host_env(build):
    env = dict(os.environ)
    bins = [os.path.join(build, d) for d in
            ('app/test', 'app/edu-demo', 'app/test-vfio-perf')]
    bins.append(os.path.join(TOP, 'usertools'))
    env['PATH'] = ':'.join(bins + ['/usr/bin', env.get('PATH', '')])
    return env


def run_host(blocks, build, label):
    if not blocks:
        return 0
    script = script_of(blocks, label)
    try:
        r = subprocess.run(['bash', '-c', script], cwd=TOP,
                           env=host_env(build), timeout=BLOCK_TIMEOUT *
                           len(blocks), check=False)
    except subprocess.TimeoutExpired:
        print(f'DOC FAIL: {label} commands took more than '
              f'{BLOCK_TIMEOUT * len(blocks)} s')
        return 1
    return r.returncode


def run_vm(blocks, build, modes):
    fails = 0
    for mode in modes:
        mine = [b for b in blocks if mode in b.modes]
        if not mine:
            continue
        with tempfile.NamedTemporaryFile('w', suffix='.sh',
                                         delete=False) as f:
            f.write(script_of(mine, f'vm {mode}'))
            path = f.name
        try:
            cmd = [os.path.join(TOP, 'usertools/test/vm-tools.sh'), mode,
                   build, '--script', path]
            print('+ ' + ' '.join(shlex.quote(c) for c in cmd), flush=True)
            r = subprocess.run(cmd, check=False)
            if r.returncode != 0:
                print(f'DOC FAIL: documented VM commands in {mode} mode '
                      f'(exit {r.returncode})')
                fails += 1
        finally:
            os.unlink(path)
    return fails


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--where', choices=['host', 'vm', 'all'], default='all')
    p.add_argument('--build', default=os.path.join(TOP, 'build'))
    p.add_argument('--modes', default=','.join(MODES),
                   help='VM modes to boot (default all)')
    p.add_argument('--list', action='store_true',
                   help='print the marked blocks and their commands')
    p.add_argument('files', nargs='+')
    args = p.parse_args()
    build = os.path.abspath(args.build)
    blocks = find_blocks(list(dict.fromkeys(args.files)))
    if args.list:
        for b in blocks:
            print(b.describe())
            for line, cmd in b.commands:
                print(f'  {line}: {cmd}')
        return 0
    for b in blocks:
        if b.where not in ('host', 'vm-host', 'vm'):
            raise SystemExit(f'{b.path}:{b.line}: unknown place '
                             f"'{b.where}' (host, vm-host, vm[:MODE,...])")
        bad = [m for m in b.modes if m not in MODES]
        if bad:
            raise SystemExit(f'{b.path}:{b.line}: unknown mode {bad[0]}')
    failed = 0
    if args.where in ('host', 'all'):
        failed += run_host([b for b in blocks if b.where == 'host'], build,
                           'host') != 0
    if args.where in ('vm', 'all'):
        failed += run_host([b for b in blocks if b.where == 'vm-host'],
                           build, 'vm-host') != 0
        failed += run_vm([b for b in blocks if b.where == 'vm'], build,
                         args.modes.split(','))
    n = sum(len(b.commands) for b in blocks)
    print(f'{len(blocks)} marked blocks, {n} commands: '
          f'{"FAILED" if failed else "all passed"}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
