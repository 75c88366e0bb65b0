#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The DPDK-VFIO Authors
"""Show PCI devices with their VFIO state, bind them to vfio-pci and back.

--status lists the PCI devices by class with their kernel driver, IOMMU
group (its other members and whether the group is viable), VFIO cdev node,
and the VFIO modes (--vfio-mode of the EAL) each one can be used in now.
--bind/--unbind change the driver through driver_override.

The roots of sysfs, /dev and /proc can be moved for tests with the
environment variables DPDK_DEVBIND_SYSFS, DPDK_DEVBIND_DEVFS and
DPDK_DEVBIND_PROCFS.
"""

import argparse
import os
import re
import sys

SYSFS = os.environ.get('DPDK_DEVBIND_SYSFS', '/sys')
DEVFS = os.environ.get('DPDK_DEVBIND_DEVFS', '/dev')
PROCFS = os.environ.get('DPDK_DEVBIND_PROCFS', '/proc')

# PCI base classes shown by --status, in this order; bridges (0x06) only
# with --all.
CLASSES = [
    (0x02, 'Network devices'),
    (0x01, 'Storage devices'),
    (0x08, 'System peripherals (DMA engines ...)'),
    (0x12, 'Processing accelerators'),
    (0x0b, 'Processors and co-processors'),
    (0x03, 'Display devices'),
    (0x0c, 'Serial bus controllers'),
    (0x06, 'Bridges'),
]
OTHER_CLASS = 'Other devices'

# Drivers whose devices do not make an IOMMU group unusable: vfio-pci and
# its variants, and drivers that leave DMA to the others (the kernel's
# driver_managed_dma).
VIABLE_DRIVERS = ('pci-stub', 'pcieport')

ADDR_RE = re.compile(r'^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):'
                     r'([0-9a-fA-F]{2})\.([0-7])$')


class DevbindError(Exception):
    """An error to print as 'error: ...' and exit 1."""


def pci_dir(addr=''):
    return os.path.join(SYSFS, 'bus', 'pci', 'devices', addr)


def read(path, default=None):
    try:
        with open(path, encoding='ascii', errors='replace') as f:
            return f.read().strip()
    except OSError:
        return default


def write_sysfs(path, value):
    """Write one value to a sysfs attribute (tests replace this)."""
    with open(path, 'w', encoding='ascii') as f:
        f.write(value)


def link_name(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def normalize_addr(text):
    """'3:00.0' style input to '0000:03:00.0'; DevbindError if invalid."""
    m = ADDR_RE.match(text)
    if m is None:
        raise DevbindError(
            f"'{text}' is not a PCI address like 0000:00:03.0 or 00:03.0")
    dom = m.group(1) or '0000'
    return f'{dom}:{m.group(2)}:{m.group(3)}.{m.group(4)}'.lower()


class Device:
    """What sysfs says about one PCI function."""

    def __init__(self, addr):
        d = pci_dir(addr)
        self.addr = addr
        self.vendor = (read(os.path.join(d, 'vendor'), '0x0000'))[2:]
        self.device = (read(os.path.join(d, 'device'), '0x0000'))[2:]
        cls = read(os.path.join(d, 'class'), '0x000000')
        self.class_code = int(cls, 16) >> 8
        self.driver = link_name(os.path.join(d, 'driver'))
        self.override = read(os.path.join(d, 'driver_override'))
        if self.override in ('(null)', ''):
            self.override = None
        self.group = link_name(os.path.join(d, 'iommu_group'))
        self.cdev = None
        try:
            nodes = [n for n in os.listdir(os.path.join(d, 'vfio-dev'))
                     if re.match(r'^(noiommu-)?vfio[0-9]+$', n)]
            self.cdev = nodes[0] if nodes else None
        except OSError:
            pass
        self.netdevs = []
        try:
            self.netdevs = sorted(os.listdir(os.path.join(d, 'net')))
        except OSError:
            pass

    @property
    def base_class(self):
        return self.class_code >> 8

    def ids(self):
        return f'{self.vendor}:{self.device}'


def all_devices():
    try:
        names = sorted(os.listdir(pci_dir()))
    except OSError as e:
        raise DevbindError(f'cannot list {pci_dir()}: {e.strerror}') from e
    return [Device(a) for a in names]


def group_members(group):
    d = os.path.join(SYSFS, 'kernel', 'iommu_groups', group, 'devices')
    try:
        return sorted(os.listdir(d))
    except OSError:
        return []


def driver_keeps_group_viable(driver):
    return driver is None or 'vfio' in driver or driver in VIABLE_DRIVERS


def group_blockers(group):
    """Members of the group whose driver makes it unusable by VFIO."""
    out = []
    for m in group_members(group):
        drv = link_name(os.path.join(pci_dir(m), 'driver'))
        if not driver_keeps_group_viable(drv):
            out.append((m, drv))
    return out


class System:
    """VFIO state of the machine: modules, nodes, no-IOMMU."""

    def __init__(self):
        mod = os.path.join(SYSFS, 'module')
        self.vfio = os.path.isdir(os.path.join(mod, 'vfio'))
        self.vfio_pci = os.path.isdir(
            os.path.join(SYSFS, 'bus', 'pci', 'drivers', 'vfio-pci'))
        self.noiommu = read(os.path.join(
            mod, 'vfio', 'parameters', 'enable_unsafe_noiommu_mode'))
        self.container = os.path.exists(os.path.join(DEVFS, 'vfio', 'vfio'))
        self.iommufd = os.path.exists(os.path.join(DEVFS, 'iommu'))
        self.cdev_dir = os.path.isdir(
            os.path.join(DEVFS, 'vfio', 'devices'))

    def noiommu_on(self):
        return self.noiommu == 'Y'

    def summary(self):
        if not self.vfio:
            return ['VFIO: not available (no vfio module in '
                    f'{os.path.join(SYSFS, "module")}): modprobe vfio-pci']
        noiommu = {'Y': 'enabled (unsafe: no DMA isolation)',
                   'N': 'disabled'}.get(self.noiommu, 'not supported')
        lines = [
            'VFIO: vfio-pci driver ' +
            ('loaded' if self.vfio_pci else 'NOT loaded (modprobe vfio-pci)') +
            f'; no-IOMMU mode: {noiommu}',
            'VFIO interfaces: group (/dev/vfio/vfio) ' +
            ('present' if self.container else 'absent') +
            ', cdev (/dev/iommu + /dev/vfio/devices) ' +
            ('present' if self.iommufd and self.cdev_dir else 'absent'),
        ]
        return lines


def group_node(dev):
    """Group device node of dev: ('vfio/5' or 'vfio/noiommu-5', exists)."""
    if dev.group is None:
        return None
    for name in (dev.group, f'noiommu-{dev.group}'):
        if os.path.exists(os.path.join(DEVFS, 'vfio', name)):
            return os.path.join('vfio', name)
    return None


def usable_modes(dev, system):
    """--vfio-mode values that can open dev right now, and why not."""
    if dev.driver != 'vfio-pci':
        return [], 'bound to ' + (dev.driver or 'no driver') + \
            ', not vfio-pci'
    modes = []
    why = []
    node = group_node(dev)
    # both interfaces need every member of the group out of the way
    if dev.group is not None and group_blockers(dev.group):
        return [], 'IOMMU group not viable'
    if node is None:
        why.append('no VFIO group node')
    elif not system.container:
        why.append('no /dev/vfio/vfio')
    elif 'noiommu-' in node:
        modes.append('noiommu')
    else:
        modes.append('group')
    if dev.cdev is None:
        why.append('no vfio cdev node')
    elif not (system.iommufd and
              os.path.exists(os.path.join(DEVFS, 'vfio', 'devices',
                                          dev.cdev))):
        why.append(f'no /dev/iommu or /dev/vfio/devices/{dev.cdev}')
    elif dev.cdev.startswith('noiommu-'):
        modes.append('noiommu (cdev)')
    else:
        modes.append('cdev')
    return modes, '; '.join(why)


def device_lines(dev, system):
    over = f' override={dev.override}' if dev.override else ''
    net = f' if={",".join(dev.netdevs)}' if dev.netdevs else ''
    lines = [f'{dev.addr} {dev.ids()} class={dev.class_code:04x} '
             f'drv={dev.driver or "none"}{over}{net}']
    if dev.group is None:
        lines.append('    IOMMU group: none (no IOMMU, and not bound to '
                     'vfio-pci in no-IOMMU mode)')
    else:
        others = [m for m in group_members(dev.group) if m != dev.addr]
        blockers = group_blockers(dev.group)
        desc = ', '.join(
            f'{m} ({link_name(os.path.join(pci_dir(m), "driver")) or "none"})'
            for m in others) or 'no other member'
        lines.append(f'    IOMMU group {dev.group}: {desc}')
        if blockers:
            b = ', '.join(f'{m} is bound to {d}' for m, d in blockers)
            lines.append(f'    group NOT viable: {b} (bind to vfio-pci '
                         'or unbind every member)')
        else:
            lines.append('    group viable')
    if dev.cdev is not None:
        lines.append(f'    vfio cdev: /dev/vfio/devices/{dev.cdev}')
    modes, why = usable_modes(dev, system)
    text = ', '.join(modes) if modes else 'none'
    if why:
        text += f' ({why})'
    lines.append(f'    VFIO modes usable now: {text}')
    return lines


def show_status(show_all=False, only=None):
    system = System()
    print('\n'.join(system.summary()))
    devs = all_devices()
    if only:
        devs = [d for d in devs if d.addr in only]
    known = dict(CLASSES)
    order = [name for _, name in CLASSES] + [OTHER_CLASS]
    by_class = {}
    for d in devs:
        if d.base_class == 0x06 and not show_all and not only:
            continue
        by_class.setdefault(known.get(d.base_class, OTHER_CLASS),
                            []).append(d)
    for name in order:
        if name not in by_class:
            continue
        print(f'\n{name}\n{"=" * len(name)}')
        for d in by_class[name]:
            print('\n'.join(device_lines(d, system)))
    if not by_class:
        print('\nno PCI device' + (' matches' if only else ''))


def processes_using(dev):
    """'pid (comm)' of the processes with dev's VFIO nodes open."""
    nodes = set()
    if dev.group is not None:
        for name in (dev.group, f'noiommu-{dev.group}'):
            nodes.add(os.path.join('/dev', 'vfio', name))
    if dev.cdev is not None:
        nodes.add(os.path.join('/dev', 'vfio', 'devices', dev.cdev))
    users = []
    try:
        pids = [p for p in os.listdir(PROCFS) if p.isdigit()]
    except OSError:
        return users
    for pid in pids:
        fd_dir = os.path.join(PROCFS, pid, 'fd')
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if target in nodes:
                comm = read(os.path.join(PROCFS, pid, 'comm'), '?')
                users.append(f'{pid} ({comm})')
                break
    return users


def in_use_reasons(dev):
    """Why changing dev's driver would break something that runs."""
    reasons = []
    for n in dev.netdevs:
        state = read(os.path.join(pci_dir(dev.addr), 'net', n, 'operstate'))
        if state == 'up':
            reasons.append(f'network interface {n} is up')
    users = processes_using(dev)
    if users:
        reasons.append('its VFIO device is open in process ' +
                       ', '.join(users))
    return reasons


def check_device(addr):
    addr = normalize_addr(addr)
    if not os.path.isdir(pci_dir(addr)):
        raise DevbindError(f'no PCI device {addr} (not in {pci_dir()}); '
                           'see --status')
    return Device(addr)


def refuse_if_in_use(dev, action, force):
    reasons = in_use_reasons(dev)
    if reasons and not force:
        raise DevbindError(f'{dev.addr}: not {action}: ' +
                           '; '.join(reasons) + ' (--force to do it anyway)')
    for r in reasons:
        print(f'warning: {dev.addr}: {r}; {action} anyway (--force)',
              file=sys.stderr)


def unbind_one(dev, force):
    if dev.driver is None:
        print(f'{dev.addr}: not bound to any driver')
    else:
        refuse_if_in_use(dev, 'unbound', force)
        write_sysfs(os.path.join(pci_dir(dev.addr), 'driver', 'unbind'),
                    dev.addr)
    # let a later probe pick the device's own driver again
    if dev.override is not None:
        write_sysfs(os.path.join(pci_dir(dev.addr), 'driver_override'), '\n')
    if link_name(os.path.join(pci_dir(dev.addr), 'driver')) is not None:
        raise DevbindError(f'{dev.addr}: still bound to '
                           f'{link_name(os.path.join(pci_dir(dev.addr), "driver"))} '
                           'after unbind (see the kernel log)')
    if dev.driver is not None:
        print(f'{dev.addr}: unbound from {dev.driver}')


def bind_one(dev, driver, force):
    drv_dir = os.path.join(SYSFS, 'bus', 'pci', 'drivers', driver)
    if not os.path.isdir(drv_dir):
        hint = 'modprobe ' + driver.replace('-', '_')
        raise DevbindError(f'driver {driver} is not loaded (no {drv_dir}): '
                           f'run "{hint}"')
    if dev.driver == driver:
        print(f'{dev.addr}: already bound to {driver}')
        return
    if dev.driver is not None:
        refuse_if_in_use(dev, f'bound to {driver}', force)
        write_sysfs(os.path.join(pci_dir(dev.addr), 'driver', 'unbind'),
                    dev.addr)
    write_sysfs(os.path.join(pci_dir(dev.addr), 'driver_override'), driver)
    try:
        write_sysfs(os.path.join(SYSFS, 'bus', 'pci', 'drivers_probe'),
                    dev.addr)
    except OSError as e:
        raise DevbindError(f'{dev.addr}: probe by {driver} failed: '
                           f'{e.strerror} (see the kernel log)') from e
    now = link_name(os.path.join(pci_dir(dev.addr), 'driver'))
    if now != driver:
        raise DevbindError(f'{dev.addr}: bound to {now or "no driver"} '
                           f'instead of {driver} (see the kernel log)')
    print(f'{dev.addr}: bound to {driver}' +
          (f' (was {dev.driver})' if dev.driver else ''))
    if driver == 'vfio-pci':
        warn_group(Device(dev.addr))


def warn_group(dev):
    if dev.group is None:
        print(f'warning: {dev.addr}: no IOMMU group: usable only in '
              'no-IOMMU mode (vfio.enable_unsafe_noiommu_mode=1)',
              file=sys.stderr)
        return
    for m, d in group_blockers(dev.group):
        print(f'warning: {dev.addr}: IOMMU group {dev.group} is not viable '
              f'while {m} is bound to {d}: bind it to vfio-pci too, or '
              f'unbind it', file=sys.stderr)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='dpdk-devbind.py',
        description='Show PCI devices with their VFIO state; bind them to '
        'vfio-pci (or any driver) and unbind them.',
        epilog='Examples: dpdk-devbind.py --status; '
        'dpdk-devbind.py --bind vfio-pci 0000:00:03.0; '
        'dpdk-devbind.py --unbind 00:03.0')
    act = p.add_mutually_exclusive_group(required=True)
    act.add_argument('-s', '--status', action='store_true',
                     help='list devices by class with driver, IOMMU group, '
                     'vfio cdev node and usable VFIO modes')
    act.add_argument('-b', '--bind', metavar='DRIVER',
                     help='bind the devices to DRIVER (e.g. vfio-pci)')
    act.add_argument('-u', '--unbind', action='store_true',
                     help='unbind the devices from their driver')
    p.add_argument('--force', action='store_true',
                   help='change the driver even of a device in use '
                   '(interface up, VFIO node open)')
    p.add_argument('--all', action='store_true',
                   help='--status: show bridges too')
    p.add_argument('devices', nargs='*', metavar='ADDR',
                   help='PCI addresses (0000:00:03.0 or 00:03.0)')
    args = p.parse_args(argv)
    if (args.bind or args.unbind) and not args.devices:
        p.error('--bind and --unbind need at least one PCI address')
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.status:
            only = [normalize_addr(a) for a in args.devices]
            show_status(args.all, only)
            return 0
        devs = [check_device(a) for a in args.devices]
        for d in devs:
            if args.unbind:
                unbind_one(d, args.force)
            else:
                bind_one(d, args.bind, args.force)
    except DevbindError as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    except PermissionError as e:
        print(f'error: {e.filename}: {e.strerror} (run as root)',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
