#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Check that every shared library exports exactly its version.map.

For each library: every dynamic symbol it defines must be listed in its
version.map, in the node the map gives it (DPDK_26 or INTERNAL), and every
listed symbol must be exported. Functions its headers mark __rte_internal
must be in the INTERNAL node, and only those.

Usage: devtools/check-symbols.py BUILD_DIR
"""

import glob
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (shared library in the build tree, source directory: version.map, headers)
LIBRARIES = [
    ('lib/eal/librte_eal.so', 'lib/eal', 'lib/eal/include/*.h'),
    ('drivers/bus/pci/librte_bus_pci.so', 'drivers/bus/pci',
     'drivers/bus/pci/*.h'),
    ('drivers/bus/fslmc/librte_bus_fslmc.so', 'drivers/bus/fslmc',
     'drivers/bus/fslmc/*.h'),
    ('drivers/dma/edu/librte_dma_edu.so', 'drivers/dma/edu',
     'drivers/dma/edu/*.h'),
]

INTERNAL_NODE = 'INTERNAL'


def parse_map(path):
    """{symbol: node} of the global: sections of a version script."""
    text = re.sub(r'#[^\n]*', '', open(path, encoding='utf-8').read())
    symbols = {}
    for node, body in re.findall(r'(\w+)\s*\{(.*?)\}\s*[\w\s]*;', text,
                                 re.S):
        glob_part = re.search(r'global:(.*?)(?:local:|$)', body, re.S)
        if glob_part is None:
            continue
        for sym in re.findall(r'([\w.]+)\s*;', glob_part.group(1)):
            if sym in symbols:
                raise ValueError('%s: %s listed in %s and %s' %
                                 (path, sym, symbols[sym], node))
            symbols[sym] = node
    return symbols


def exported(so):
    """{symbol: version node} of the defined dynamic symbols of so."""
    out = subprocess.run(['nm', '-D', '--defined-only', so], check=True,
                         capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[1] == 'A':
            continue  # version node names themselves
        name, _, node = fields[2].partition('@@')
        if not node:
            name, _, node = fields[2].partition('@')
        symbols[name] = node
    return symbols


def internal_functions(pattern):
    """Functions declared __rte_internal in the headers matching pattern."""
    names = set()
    for header in glob.glob(os.path.join(TOP, pattern)):
        text = open(header, encoding='utf-8').read()
        # the macro's own definition is not a declaration
        text = re.sub(r'#\s*define\s+__rte_internal[^\n]*(\\\n[^\n]*)*', '',
                      text)
        for m in re.finditer(r'__rte_internal\s+[^;{]*?\b(\w+)\s*\(', text):
            names.add(m.group(1))
    return names


def check(build):
    errors = []
    checked = 0
    for so_rel, src, headers in LIBRARIES:
        so = os.path.join(build, so_rel)
        if not os.path.exists(so):
            continue  # driver not built (-Denable_drivers)
        checked += 1
        map_path = os.path.join(TOP, src, 'version.map')
        listed = parse_map(map_path)
        have = exported(so)
        internal = internal_functions(headers)
        for sym in sorted(set(have) - set(listed)):
            errors.append('%s exports %s, not listed in %s/version.map '
                          '(make it static, or list it)' %
                          (so_rel, sym, src))
        for sym in sorted(set(listed) - set(have)):
            errors.append('%s/version.map lists %s, which %s does not '
                          'define (stale entry)' % (src, sym, so_rel))
        for sym in sorted(set(have) & set(listed)):
            if have[sym] != listed[sym]:
                errors.append('%s: %s has version %s, the map says %s' %
                              (so_rel, sym, have[sym] or '(none)',
                               listed[sym]))
            want = INTERNAL_NODE if sym in internal else None
            if want is not None and listed[sym] != want:
                errors.append('%s: %s is __rte_internal but listed in %s '
                              '(move it to %s)' % (src, sym, listed[sym],
                                                   INTERNAL_NODE))
            if want is None and listed[sym] == INTERNAL_NODE:
                errors.append('%s: %s is in %s but its declaration lacks '
                              '__rte_internal' % (src, sym, INTERNAL_NODE))
    if checked == 0:
        errors.append('no library found under %s: is it a build directory?'
                      % build)
    return checked, errors


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checked, errors = check(sys.argv[1])
    for e in errors:
        print('check-symbols: ' + e, file=sys.stderr)
    if errors:
        return 1
    print('check-symbols: %d libraries export their version.map only' %
          checked)
    return 0


if __name__ == '__main__':
    sys.exit(main())
