#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Check that the VFIO mode stays behind the backends and mode selection.

In lib/ and drivers/ (*.c, *.h), only the two backends and the mode
selection (lib/eal/linux/eal_vfio_group.c, eal_vfio_cdev.c, eal_vfio_mode.c)
and the public header that defines the modes (lib/eal/include/rte_vfio.h)
may compare RTE_VFIO_MODE_* values (==, !=, <, <=, >, >= on either side,
case labels, [RTE_VFIO_MODE_...] indexes) or name a backend (vfio_group_backend,
vfio_cdev_backend, num_kind, VFIO_NUM_GROUP, VFIO_NUM_CDEV). Everything
else asks rte_vfio_get_caps() / rte_vfio_get_interface() or calls through
the backend table.

Comments (// and /* */) and string and character literals are not code and
are ignored. The backends themselves must not reach the multi-process
channel (rte_mp_*, vfio_mp_*): the front end sends requests and hands the
backend what came back, so calls go down only.
Each violation is printed as FILE:LINE: what: source line; the
exit status is 1 when there is one, 0 otherwise.

Usage: devtools/check-vfio-layers.py [--root DIR] [--self-test]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DIRS = ('lib', 'drivers')
SUFFIXES = ('.c', '.h')
ALLOWED = frozenset((
    'lib/eal/linux/eal_vfio_group.c',
    'lib/eal/linux/eal_vfio_cdev.c',
    'lib/eal/linux/eal_vfio_mode.c',
    'lib/eal/include/rte_vfio.h',
))

MODE = r'RTE_VFIO_MODE_\w*'
# ==, != and the relational operators, not the shifts
CMP = r'(?:==|!=|<=|>=|(?<![<>])[<>](?![<>=]))'
# (what, pattern); the reported line is the one of group 'at'
RULES = (
    ('compares a mode',
     re.compile(r'%s\s*(?P<at>%s)|\b(?P<at2>%s)\s*%s'
                % (CMP, MODE, MODE, CMP))),
    ('switches on a mode', re.compile(r'\bcase\s+(?P<at>%s)' % MODE)),
    ('indexes by a mode', re.compile(r'\[\s*(?P<at>%s)' % MODE)),
    ('names a backend',
     re.compile(r'\b(?P<at>vfio_group_backend|vfio_cdev_backend|num_kind|'
                r'VFIO_NUM_GROUP|VFIO_NUM_CDEV)\b')),
)
BACKENDS = frozenset((
    'lib/eal/linux/eal_vfio_group.c',
    'lib/eal/linux/eal_vfio_cdev.c',
))
BACKEND_RULES = (
    ('backend reaches the multi-process channel',
     re.compile(r'\b(?P<at>(?:rte|vfio)_mp_\w+)\s*\(')),
)


def code_only(text):
    """text with comments and literal contents blanked, lines kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ''
        if c == '/' and nxt == '/':
            end = text.find('\n', i)
            end = n if end < 0 else end
            out.append(' ' * (end - i))
            i = end
        elif c == '/' and nxt == '*':
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r'[^\n]', ' ', text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def check_file(root, rel, rules=RULES):
    """[(rel, line, what, source line)] of one file."""
    with open(os.path.join(root, rel), encoding='utf-8',
              errors='replace') as f:
        text = f.read()
    code = code_only(text)
    lines = text.splitlines()
    found = []
    for what, rule in rules:
        for m in rule.finditer(code):
            at = m.start('at') if m.groupdict().get('at') is not None \
                else m.start('at2')
            line = code.count('\n', 0, at) + 1
            found.append((rel, line, what, lines[line - 1].strip()))
    return found


def check_tree(root):
    """Sorted violations in root's lib/ and drivers/."""
    found = []
    for top in DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SUFFIXES):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                rel = rel.replace(os.sep, '/')
                if rel not in ALLOWED:
                    found.extend(check_file(root, rel))
                if rel in BACKENDS:
                    found.extend(check_file(root, rel, BACKEND_RULES))
    return sorted(set(found), key=lambda v: (v[0], v[1], v[2]))


def run(root, out=sys.stdout):
    """Print the violations of root; 1 when there are some, else 0."""
    found = check_tree(root)
    for rel, line, what, src in found:
        print('%s:%d: %s: %s' % (rel, line, what, src), file=out)
    if found:
        print('check-vfio-layers: %d violation(s) in %d file(s): only %s '
              'may compare RTE_VFIO_MODE_* or name a backend; use '
              'rte_vfio_get_caps()/rte_vfio_get_interface() or the backend '
              'table; backends leave multi-process requests to the front '
              'end' % (len(found), len({v[0] for v in found}),
                         ', '.join(sorted(ALLOWED))), file=out)
        return 1
    print('check-vfio-layers: no mode comparison or backend name outside '
          'the backends and mode selection, no multi-process call in a '
          'backend', file=out)
    return 0


# ---- self-test ---------------------------------------------------------------

CLEAN = {
    # the allowed files may do all of it
    'lib/eal/linux/eal_vfio_mode.c':
        'switch (m) { case RTE_VFIO_MODE_GROUP: return vfio_group_backend(); }\n'
        'static int t[] = { [RTE_VFIO_MODE_CDEV] = 1 };\n',
    'lib/eal/linux/eal_vfio_group.c':
        'if (ops->num_kind == VFIO_NUM_GROUP && m != RTE_VFIO_MODE_NONE)\n',
    'lib/eal/linux/eal_vfio_cdev.c': 'x = VFIO_NUM_CDEV; y = vfio_cdev_backend;\n'
        '/* the front end calls vfio_mp_request() */ int vfio_mp_reqs;\n',
    'lib/eal/include/rte_vfio.h':
        'enum rte_vfio_mode { RTE_VFIO_MODE_NONE = 0, };\n'
        'static inline int f(void) { return g() == RTE_VFIO_MODE_NONE; }\n',
    # elsewhere: comments, literals, uses that are no comparison
    'lib/eal/linux/eal_vfio.c':
        '// if (m == RTE_VFIO_MODE_GROUP) vfio_group_backend();\n'
        '/* case RTE_VFIO_MODE_CDEV:\n'
        '   [RTE_VFIO_MODE_NOIOMMU] num_kind */\n'
        'log("mode == RTE_VFIO_MODE_CDEV, num_kind");\n'
        'char q = \'"\'; char s[] = "/* not a comment */";\n'
        'return RTE_VFIO_MODE_NONE; /* a value, not a comparison */\n'
        'enum rte_vfio_mode m = rte_vfio_get_mode();\n'
        'int my_num_kinds, vfio_group_backends, VFIO_NUM_GROUPS;\n'
        'x = a <= b; y = 1 << RTE_VFIO_MODE_GROUP; z = p->m;\n',
    'drivers/bus/x/x.c':
        'if ((rte_vfio_get_caps() & RTE_VFIO_CAP_GROUPS) != 0)\n'
        '\treturn 0;\n',
    # not C, or not in lib/ and drivers/
    'lib/eal/linux/notes.txt': 'm == RTE_VFIO_MODE_CDEV\n',
    'drivers/bus/x/x.py': 'vfio_group_backend\n',
    'app/test/t.c': 'if (m == RTE_VFIO_MODE_CDEV) num_kind;\n',
}

# file -> text, and the (file, line, what) the checker must report
VIOLATING = {
    'lib/eal/linux/eal_vfio_mem.c':
        'if (m == RTE_VFIO_MODE_CDEV)\n'            # 1
        '\treturn;\n'
        'if (RTE_VFIO_MODE_NONE != rte_vfio_get_mode())\n'  # 3
        'if (x &&\n'
        '\t\tm !=\n'
        '\t\tRTE_VFIO_MODE_GROUP)\n'                # 6: split over lines
        '/* x */ switch (m) { case RTE_VFIO_MODE_NOIOMMU: }\n'  # 7
        'static const int t[] = { [ RTE_VFIO_MODE_GROUP ] = 1 };\n'  # 8
        'x = "/*"; if (m==RTE_VFIO_MODE_CDEV) {} /* "*/\n'  # 9
        'if (m >= RTE_VFIO_MODE_GROUP || RTE_VFIO_MODE_CDEV<m)\n',  # 10
    'lib/eal/linux/eal_vfio.h':
        'const struct vfio_backend_ops *vfio_group_backend(void);\n'  # 1
        'enum vfio_num_kind num_kind; /* VFIO_NUM_GROUP */\n'  # 2
        'int k = VFIO_NUM_CDEV; p = &vfio_cdev_backend;\n',  # 3
    'drivers/bus/x/x.c':
        '\tif (rte_vfio_get_mode() == RTE_VFIO_MODE_NOIOMMU) // PA\n',  # 1
    'lib/eal/linux/eal_vfio_group.c':
        'int ok = 1;\n'
        'ret = vfio_mp_request(&req, &fd);\n'  # 2
        'rte_mp_request_sync (&m, &r, &ts);\n',  # 3
}
EXPECTED = {
    ('lib/eal/linux/eal_vfio_mem.c', 1, 'compares a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 3, 'compares a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 6, 'compares a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 7, 'switches on a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 8, 'indexes by a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 9, 'compares a mode'),
    ('lib/eal/linux/eal_vfio_mem.c', 10, 'compares a mode'),
    ('lib/eal/linux/eal_vfio.h', 1, 'names a backend'),
    ('lib/eal/linux/eal_vfio.h', 2, 'names a backend'),
    ('lib/eal/linux/eal_vfio.h', 3, 'names a backend'),
    ('drivers/bus/x/x.c', 1, 'compares a mode'),
    ('lib/eal/linux/eal_vfio_group.c', 2,
     'backend reaches the multi-process channel'),
    ('lib/eal/linux/eal_vfio_group.c', 3,
     'backend reaches the multi-process channel'),
}


def make_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)


def self_test():
    """Run the checker on a clean and on a violating tree; 0 when right."""
    errors = []
    with tempfile.TemporaryDirectory() as clean, \
            tempfile.TemporaryDirectory() as bad:
        make_tree(clean, CLEAN)
        make_tree(bad, dict(CLEAN, **VIOLATING))
        got = check_tree(clean)
        if got:
            errors.append('clean tree flagged: %s' % got)
        got = {(v[0], v[1], v[2]) for v in check_tree(bad)}
        for v in sorted(EXPECTED - got):
            errors.append('missed %s:%d (%s)' % v)
        for v in sorted(got - EXPECTED):
            errors.append('wrongly flagged %s:%d (%s)' % v)
        # the command itself: its exit status and FILE:LINE lines
        for root, status in ((clean, 0), (bad, 1)):
            p = subprocess.run([sys.executable, os.path.abspath(__file__),
                                '--root', root], capture_output=True,
                               text=True, check=False)
            if p.returncode != status:
                errors.append('--root %s: exit %d, expected %d:\n%s' %
                              (root, p.returncode, status, p.stdout))
            if status == 1 and \
                    'drivers/bus/x/x.c:1: compares a mode: ' not in p.stdout:
                errors.append('output lacks drivers/bus/x/x.c:1:\n%s' %
                              p.stdout)
    for e in errors:
        print('check-vfio-layers self-test: ' + e)
    if errors:
        return 1
    print('check-vfio-layers self-test: %d violations found in the bad tree, '
          'none in the clean one' % len(EXPECTED))
    return 0


def main():
    parser = argparse.ArgumentParser(
        description='No VFIO mode comparison or backend name outside the '
                    'backends and mode selection.')
    parser.add_argument('--root', default=TOP,
                        help='source tree to check (default: this one)')
    parser.add_argument('--self-test', action='store_true',
                        help='check the checker on generated trees')
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    return run(args.root)


if __name__ == '__main__':
    sys.exit(main())
