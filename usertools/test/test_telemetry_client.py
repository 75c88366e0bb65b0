#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""dpdk-telemetry.py against a small SOCK_SEQPACKET server of the test's."""

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import socket
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', 'dpdk-telemetry.py')


def load_client():
    loader = importlib.machinery.SourceFileLoader('telemetry', SCRIPT)
    spec = importlib.util.spec_from_loader('telemetry', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


tel = load_client()


class FakeServer:
    """Sends the info, answers {"<request>": <len>}; or closes at once."""

    def __init__(self, path, refuse=False):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.bind(path)
        self.sock.listen(1)
        self.refuse = refuse
        self.requests = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.sock.accept()
        with conn:
            if self.refuse:
                return
            conn.send(json.dumps({'version': 'DPDK-VFIO test', 'pid': 1,
                                  'max_output_len': 16384}).encode())
            while True:
                req = conn.recv(2048)
                if not req:
                    return
                self.requests.append(req.decode())
                conn.send(json.dumps({req.decode(): len(req)}).encode())

    def close(self):
        self.thread.join(5)
        self.sock.close()


class TelemetryClientTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, 'dpdk_telemetry.v2')

    def tearDown(self):
        self.tmp.cleanup()

    def run_client(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = tel.main(list(args))
            except SystemExit as e:
                rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def test_commands_are_sent_and_replies_printed(self):
        srv = FakeServer(self.path)
        rc, out, _ = self.run_client('-s', self.path, '--compact',
                                     '-c', '/info', '-c', '/help,/info')
        srv.close()
        self.assertEqual(rc, 0)
        self.assertEqual(srv.requests, ['/info', '/help,/info'])
        self.assertEqual(out.splitlines(), [
            '{"version": "DPDK-VFIO test", "pid": 1, "max_output_len": 16384}',
            '{"/info": 5}', '{"/help,/info": 11}'])

    def test_a_server_that_closes_at_once_is_an_error(self):
        srv = FakeServer(self.path, refuse=True)
        rc, _, _ = self.run_client('-s', self.path, '-c', '/info')
        srv.close()
        self.assertIn('closed the connection at once', str(rc))

    def test_no_socket_names_the_options(self):
        rc, _, _ = self.run_client('-s', self.path, '-c', '/info')
        self.assertIn('cannot connect to', str(rc))
        self.assertIn('--file-prefix (-f) and instance (-i)', str(rc))

    def test_socket_path_of_prefix_and_instance(self):
        p0 = tel.socket_path('x', 0)
        p2 = tel.socket_path('x', 2)
        self.assertTrue(p0.endswith('/dpdk/x/dpdk_telemetry.v2'))
        self.assertEqual(p2, p0 + ':2')

    def test_a_request_beyond_the_limit_is_not_sent(self):
        srv = FakeServer(self.path)
        rc, _, err = self.run_client('-s', self.path, '-q', '-c', '/' * 1024)
        srv.close()
        self.assertEqual(rc, 1)
        self.assertIn('longer than 1023 bytes', err)
        self.assertEqual(srv.requests, [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
