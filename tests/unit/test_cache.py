"""Shared state between check processes: response cache, sessions, failures, file locks."""

import json
import multiprocessing
import os
import stat
import time

import pytest

from nagios_nutanix.prism import cache as cache_module
from nagios_nutanix.prism import files
from nagios_nutanix.prism.cache import ResponseCache, request_key
from nagios_nutanix.prism.files import FileLock, read_bytes, write_atomic
from nagios_nutanix.prism.session import (
    REFUSED_MEMORY,
    UNREACHABLE_MEMORY,
    SessionStore,
    password_fingerprint,
)


class Clock:
    def __init__(self, now=1000000.0):
        self.now = now

    def __call__(self):
        return self.now


def entry_path(cache, key):
    return cache._path(key) + ".json"


def leftovers(directory):
    return [name for name in os.listdir(directory) if name.startswith(".tmp-")]


# --- request keys -------------------------------------------------------------------------------


def test_request_key_is_stable_and_has_no_credentials():
    a = request_key("GET", "/api/nutanix/v2.0/hosts", {"page": 1, "count": 500})
    b = request_key("GET", "/api/nutanix/v2.0/hosts", {"count": 500, "page": 1})
    assert a == b == "GET /api/nutanix/v2.0/hosts?count=500&page=1 "
    assert request_key("POST", "/x/list", body={"length": 5, "kind": "vm"}) == \
        'POST /x/list? {"kind": "vm", "length": 5}'
    assert request_key("GET", "/a") != request_key("GET", "/a", {"page": 2})


# --- ResponseCache ------------------------------------------------------------------------------


def test_fresh_entry_is_served(tmp_path):
    clock = Clock()
    cache = ResponseCache(str(tmp_path / "c"), ttl=50, clock=clock)
    key = request_key("GET", "/api/nutanix/v2.0/cluster")
    assert cache.get(key) is None
    cache.put(key, b'{"name": "PROD-A"}')
    assert cache.get(key) == b'{"name": "PROD-A"}'
    clock.now += 49.9
    assert cache.get(key) == b'{"name": "PROD-A"}'


def test_stale_entry_is_not_served(tmp_path):
    clock = Clock()
    cache = ResponseCache(str(tmp_path), ttl=50, clock=clock)
    cache.put("k", b"body")
    clock.now += 50
    assert cache.get("k") is None
    clock.now += 1000
    assert cache.get("k") is None


def test_entry_from_the_future_is_not_served(tmp_path):
    # The clock went backwards (NTP step): do not trust an entry "written later".
    clock = Clock()
    cache = ResponseCache(str(tmp_path), ttl=50, clock=clock)
    cache.put("k", b"body")
    clock.now -= 5
    assert cache.get("k") is None


def test_ttl_zero_serves_nothing(tmp_path):
    cache = ResponseCache(str(tmp_path), ttl=0, clock=Clock())
    cache.put("k", b"body")
    assert cache.get("k") is None


def test_bodies_are_bytes_kept_exactly(tmp_path):
    cache = ResponseCache(str(tmp_path), ttl=50, clock=Clock())
    body = b'{"a": "line1\\nline2"}\n\n\x00\xff'
    cache.put("k", body)
    assert cache.get("k") == body
    cache.put("empty", b"")
    assert cache.get("empty") == b""


def test_keys_do_not_mix(tmp_path):
    cache = ResponseCache(str(tmp_path), ttl=50, clock=Clock())
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"A", b"B", None)


def test_foreign_file_is_ignored_and_rewritten(tmp_path):
    clock = Clock()
    cache = ResponseCache(str(tmp_path), ttl=50, clock=clock)
    path = entry_path(cache, "mine")
    # Same file name, but the header names another request (e.g. a hash clash, or a copy).
    header = json.dumps({"v": cache_module.FORMAT, "key": "someone else", "t": clock()})
    with open(path, "wb") as handle:
        handle.write(header.encode() + b"\nTHEIRS")
    assert cache.get("mine") is None
    cache.put("mine", b"MINE")
    assert cache.get("mine") == b"MINE"


def test_other_format_version_is_ignored(tmp_path):
    clock = Clock()
    cache = ResponseCache(str(tmp_path), ttl=50, clock=clock)
    header = json.dumps({"v": cache_module.FORMAT + 1, "key": "k", "t": clock()})
    with open(entry_path(cache, "k"), "wb") as handle:
        handle.write(header.encode() + b"\nbody")
    assert cache.get("k") is None


@pytest.mark.parametrize("content", [
    b"",
    b"garbage without newline",
    b"not json\nbody",
    b"[1, 2]\nbody",
    b'{"v": 1, "key": "k"}\nbody',  # no time
    b'{"v": 1, "key": "k", "t": "soon"}\nbody',
    b'{"v": 1, "key": "k", "t": null}\nbody',
    b"\xff\xfe\x00\x01\nbody",
    b'{"v": 1, "key": "k", "t": 10',  # truncated
])
def test_corrupt_file_reads_as_miss_then_put_rewrites_it(tmp_path, content):
    clock = Clock()
    cache = ResponseCache(str(tmp_path), ttl=50, clock=clock)
    path = entry_path(cache, "k")
    with open(path, "wb") as handle:
        handle.write(content)
    assert cache.get("k") is None
    cache.put("k", b"fresh")
    assert cache.get("k") == b"fresh"
    assert read_bytes(path).endswith(b"\nfresh")


def test_cache_directory_and_files_are_private(tmp_path):
    directory = str(tmp_path / "state" / "cache")
    cache = ResponseCache(directory, ttl=50, clock=Clock())
    assert stat.S_IMODE(os.stat(directory).st_mode) & 0o077 == 0
    cache.put("k", b"secret-ish")
    assert stat.S_IMODE(os.stat(entry_path(cache, "k")).st_mode) == 0o600


def test_put_leaves_no_temporary_files(tmp_path):
    cache = ResponseCache(str(tmp_path), ttl=50, clock=Clock())
    for i in range(20):
        cache.put("k%d" % (i % 3), b"x" * i)
    assert leftovers(str(tmp_path)) == []
    assert sorted(os.listdir(str(tmp_path))) == sorted(
        os.path.basename(entry_path(cache, "k%d" % i)) for i in range(3))


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = str(tmp_path / "entry")
    write_atomic(path, b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert read_bytes(path) == b"old"
    assert leftovers(str(tmp_path)) == []


def test_write_atomic_mode_and_read_bytes(tmp_path):
    path = str(tmp_path / "f")
    write_atomic(path, b"data", mode=0o640)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert read_bytes(path) == b"data"
    assert read_bytes(str(tmp_path / "missing")) is None


# --- SessionStore -------------------------------------------------------------------------------


def test_password_fingerprint():
    a = password_fingerprint("admin", "pw1")
    assert a == password_fingerprint("admin", "pw1")
    assert a != password_fingerprint("admin", "pw2")
    assert a != password_fingerprint("admin2", "pw1")
    # the separator keeps ("ab", "c") and ("a", "bc") apart
    assert password_fingerprint("ab", "c") != password_fingerprint("a", "bc")
    assert len(a) == 20 and "pw1" not in a


def test_cookies_round_trip(tmp_path):
    store = SessionStore(str(tmp_path), password_fingerprint("u", "p"), clock=Clock())
    assert store.load() == {}
    store.save({"JSESSIONID": "abc", "NTNX_IGW_SESSION": "xyz"})
    assert store.load() == {"JSESSIONID": "abc", "NTNX_IGW_SESSION": "xyz"}
    assert leftovers(str(tmp_path)) == []
    assert stat.S_IMODE(os.stat(store.cookie_path).st_mode) == 0o600


def test_cookies_are_separated_by_fingerprint(tmp_path):
    alice = SessionStore(str(tmp_path), password_fingerprint("alice", "pw"))
    alice.save({"JSESSIONID": "alice-session"})
    # Another user, or the same user with a changed password, never gets those cookies.
    assert SessionStore(str(tmp_path), password_fingerprint("bob", "pw")).load() == {}
    assert SessionStore(str(tmp_path), password_fingerprint("alice", "new")).load() == {}
    assert SessionStore(str(tmp_path), password_fingerprint("alice", "pw")).load() == \
        {"JSESSIONID": "alice-session"}


def test_cookies_file_is_never_written_with_the_password(tmp_path):
    store = SessionStore(str(tmp_path), password_fingerprint("alice", "Sup3rS3cret"))
    store.save({"JSESSIONID": "s"})
    assert b"Sup3rS3cret" not in read_bytes(store.cookie_path)


@pytest.mark.parametrize("content", [b"not json", b"[]", b'{"fingerprint": 1}', b"\xff",
                                     b'{"fingerprint": "F", "cookies": []}'])
def test_corrupt_cookie_file_loads_as_nothing(tmp_path, content):
    store = SessionStore(str(tmp_path), "F")
    with open(store.cookie_path, "wb") as handle:
        handle.write(content)
    assert store.load() == {}


def test_drop_forgets_stale_cookies_only(tmp_path):
    store = SessionStore(str(tmp_path), "F")
    store.save({"JSESSIONID": "old"})
    stale = store.load()
    # another process logged in again meanwhile: its new cookies stay
    store.save({"JSESSIONID": "new"})
    store.drop(stale)
    assert store.load() == {"JSESSIONID": "new"}
    store.drop({"JSESSIONID": "new"})
    assert store.load() == {}
    assert not os.path.exists(store.cookie_path)
    store.drop({"JSESSIONID": "new"})  # nothing to drop: no error


def test_unreachable_failure_is_remembered_briefly(tmp_path):
    clock = Clock()
    store = SessionStore(str(tmp_path), "F", clock=clock)
    assert store.recent_failure() is None
    store.remember_failure("unreachable", "cannot reach 10.0.0.1:9440: timed out")
    assert store.recent_failure() == ("cannot reach 10.0.0.1:9440: timed out", 0)
    clock.now += UNREACHABLE_MEMORY - 0.5
    assert store.recent_failure() == ("cannot reach 10.0.0.1:9440: timed out",
                                      UNREACHABLE_MEMORY - 0.5)
    clock.now += 0.5
    assert store.recent_failure() is None


def test_unreachable_failure_is_shared_whatever_the_password(tmp_path):
    clock = Clock()
    SessionStore(str(tmp_path), "F1", clock=clock).remember_failure("unreachable", "dead VIP")
    assert SessionStore(str(tmp_path), "F2", clock=clock).recent_failure() == ("dead VIP", 0)


def test_refused_password_is_remembered_until_it_changes(tmp_path):
    clock = Clock()
    store = SessionStore(str(tmp_path), "F1", clock=clock)
    store.remember_failure("refused", "Prism refused the password for monitoring")
    clock.now += REFUSED_MEMORY - 1
    assert store.recent_failure() == ("Prism refused the password for monitoring",
                                      REFUSED_MEMORY - 1)
    # a new password is tried at once
    assert SessionStore(str(tmp_path), "F2", clock=clock).recent_failure() is None
    clock.now += 1
    assert store.recent_failure() is None


def test_failure_from_the_future_is_ignored(tmp_path):
    clock = Clock()
    store = SessionStore(str(tmp_path), "F", clock=clock)
    store.remember_failure("refused", "no")
    clock.now -= 1
    assert store.recent_failure() is None


def test_clear_failure(tmp_path):
    store = SessionStore(str(tmp_path), "F", clock=Clock())
    store.remember_failure("unreachable", "x")
    store.clear_failure()
    assert store.recent_failure() is None
    store.clear_failure()  # twice is fine


@pytest.mark.parametrize("content", [b"junk", b"{}", b'{"kind": "refused"}', b"[]",
                                     b'{"kind": "refused", "t": "x", "message": "m"}'])
def test_corrupt_failure_file_is_ignored(tmp_path, content):
    store = SessionStore(str(tmp_path), "F", clock=Clock())
    with open(store.failure_path, "wb") as handle:
        handle.write(content)
    assert store.recent_failure() is None


def test_remember_failure_in_an_unwritable_place_is_silent(tmp_path):
    store = SessionStore(str(tmp_path / "does-not-exist"), "F", clock=Clock())
    store.remember_failure("unreachable", "x")  # no exception
    assert store.recent_failure() is None


# --- FileLock -----------------------------------------------------------------------------------


def _try_lock(path, seconds, queue):
    deadline = time.monotonic() + seconds
    try:
        with FileLock(path, lambda: deadline - time.monotonic()):
            queue.put("acquired")
    except TimeoutError as exc:
        queue.put("timeout: %s" % exc)


def _run_child(path, seconds):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_try_lock, args=(path, seconds, queue))
    child.start()
    return child, queue


def test_file_lock_excludes_a_second_holder(tmp_path):
    path = str(tmp_path / "k.lock")
    with FileLock(path, lambda: 5):
        child, queue = _run_child(path, 0.2)
        answer = queue.get(timeout=10)
        child.join(10)
    assert answer == "timeout: waited too long for lock %s" % path
    assert child.exitcode == 0


def test_file_lock_is_free_again_after_release(tmp_path):
    path = str(tmp_path / "k.lock")
    with FileLock(path, lambda: 5):
        pass
    child, queue = _run_child(path, 2)
    assert queue.get(timeout=10) == "acquired"
    child.join(10)


def test_waiter_gets_the_lock_when_the_holder_releases(tmp_path):
    path = str(tmp_path / "k.lock")
    lock = FileLock(path, lambda: 5)
    lock.__enter__()
    child, queue = _run_child(path, 5)
    time.sleep(0.2)  # the child is now waiting on the lock
    assert queue.empty()
    lock.__exit__(None, None, None)
    assert queue.get(timeout=10) == "acquired"
    child.join(10)


def test_file_lock_with_a_spent_budget_does_not_wait(tmp_path):
    path = str(tmp_path / "k.lock")
    with FileLock(path, lambda: 5):
        child, queue = _run_child(path, 0)
        started = time.monotonic()
        answer = queue.get(timeout=10)
        child.join(10)
    assert answer.startswith("timeout: ")
    assert time.monotonic() - started < 2


def test_cache_lock_is_a_file_lock_next_to_the_entry(tmp_path):
    cache = ResponseCache(str(tmp_path), ttl=50, clock=Clock())
    lock = cache.lock("k", lambda: 1)
    assert isinstance(lock, FileLock)
    assert lock.path == cache._path("k") + ".lock"
    with lock:
        assert os.path.exists(lock.path)
    assert lock.fd is None


def test_digest_is_sha256_without_hashlib():
    import hashlib

    from nagios_nutanix.prism.digest import hexdigest

    text = "127.0.0.1:9440:admin:été"
    assert hexdigest(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert hexdigest(text, 16) == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
