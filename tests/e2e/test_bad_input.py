"""Every bad input ends in exit 3 and one clear first line: what failed, what to do.

Each case drives the real executable against the emulator (faults injected at run time) or a
real socket; none may print a traceback or OK.
"""

import os
import re
import socket
import stat
import threading

import pytest
from conftest import closed_port

HOSTS = "/api/nutanix/v2.0/hosts"


def assert_unknown(run, *words):
    assert run.code == 3, run
    assert run.first.startswith("UNKNOWN - "), run
    assert "Traceback" not in run.stdout + run.stderr, run
    for word in words:
        assert word in run.first, (word, run)
    return run.first


def test_connection_refused(run_check, state_dir):
    port = closed_port()
    run = run_check(None, "-H", "127.0.0.1", "-P", str(port))
    assert_unknown(run, "connection refused by 127.0.0.1:%d" % port, "-H/-P")


def test_name_does_not_resolve(run_check):
    run = run_check(None, "-H", "prism.does-not-exist.invalid")
    assert_unknown(run, "cannot resolve the Prism address prism.does-not-exist.invalid",
                   "check -H and DNS")


def test_self_signed_certificate_is_refused_without_ca_file(healthy, run_check):
    run = run_check(healthy, ca=False)
    assert_unknown(run, "TLS certificate of 127.0.0.1:%d could not be verified" % healthy.port,
                   "--ca-file", "--insecure")
    assert healthy.stats()["requests"] == 0


def test_insecure_skips_verification(healthy, run_check):
    run = run_check(healthy, "--insecure", ca=False)
    assert run.code == 0, run


def test_timeout_during_login_names_the_phase(healthy, run_check):
    healthy.faults([{"path": "v2.0/cluster$", "delay": 5}])
    run = run_check(healthy, "-t", "1")
    assert_unknown(run, "timed out", "logging in (GET /api/nutanix/v2.0/cluster with Basic auth)")


def test_timeout_on_a_later_endpoint_names_it(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "delay": 5}])
    run = run_check(healthy, "-t", "2")
    assert_unknown(run, "timed out", "GET /api/nutanix/v2.0/hosts")


def test_server_that_accepts_but_never_answers(run_check):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    port = silent.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def accept():
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        run = run_check(None, "-H", "127.0.0.1", "-P", str(port), "-t", "1")
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        silent.close()
    # The budget left when the request starts (start-up took a little of the 1 s).
    assert_unknown(run, "s while logging in",
                   "127.0.0.1:%d accepted the connection but never answered" % port)
    assert re.search(r"timed out after (0\.\d|1\.0)s while", run.first), run.first


def test_wrong_password_is_not_retried(healthy, run_check):
    env = {"NUTANIX_PASSWORD": "wrong"}
    first = run_check(healthy, env=env)
    assert_unknown(first, "refused the credentials of user 'admin' (HTTP 401)",
                   "not retried", "fix the password")
    assert "wrong" not in first.stdout
    assert healthy.stats()["failed_logins"] == 1
    second = run_check(healthy, env=env)
    assert_unknown(second, "refused the credentials", "remembered")
    assert healthy.stats()["failed_logins"] == 1  # the second run did not ask Prism again
    third = run_check(healthy)  # the right password is tried at once
    assert third.code == 0, third


def test_forbidden(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "status": 403}])
    assert_unknown(run_check(healthy), "HTTP 403", "GET /api/nutanix/v2.0/hosts",
                   "Viewer role")


def test_not_found(healthy, run_check):
    healthy.faults([{"path": "domain_fault_tolerance_status$", "status": 404}])
    assert_unknown(run_check(healthy), "HTTP 404",
                   "/api/nutanix/v2.0/cluster/domain_fault_tolerance_status",
                   "Prism Element VIP vs Prism Central")


@pytest.mark.parametrize("status,words", [
    (500, "internal error"),
    (503, "Prism is unavailable"),
])
def test_server_errors(healthy, run_check, status, words):
    healthy.faults([{"path": "v2.0/hosts$", "status": status}])
    assert_unknown(run_check(healthy), "HTTP %d" % status, words)


def test_malformed_json(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "body": "malformed"}])
    assert_unknown(run_check(healthy), "not valid JSON", "GET /api/nutanix/v2.0/hosts")


def test_truncated_body(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "body": "truncated"}])
    assert_unknown(run_check(healthy), "truncated answer", "GET /api/nutanix/v2.0/hosts")


def test_missing_field_needed_by_the_check(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "drop_fields": ["state"]}])
    run = run_check(healthy)
    assert_unknown(run, "health of 4 of 4 nodes not fully reported")
    assert "[UNKNOWN] node-01: not reported: host state" in run.stdout


def test_missing_identity_field(healthy, run_check):
    healthy.faults([{"path": "v2.0/cluster$", "drop_fields": ["name"]}])
    assert_unknown(run_check(healthy), "no 'name'")


def test_empty_entity_list(healthy, run_check):
    healthy.faults([{"path": "v2.0/hosts$", "body": "empty-list"}])
    assert_unknown(run_check(healthy), "listed no hosts")


def test_cluster_naming_no_cluster_on_prism_central(emulators, run_check):
    pc = emulators("prism-central")
    run = run_check(pc, "--cluster", "NOPE")
    assert_unknown(run, "has no cluster named 'NOPE'", "PROD-A", "DR-B")


def test_cluster_naming_another_cluster_on_prism_element(healthy, run_check):
    assert_unknown(run_check(healthy, "--cluster", "OTHER"), "Prism Element of cluster PROD-A")


@pytest.mark.parametrize("args,words", [
    (["-w", "abc"], "bad threshold range 'abc'"),
    (["-c", "20:10"], "start is greater than end"),
    (["-w", "~"], "bad threshold range"),
])
def test_bad_threshold_range(healthy, run_check, args, words):
    assert_unknown(run_check(healthy, *args), words)
    assert healthy.stats()["requests"] == 0  # refused before any request


def test_missing_auth_file(healthy, run_check, tmp_path):
    missing = str(tmp_path / "nope.auth")
    assert_unknown(run_check(healthy, "--auth-file", missing, creds=False),
                   "cannot read auth file %s" % missing)


def test_group_readable_auth_file_is_refused(healthy, run_check, tmp_path):
    path = tmp_path / "nutanix.auth"
    path.write_text("username = admin\npassword = Nutanix/4u\n")
    os.chmod(str(path), 0o640)
    run = run_check(healthy, "--auth-file", str(path), creds=False)
    assert_unknown(run, "readable or writable by group/others (mode 0640)", "chmod 600")
    os.chmod(str(path), stat.S_IRUSR | stat.S_IWUSR)
    assert run_check(healthy, "--auth-file", str(path), creds=False).code == 0


def test_no_credentials(healthy, run_check):
    assert_unknown(run_check(healthy, creds=False), "no Prism credentials", "--auth-file")


def test_unusable_state_dir_runs_uncached_and_says_so(healthy, run_check, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = run_check(healthy, "-v", state=str(blocker / "state"))
    assert run.code == 0, run
    assert "note: state directory unusable" in run.stdout
    assert "running uncached" in run.stdout
    quiet = run_check(healthy, state=str(blocker / "state"))
    assert quiet.code == 0 and "state directory" not in quiet.stdout


def test_corrupt_cache_file_is_ignored_and_rewritten(healthy, run_check, state_dir):
    assert run_check(healthy).code == 0
    files = []
    for top, _dirs, names in os.walk(state_dir):
        files += [os.path.join(top, n) for n in names
                  if n.endswith(".json") and os.path.basename(top) == "cache"]
    assert files
    for path in files:
        with open(path, "wb") as handle:
            handle.write(b"\x00garbage{{{")
    before = healthy.stats()["requests"]
    run = run_check(healthy)
    assert run.code == 0, run
    assert healthy.stats()["requests"] > before
    with open(files[0], "rb") as handle:
        assert handle.read().startswith(b'{"v": 1')


def test_unknown_check_name(run_check):
    run = run_check(None, check="cluster", creds=False)
    assert run.code == 3  # no -H
    assert "give -H/--hostname" in run.first
