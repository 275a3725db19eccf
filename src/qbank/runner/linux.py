"""Linux process controls through ctypes (stdlib only, Python >= 3.9).

Each helper returns False (or does nothing) where the kernel or the platform refuses, so that the
callers can report what isolation was really in force.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_KEEPCAPS = 8
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 47, 2
_CAP_DAC_READ_SEARCH = 2
_CAPABILITY_VERSION_3 = 0x20080522
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1

_libc: ctypes.CDLL | None = None


def _lib() -> ctypes.CDLL | None:
    global _libc
    if _libc is None:
        try:
            # The symbols of the running process (libc included): no `ldconfig -p` subprocess,
            # which ctypes.util.find_library would spawn in every forked supervisor.
            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            return None
    return _libc


def enter_user_namespace(flags: int) -> bool:
    """Without root: move into a new user namespace (being its root, mapped to our own uid),
    together with the namespaces in `flags`, so that PID, mount and network namespaces can be
    made. False where the kernel refuses unprivileged user namespaces."""
    uid, gid = os.getuid(), os.getgid()
    if not unshare(CLONE_NEWUSER | flags):
        return False
    try:
        for name, text in (
            ("setgroups", "deny"),
            ("uid_map", f"0 {uid} 1"),
            ("gid_map", f"0 {gid} 1"),
        ):
            with open(f"/proc/self/{name}", "w") as handle:
                handle.write(text)
    except OSError:
        return False
    return True


def set_dumpable(on: bool) -> bool:
    """A process that is not dumpable keeps processes of the same user out of its ``/proc``
    entries (file descriptors, memory, root): runs cannot reach into their worker."""
    return _prctl(_PR_SET_DUMPABLE, 1 if on else 0)


def drop_all_capabilities() -> bool:
    """Give up every capability, now and across exec (bounding set emptied, no new privileges).

    For runs that are root of a user namespace: they keep the uid but lose every right that
    root has there, such as mounting, so the read-only view of the files stays read-only."""
    lib = _lib()
    if lib is None or not hasattr(lib, "capset"):
        return False
    for cap in range(64):
        if lib.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:
            break  # EINVAL: past the last capability this kernel knows
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    data = (_CapData * 2)(_CapData(0, 0, 0), _CapData(0, 0, 0))
    return bool(lib.capset(ctypes.byref(_CapHeader(_CAPABILITY_VERSION_3, 0)), data) == 0)


def set_effective_capabilities(mask: int | None) -> bool:
    """Set the effective capabilities to ``mask`` (None: all permitted ones), keeping the
    permitted set, so that they can be taken back later (used around ``warmup``)."""
    lib = _lib()
    if lib is None or not hasattr(lib, "capget"):
        return False
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if lib.capget(ctypes.byref(header), data) != 0:
        return False
    for index in range(2):
        permitted = data[index].permitted
        wanted = permitted if mask is None else (mask >> (32 * index)) & 0xFFFFFFFF
        data[index].effective = permitted & wanted
    return bool(lib.capset(ctypes.byref(header), data) == 0)


def unshare(flags: int) -> bool:
    """Move the caller (network) or its future children (PID) into new namespaces."""
    lib = _lib()
    return lib is not None and hasattr(lib, "unshare") and lib.unshare(flags) == 0


def _prctl(option: int, value: int) -> bool:
    lib = _lib()
    return lib is not None and hasattr(lib, "prctl") and lib.prctl(option, value, 0, 0, 0) == 0


def die_with_parent(sig: int) -> bool:
    """Have the kernel send ``sig`` to the caller when its parent ends."""
    return _prctl(_PR_SET_PDEATHSIG, sig)


def become_subreaper() -> bool:
    """Orphaned descendants will be reparented to the caller instead of init."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def keep_capabilities() -> bool:
    """Keep the permitted capabilities across the next ``setuid`` away from root."""
    return _prctl(_PR_SET_KEEPCAPS, 1)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("effective", "permitted", "inheritable")]


CAP_DAC_READ_SEARCH_MASK = 1 << _CAP_DAC_READ_SEARCH


def only_read_anything() -> bool:
    """Reduce the capabilities to reading and searching any file, kept across exec.

    After dropping from root, this lets a run import an interpreter installed in a folder only
    root may read (such as ``/root``), without rights to write, signal or exceed limits.
    """
    lib = _lib()
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)  # set-user-ID programs cannot give root back
    if lib is None or not hasattr(lib, "capset"):
        return False
    bit = 1 << _CAP_DAC_READ_SEARCH
    data = (_CapData * 2)(_CapData(bit, bit, bit), _CapData(0, 0, 0))
    if lib.capset(ctypes.byref(_CapHeader(_CAPABILITY_VERSION_3, 0)), data) != 0:
        return False
    lib.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0)
    return True


def loopback_up() -> None:
    """Bring ``lo`` up in a fresh network namespace, so that local servers still work."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


def descendants(root: int) -> list[int]:
    """Every live process below ``root``, found through ``/proc``."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/" + entry + "/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    found: list[int] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found
