#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Parse every reStructuredText file given and fail on any warning.

The guides are written for Sphinx; its toctree directive and doc role are
accepted here without being resolved.
"""

import io
import sys

import docutils.core
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles


class Toctree(Directive):
    has_content = True
    option_spec = {'maxdepth': directives.unchanged,
                   'numbered': directives.flag,
                   'hidden': directives.flag}

    def run(self):
        return []


def doc_role(name, rawtext, text, lineno, inliner, options=None,
             content=None):
    return [nodes.literal(rawtext, text)], []


directives.register_directive('toctree', Toctree)
roles.register_local_role('doc', doc_role)

failed = 0
for path in sys.argv[1:]:
    err = io.StringIO()
    with open(path, encoding='utf-8') as f:
        docutils.core.publish_doctree(
            f.read(), source_path=path,
            settings_overrides={'warning_stream': err, 'report_level': 2})
    if err.getvalue().strip():
        failed += 1
        print(err.getvalue().strip())
print('%d rst files, %d with problems' % (len(sys.argv) - 1, failed))
sys.exit(1 if failed else 0)
