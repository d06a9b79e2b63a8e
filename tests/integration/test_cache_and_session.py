"""The shared cache and session against a real emulator, counted by the emulator itself."""

import os
import subprocess
import sys
import time

from conftest import CA_FILE, PASSWORD, ROOT, closed_port


def _argv(emulator, state, *extra):
    return [sys.executable, os.path.join(ROOT, "plugins", "check_nutanix_cluster"),
            "-H", "127.0.0.1", "-P", str(emulator.port), "-u", "admin", "--ca-file", CA_FILE,
            "--state-dir", state] + list(extra)


def _env():
    return dict(os.environ, PYTHONPATH=ROOT, NUTANIX_PASSWORD=PASSWORD)


def test_twenty_concurrent_checks_make_one_login_and_one_request_per_endpoint(
        emulators, tmp_path):
    emulator = emulators("healthy")
    emulator.faults([])
    emulator.reset()
    state = str(tmp_path / "state")
    procs = [subprocess.Popen(_argv(emulator, state), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=_env(), text=True)
             for _ in range(20)]
    outputs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0] * 20, outputs
    assert len({out for out, _ in outputs}) == 1  # every process saw the same answer
    stats = emulator.stats()
    assert stats["logins"] == 1, stats
    assert stats["basic_auth_requests"] == 1, stats
    assert all(count == 1 for count in stats["paths"].values()), stats["paths"]
    assert stats["requests"] == len(stats["paths"]), stats


def test_second_process_reuses_the_session_cookie(healthy, run_check):
    assert run_check(healthy, "--cache-ttl", "0").code == 0
    after_first = healthy.stats()
    assert after_first["logins"] == 1
    assert run_check(healthy, "--cache-ttl", "0").code == 0
    stats = healthy.stats()
    assert stats["logins"] == 1 and stats["basic_auth_requests"] == 1, stats
    assert stats["cookie_requests"] >= after_first["requests"], stats
    assert stats["requests"] == 2 * after_first["requests"]  # uncached: every answer again


def test_warm_cache_makes_no_request(healthy, run_check):
    first = run_check(healthy)
    count = healthy.stats()["requests"]
    second = run_check(healthy)
    assert second.stdout == first.stdout
    assert healthy.stats()["requests"] == count


def test_expired_session_logs_in_again_once(emulators, tmp_path):
    emulator = emulators("healthy", "--session-ttl", "1")
    emulator.reset()
    state = str(tmp_path / "state")
    run = lambda: subprocess.run(_argv(emulator, state, "--cache-ttl", "0"),  # noqa: E731
                                 stdout=subprocess.PIPE, env=_env(), text=True, timeout=60)
    assert run().returncode == 0
    time.sleep(1.5)
    assert run().returncode == 0
    stats = emulator.stats()
    assert stats["logins"] == 2, stats
    assert stats["failed_logins"] == 0, stats


def test_dead_target_is_remembered_for_a_few_seconds(run_check, tmp_path):
    port = closed_port()
    first = run_check(None, "-H", "127.0.0.1", "-P", str(port))
    second = run_check(None, "-H", "127.0.0.1", "-P", str(port))
    assert first.code == second.code == 3
    assert "connection refused" in second.first and "remembered from" in second.first


def test_warm_check_does_not_import_requests(healthy, run_check):
    assert run_check(healthy).code == 0
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    warm = run_check(healthy, env=env)
    assert warm.code == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in warm.stderr.splitlines()
                if line.startswith("import time:")}
    assert "nagios_nutanix.prism.client" in imported
    assert "requests" not in imported and "urllib3" not in imported


def test_pagination_walks_every_page_on_large(emulators, run_check):
    emulator = emulators("large")
    emulator.reset()
    run = run_check(emulator)
    assert run.code == 0, run
    assert "16 of 16 nodes healthy" in run.first
    stats = emulator.stats()
    # 416 VMs (400 guests + 16 CVMs) at the emulator's 100-per-page cap: 5 pages of v1 vms.
    assert stats["paths"]["/PrismGateway/services/rest/v1/vms"] == 5, stats["paths"]
