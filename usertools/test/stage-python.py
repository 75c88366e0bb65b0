#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Copy the part of the Python standard library that some scripts use.

usage: stage-python.py DEST SCRIPT...

Loads each SCRIPT as a module (its top-level imports run), runs its
main(['--help']) (argument parsing imports more), and copies every module file then in sys.modules, with its compiled
form, under DEST at the same absolute path: enough to run the scripts in
the test VM, whose initramfs has no Python of its own.
"""

import contextlib
import importlib.machinery
import importlib.util
import os
import shutil
import sys


def load(path):
    name = '_staged_' + os.path.basename(path).replace('-', '_')[:-3]
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    # what argument parsing imports lazily (gettext, locale ...)
    with open(os.devnull, 'w', encoding='ascii') as null, \
            contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        try:
            mod.main(['--help'])
        except SystemExit:
            pass


def module_files():
    for mod in list(sys.modules.values()):
        f = getattr(mod, '__file__', None)
        if f is None or not f.startswith(sys.base_prefix):
            continue
        yield f
        cached = getattr(mod, '__cached__', None)
        if cached is not None and os.path.exists(cached):
            yield cached


def main():
    dest = sys.argv[1]
    for script in sys.argv[2:]:
        load(os.path.abspath(script))
    # what the interpreter needs at start-up besides the scripts' imports
    import encodings.ascii, encodings.utf_8, encodings.latin_1  # noqa: F401,E401
    import site  # noqa: F401
    for f in sorted(set(module_files())):
        target = dest + f
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(f, target)
    return 0


if __name__ == '__main__':
    sys.exit(main())
