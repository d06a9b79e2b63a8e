"""Small file primitives for state shared between concurrent check processes."""

import errno
import fcntl
import os
import time


def write_atomic(path, data, mode=0o600):
    """Write bytes so readers see the old file or the new one, never a half-written one."""
    import tempfile  # only writers need it; warm readers skip its import cost

    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_bytes(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


class FileLock:
    """An exclusive flock on `path`, waited for until `deadline()` says time is up."""

    def __init__(self, path, remaining):
        self.path = path
        self.remaining = remaining  # callable: seconds left in the run's budget
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        delay = 0.005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if self.remaining() <= delay:
                os.close(self.fd)
                self.fd = None
                raise TimeoutError("waited too long for lock %s" % self.path)
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def __exit__(self, *exc):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False
