#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Query a running DPDK-VFIO process over its telemetry socket.

Interactive (a prompt, Tab completes commands) or one command per line on
standard input, or the commands given with -c. Prints each reply as JSON.
"""

import argparse
import errno
import json
import os
import socket
import sys

SOCKET_NAME = 'dpdk_telemetry.v2'
# the server's longest request; replies can be longer (max_output_len)
MAX_REQUEST = 1023


def runtime_dir(prefix):
    if os.geteuid() == 0:
        return os.path.join('/var/run/dpdk', prefix)
    base = os.environ.get('XDG_RUNTIME_DIR', '/tmp')
    return os.path.join(base, 'dpdk', prefix)


def socket_path(prefix, instance):
    name = SOCKET_NAME if instance == 0 else f'{SOCKET_NAME}:{instance}'
    return os.path.join(runtime_dir(prefix), name)


class Client:
    """One connection: the info JSON, then a reply per request."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.sock.connect(path)
        except OSError as e:
            self.sock.close()
            hint = ('is the application running, with this --file-prefix '
                    '(-f) and instance (-i)?'
                    if e.errno in (errno.ENOENT, errno.ECONNREFUSED)
                    else 'telemetry answers its own user only')
            raise SystemExit(f'error: cannot connect to {path}: '
                             f'{e.strerror} ({hint})') from e
        first = self.sock.recv(65536)
        if not first:
            self.sock.close()
            raise SystemExit(f'error: {path} closed the connection at once '
                             '(another user, or too many clients)')
        self.info = json.loads(first)
        self.max_len = int(self.info.get('max_output_len', 16384))
        self.commands = []

    def query(self, cmd):
        data = cmd.encode()
        if len(data) > MAX_REQUEST:
            raise ValueError(f'request longer than {MAX_REQUEST} bytes')
        self.sock.send(data)
        reply = self.sock.recv(self.max_len + 1)
        if not reply:
            raise ConnectionError('the application closed the connection')
        return json.loads(reply)

    def close(self):
        self.sock.close()


def print_json(obj, pretty):
    print(json.dumps(obj, indent=2 if pretty else None))


def interactive(client, pretty):
    try:
        import readline  # noqa: PLC0415 (only when a terminal is there)

        cmds = client.query('/').get('/', []) or []

        def complete(text, state):
            hits = [c for c in cmds if c.startswith(text)]
            return hits[state] if state < len(hits) else None
        readline.set_completer(complete)
        readline.set_completer_delims(',')
        readline.parse_and_bind('tab: complete')
    except ImportError:
        pass
    while True:
        try:
            line = input('--> ').strip()
        except EOFError:
            print()
            return 0
        if line in ('quit', 'exit'):
            return 0
        if line:
            print_json(client.query(line), pretty)


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='dpdk-telemetry.py',
        description='Query the telemetry socket of a running DPDK-VFIO '
        'process. Commands: / lists them, /help,<command> describes one.',
        epilog='Example: dpdk-telemetry.py -c /vfio/info -c /vfio/containers')
    p.add_argument('-f', '--file-prefix', default='rte',
                   help='--file-prefix of the application (default rte)')
    p.add_argument('-i', '--instance', type=int, default=0,
                   help='0 for the primary, N for the socket ":N" of a '
                   'secondary process (default 0)')
    p.add_argument('-s', '--socket', help='socket path (instead of -f/-i)')
    p.add_argument('-c', '--command', action='append', default=[],
                   help='run this command and exit (repeatable)')
    p.add_argument('-l', '--list', action='store_true',
                   help='list the sockets of the file prefix and exit')
    p.add_argument('-q', '--quiet', action='store_true',
                   help='do not print the info sent on connect')
    p.add_argument('--compact', action='store_true',
                   help='one line of JSON per reply')
    args = p.parse_args(argv)
    if args.list:
        d = runtime_dir(args.file_prefix)
        try:
            names = sorted(n for n in os.listdir(d)
                           if n.startswith(SOCKET_NAME))
        except OSError as e:
            raise SystemExit(f'error: {d}: {e.strerror}') from e
        for n in names:
            print(os.path.join(d, n))
        return 0
    path = args.socket or socket_path(args.file_prefix, args.instance)
    client = Client(path)
    pretty = not args.compact
    try:
        if not args.quiet:
            print_json(client.info, pretty)
        if args.command:
            for c in args.command:
                print_json(client.query(c), pretty)
            return 0
        if sys.stdin.isatty():
            return interactive(client, pretty)
        for line in sys.stdin:
            line = line.strip()
            if line:
                print_json(client.query(line), pretty)
        return 0
    except (ValueError, ConnectionError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    finally:
        client.close()


if __name__ == '__main__':
    sys.exit(main())
