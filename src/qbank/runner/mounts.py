"""The files a run sees (stdlib only, Python >= 3.9, Linux mount namespaces through ctypes).

Prepared once per worker, inside the worker's own mount namespace (see ``namespaces``):

- every mount is made read-only (``mount_setattr`` with ``AT_RECURSIVE``), so a run can write
  neither the bank, the project, the cache nor the interpreter's site-packages, with or
  without root;
- ``/run`` is covered by an empty read-only tmpfs, ``/proc`` is a fresh one for the worker's
  PID namespace (it lists only this worker's processes), and every filesystem Unix socket the
  host had bound when the worker started (``/proc/net/unix``) is covered by ``/dev/null``, so a
  run cannot connect to host services (abstract sockets are cut off by the run's own network
  namespace).

Per run, ``RunArea`` mounts one new tmpfs of ``file_limit`` bytes on ``/tmp`` and binds two
folders of it on ``/var/tmp`` and ``/dev/shm``: everything a run writes counts against one
total, starts empty and is gone when the tmpfs is detached at the end of the run. Folders
under ``/tmp`` that the interpreter itself needs (a venv or a project checked out there, as
CI machines often do) are bound back, read-only, at the same paths inside each run's tmpfs:
a run sees them, but not the rest of the host's ``/tmp``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os

from . import linux

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
_MNT_DETACH = 2
_SYS_MOUNT_SETATTR = {"x86_64": 442, "aarch64": 442}
_AT_RECURSIVE = 0x8000
_MOUNT_ATTR_RDONLY = 0x1
_AT_FDCWD = -100

RUN_DIR = "/tmp/run"
"""The working folder (and HOME and TMPDIR) of every run in a mount namespace."""
_SPARE = {"/var/tmp": "/tmp/.var-tmp", "/dev/shm": "/tmp/.dev-shm"}
_INODES = 65536
_HOST_TMP = "/run/.qbank-host-tmp"
"""Where the host's /tmp stays reachable for the worker (only when it must: see _kept)."""
_kept: list[str] = []
"""Folders under /tmp that runs need (the interpreter's own files), relative to /tmp."""


def _needed_under_tmp() -> list[str]:
    """The top folders under /tmp holding the interpreter, its prefixes or its sys.path."""
    import sys

    paths = [sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path]
    tops = set()
    for path in paths:
        real = os.path.realpath(path) if path else ""
        if real.startswith("/tmp/") and real != RUN_DIR and not real.startswith(RUN_DIR + "/"):
            tops.add(real[len("/tmp/") :].split("/", 1)[0])
    return sorted(t for t in tops if t)


class _MountAttr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in ("set", "clr", "propagation", "userns_fd")]


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    """mount(2); raises OSError."""
    lib = linux._lib()
    if lib is None:
        raise OSError("no libc")
    args = [s.encode() if s else None for s in (source, target, fstype, data)]
    if lib.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), args[3]) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def detach(target: str) -> None:
    """umount2(target, MNT_DETACH), ignoring a target that is not mounted."""
    lib = linux._lib()
    if lib is not None:
        lib.umount2(target.encode(), _MNT_DETACH)


def prepare_view() -> None:
    """Make the worker's mount namespace the read-only view described above; raises OSError.

    Call once, as root of the mount namespace, in the worker's PID namespace and before the
    worker leaves the host network namespace (the host's socket list is read from there)."""
    sockets = _host_sockets()
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    needed = _needed_under_tmp()
    kept = tuple(f"/tmp/{name}/" for name in needed)
    for path in sockets:
        hidden = path.startswith(("/tmp/", "/run/", "/var/tmp/", "/dev/shm/"))
        if not hidden or path.startswith(kept):  # kept folders under /tmp are bound back
            # Gone since, or in a folder we cannot reach: then a run cannot reach it either.
            with contextlib.suppress(OSError):
                mount("/dev/null", path, None, MS_BIND)
    if os.path.isdir("/run") and not os.path.islink("/run"):
        mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=755")
        if needed:  # after the sockets are covered: the bind carries the covers along
            os.mkdir(_HOST_TMP, 0o700)
            mount("/tmp", _HOST_TMP, None, MS_BIND | MS_REC)
            _kept[:] = needed
    _read_only_everywhere()


def _host_sockets() -> list[str]:
    """Paths of the filesystem Unix sockets bound in this network namespace."""
    try:
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as table:
            rows = table.read().splitlines()[1:]
    except OSError:
        return []
    paths = {row.split(None, 7)[7] for row in rows if len(row.split(None, 7)) == 8}
    return sorted(p for p in paths if p.startswith("/") and os.path.exists(p))


def _read_only_everywhere() -> None:
    lib = linux._lib()
    number = _SYS_MOUNT_SETATTR.get(os.uname().machine)
    if lib is None or number is None:
        raise OSError("mount_setattr is not available on this machine")
    attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    size = ctypes.sizeof(attr)
    if lib.syscall(number, _AT_FDCWD, b"/", _AT_RECURSIVE, ctypes.byref(attr), size) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount_setattr: {os.strerror(errno)}")


class RunArea:
    """The writable files of one run: a fresh tmpfs on /tmp, bound on /var/tmp and /dev/shm."""

    def __init__(self, size: int, owner: tuple[int, int] | None) -> None:
        pages = max(1, -(-size // 4096))
        data = f"size={pages * 4096},nr_inodes={_INODES},mode=1777"
        mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, data)
        self.mounted = ["/tmp"]
        try:
            for target, source in _SPARE.items():
                os.mkdir(source)
                os.chmod(source, 0o1777)
                if os.path.isdir(target):
                    mount(source, target, None, MS_BIND)
                    self.mounted.append(target)
            for name in _kept:
                self._bind_back(name)
            os.mkdir(RUN_DIR, 0o700)
            if owner is not None:
                os.chown(RUN_DIR, *owner)
        except BaseException:
            self.close()
            raise
        self.path = RUN_DIR

    def _bind_back(self, name: str) -> None:
        """Make the host's /tmp/<name> (the interpreter's files) visible, read-only."""
        source, target = f"{_HOST_TMP}/{name}", f"/tmp/{name}"
        if os.path.isdir(source):
            os.mkdir(target, 0o755)
        elif os.path.exists(source):
            open(target, "w").close()
        else:
            return
        mount(source, target, None, MS_BIND | MS_REC)
        self.mounted.append(target)
        with contextlib.suppress(OSError):  # already read-only where the source is
            mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY)

    def close(self) -> None:
        """Detach the mounts: what the run wrote is freed with the tmpfs."""
        for target in reversed(self.mounted):
            detach(target)
        self.mounted = []
