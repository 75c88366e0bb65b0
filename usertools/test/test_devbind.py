#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""dpdk-devbind.py against fake sysfs, /dev and /proc trees.

A small fake kernel stands in for sysfs writes: unbind drops the driver
link, drivers_probe binds to driver_override when that driver exists.
"""

import contextlib
import importlib.machinery
import importlib.util
import io
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', 'dpdk-devbind.py')


def load_devbind():
    loader = importlib.machinery.SourceFileLoader('devbind', SCRIPT)
    spec = importlib.util.spec_from_loader('devbind', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


devbind = load_devbind()


class FakeTree:
    """sysfs, /dev and /proc of a machine in a temporary directory."""

    def __init__(self, root):
        self.root = root
        self.sys = os.path.join(root, 'sys')
        self.dev = os.path.join(root, 'dev')
        self.proc = os.path.join(root, 'proc')
        for d in ('bus/pci/devices', 'bus/pci/drivers', 'kernel/iommu_groups',
                  'module'):
            os.makedirs(os.path.join(self.sys, d))
        os.makedirs(os.path.join(self.dev, 'vfio'))
        os.makedirs(self.proc)
        self.writes = []

    def put(self, path, text=''):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='ascii') as f:
            f.write(text)

    def pci(self, addr):
        return os.path.join(self.sys, 'bus/pci/devices', addr)

    def vfio(self, noiommu=False, container=True, iommufd=True):
        self.put(os.path.join(self.sys, 'module/vfio/parameters',
                              'enable_unsafe_noiommu_mode'),
                 'Y\n' if noiommu else 'N\n')
        self.driver('vfio-pci')
        if container:
            self.put(os.path.join(self.dev, 'vfio/vfio'))
        if iommufd:
            self.put(os.path.join(self.dev, 'iommu'))
            os.makedirs(os.path.join(self.dev, 'vfio/devices'), exist_ok=True)

    def driver(self, name):
        os.makedirs(os.path.join(self.sys, 'bus/pci/drivers', name),
                    exist_ok=True)

    def device(self, addr, ids='1234:11e8', cls='0x00ff00', driver=None,
               group=None, cdev=None, noiommu_group=False, net=None):
        d = self.pci(addr)
        os.makedirs(d)
        v, dv = ids.split(':')
        self.put(os.path.join(d, 'vendor'), f'0x{v}\n')
        self.put(os.path.join(d, 'device'), f'0x{dv}\n')
        self.put(os.path.join(d, 'class'), cls + '\n')
        self.put(os.path.join(d, 'driver_override'), '(null)\n')
        if driver is not None:
            self.bind(addr, driver)
        if group is not None:
            g = os.path.join(self.sys, 'kernel/iommu_groups', str(group))
            os.makedirs(os.path.join(g, 'devices'), exist_ok=True)
            os.symlink(d, os.path.join(g, 'devices', addr))
            os.symlink(g, os.path.join(d, 'iommu_group'))
            node = f'noiommu-{group}' if noiommu_group else str(group)
            if driver == 'vfio-pci':
                self.put(os.path.join(self.dev, 'vfio', node))
        if cdev is not None:
            os.makedirs(os.path.join(d, 'vfio-dev', cdev))
            self.put(os.path.join(self.dev, 'vfio/devices', cdev))
        if net is not None:
            name, state = net
            self.put(os.path.join(d, 'net', name, 'operstate'), state + '\n')

    def bind(self, addr, driver):
        self.driver(driver)
        os.symlink(os.path.join(self.sys, 'bus/pci/drivers', driver),
                   os.path.join(self.pci(addr), 'driver'))

    def process(self, pid, comm, node):
        fd = os.path.join(self.proc, str(pid), 'fd')
        os.makedirs(fd)
        self.put(os.path.join(self.proc, str(pid), 'comm'), comm + '\n')
        os.symlink(node, os.path.join(fd, '3'))

    def kernel_write(self, path, value):
        """What the kernel does with the writes dpdk-devbind.py makes."""
        rel = os.path.relpath(path, self.sys)
        self.writes.append((rel, value))
        parts = rel.split('/')
        if parts[-1] == 'unbind':
            os.unlink(os.path.join(self.pci(value), 'driver'))
        elif parts[-1] == 'driver_override':
            self.put(path, value.strip() + '\n' if value.strip()
                     else '(null)\n')
        elif rel == 'bus/pci/drivers_probe':
            d = self.pci(value)
            over = open(os.path.join(d, 'driver_override'),
                        encoding='ascii').read().strip()
            if over != '(null)' and os.path.isdir(
                    os.path.join(self.sys, 'bus/pci/drivers', over)) and \
                    not self.refuse_probe:
                self.bind(value, over)
        else:
            raise AssertionError(f'unexpected write to {rel}')

    refuse_probe = False


class DevbindTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='devbind-')
        self.t = FakeTree(self.tmp)
        devbind.SYSFS = self.t.sys
        devbind.DEVFS = self.t.dev
        devbind.PROCFS = self.t.proc
        self.saved_write = devbind.write_sysfs
        devbind.write_sysfs = self.t.kernel_write

    def tearDown(self):
        devbind.write_sysfs = self.saved_write
        shutil.rmtree(self.tmp)

    def run_tool(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = devbind.main(list(args))
            except SystemExit as e:
                rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def driver_of(self, addr):
        try:
            return os.path.basename(os.readlink(
                os.path.join(self.t.pci(addr), 'driver')))
        except OSError:
            return None

    # --status

    def test_status_shows_group_cdev_and_modes_of_a_bound_device(self):
        self.t.vfio()
        self.t.device('0000:00:03.0', driver='vfio-pci', group=4,
                      cdev='vfio0')
        self.t.device('0000:00:02.0', ids='8086:10d3', cls='0x020000',
                      driver='e1000e', group=3, net=('eth0', 'down'))
        rc, out, _ = self.run_tool('--status')
        self.assertEqual(rc, 0)
        self.assertIn('no-IOMMU mode: disabled', out)
        self.assertLess(out.index('Network devices'),
                        out.index('Other devices'))
        self.assertIn('0000:00:03.0 1234:11e8 class=00ff drv=vfio-pci', out)
        self.assertIn('IOMMU group 4: no other member', out)
        self.assertIn('vfio cdev: /dev/vfio/devices/vfio0', out)
        self.assertIn('VFIO modes usable now: group, cdev\n', out)
        self.assertIn('drv=e1000e if=eth0', out)
        self.assertIn('VFIO modes usable now: none (bound to e1000e, not '
                      'vfio-pci)', out)

    def test_status_names_the_member_that_makes_a_group_not_viable(self):
        self.t.vfio()
        self.t.device('0000:01:00.0', driver='vfio-pci', group=7,
                      cdev='vfio1')
        self.t.device('0000:01:00.1', ids='8086:10d3', cls='0x020000',
                      driver='e1000e', group=7)
        self.t.device('0000:01:00.2', driver=None, group=7)
        rc, out, _ = self.run_tool('--status', '01:00.0')
        self.assertEqual(rc, 0)
        self.assertIn('IOMMU group 7: 0000:01:00.1 (e1000e), '
                      '0000:01:00.2 (none)', out)
        self.assertIn('group NOT viable: 0000:01:00.1 is bound to e1000e', out)
        self.assertIn('VFIO modes usable now: none (IOMMU group not viable)',
                      out)
        self.assertNotIn('0000:01:00.2 1234', out)  # only the one asked

    def test_status_group_with_unbound_and_pcieport_members_is_viable(self):
        self.t.vfio()
        self.t.device('0000:01:00.0', driver='vfio-pci', group=7)
        self.t.device('0000:01:00.1', driver=None, group=7)
        self.t.device('0000:00:1c.0', cls='0x060400', driver='pcieport',
                      group=7)
        rc, out, _ = self.run_tool('--status')
        self.assertIn('group viable', out)
        self.assertIn('VFIO modes usable now: group (no vfio cdev node)', out)
        self.assertNotIn('Bridges', out)
        rc, out, _ = self.run_tool('--status', '--all')
        self.assertIn('Bridges', out)

    def test_status_noiommu_group_and_cdev(self):
        self.t.vfio(noiommu=True)
        self.t.device('0000:00:03.0', driver='vfio-pci', group=0,
                      noiommu_group=True, cdev='noiommu-vfio0')
        rc, out, _ = self.run_tool('--status')
        self.assertIn('no-IOMMU mode: enabled', out)
        self.assertIn('vfio cdev: /dev/vfio/devices/noiommu-vfio0', out)
        self.assertIn('VFIO modes usable now: noiommu, noiommu (cdev)\n', out)

    def test_status_without_vfio_says_how_to_load_it(self):
        self.t.device('0000:00:03.0', group=1)
        rc, out, _ = self.run_tool('--status')
        self.assertEqual(rc, 0)
        self.assertIn('VFIO: not available', out)
        self.assertIn('modprobe vfio-pci', out)
        self.assertIn('drv=none', out)

    def test_status_cdev_only_kernel(self):
        self.t.vfio(container=False)
        self.t.device('0000:00:03.0', driver='vfio-pci', group=2,
                      cdev='vfio3')
        rc, out, _ = self.run_tool('--status')
        self.assertIn('VFIO modes usable now: cdev (no /dev/vfio/vfio)', out)

    # --bind / --unbind

    def test_bind_moves_a_device_to_vfio_pci(self):
        self.t.vfio()
        self.t.device('0000:00:02.0', ids='8086:10d3', cls='0x020000',
                      driver='e1000e', group=3, net=('eth0', 'down'))
        rc, out, err = self.run_tool('--bind', 'vfio-pci', '00:02.0')
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.driver_of('0000:00:02.0'), 'vfio-pci')
        self.assertIn('0000:00:02.0: bound to vfio-pci (was e1000e)', out)
        self.assertEqual(self.t.writes, [
            ('bus/pci/devices/0000:00:02.0/driver/unbind', '0000:00:02.0'),
            ('bus/pci/devices/0000:00:02.0/driver_override', 'vfio-pci'),
            ('bus/pci/drivers_probe', '0000:00:02.0')])

    def test_bind_warns_about_the_rest_of_a_non_viable_group(self):
        self.t.vfio()
        self.t.device('0000:01:00.0', driver=None, group=7)
        self.t.device('0000:01:00.1', driver='e1000e', group=7)
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '0000:01:00.0')
        self.assertEqual(rc, 0)
        self.assertIn('IOMMU group 7 is not viable while 0000:01:00.1 is '
                      'bound to e1000e', err)

    def test_bind_refuses_a_device_whose_interface_is_up(self):
        self.t.vfio()
        self.t.device('0000:00:02.0', driver='e1000e', group=3,
                      net=('eth0', 'up'))
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '0000:00:02.0')
        self.assertEqual(rc, 1)
        self.assertIn('not bound to vfio-pci: network interface eth0 is up '
                      '(--force', err)
        self.assertEqual(self.t.writes, [])
        self.assertEqual(self.driver_of('0000:00:02.0'), 'e1000e')
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '--force',
                                   '0000:00:02.0')
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.driver_of('0000:00:02.0'), 'vfio-pci')

    def test_unbind_refuses_a_device_open_in_a_process(self):
        self.t.vfio()
        self.t.device('0000:00:03.0', driver='vfio-pci', group=4,
                      cdev='vfio0')
        self.t.process(4242, 'dpdk-edu-demo', '/dev/vfio/devices/vfio0')
        rc, _, err = self.run_tool('--unbind', '0000:00:03.0')
        self.assertEqual(rc, 1)
        self.assertIn('its VFIO device is open in process 4242 '
                      '(dpdk-edu-demo)', err)
        self.assertEqual(self.driver_of('0000:00:03.0'), 'vfio-pci')
        rc, out, err = self.run_tool('--unbind', '--force', '0000:00:03.0')
        self.assertEqual(rc, 0, err)
        self.assertIsNone(self.driver_of('0000:00:03.0'))
        self.assertIn('unbound from vfio-pci', out)

    def test_unbind_clears_the_override(self):
        self.t.vfio()
        self.t.device('0000:00:03.0', driver=None, group=4)
        self.t.put(os.path.join(self.t.pci('0000:00:03.0'),
                                'driver_override'), 'vfio-pci\n')
        rc, out, _ = self.run_tool('-u', '0000:00:03.0')
        self.assertEqual(rc, 0)
        self.assertIn('not bound to any driver', out)
        self.assertEqual(self.t.writes, [
            ('bus/pci/devices/0000:00:03.0/driver_override', '\n')])

    def test_bind_to_a_driver_that_is_not_loaded(self):
        self.t.device('0000:00:03.0', driver=None, group=4)
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '0000:00:03.0')
        self.assertEqual(rc, 1)
        self.assertIn('driver vfio-pci is not loaded', err)
        self.assertIn('run "modprobe vfio_pci"', err)
        self.assertEqual(self.t.writes, [])

    def test_bind_a_device_that_does_not_exist(self):
        self.t.vfio()
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '0000:00:09.0')
        self.assertEqual(rc, 1)
        self.assertIn('no PCI device 0000:00:09.0', err)
        rc, _, err = self.run_tool('--bind', 'vfio-pci', 'eth0')
        self.assertEqual(rc, 1)
        self.assertIn("'eth0' is not a PCI address", err)
        self.assertEqual(self.t.writes, [])

    def test_bind_that_the_kernel_refuses_is_an_error(self):
        self.t.vfio()
        self.t.device('0000:00:03.0', driver=None, group=4)
        self.t.refuse_probe = True
        rc, _, err = self.run_tool('--bind', 'vfio-pci', '0000:00:03.0')
        self.assertEqual(rc, 1)
        self.assertIn('bound to no driver instead of vfio-pci', err)

    def test_bind_twice_is_a_no_op(self):
        self.t.vfio()
        self.t.device('0000:00:03.0', driver='vfio-pci', group=4)
        rc, out, _ = self.run_tool('--bind', 'vfio-pci', '0000:00:03.0')
        self.assertEqual(rc, 0)
        self.assertIn('already bound to vfio-pci', out)
        self.assertEqual(self.t.writes, [])

    def test_bind_needs_an_address(self):
        rc, _, err = self.run_tool('--bind', 'vfio-pci')
        self.assertEqual(rc, 2)
        self.assertIn('need at least one PCI address', err)


if __name__ == '__main__':
    unittest.main(verbosity=2)
