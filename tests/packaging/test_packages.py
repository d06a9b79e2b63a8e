"""The distributables, built and installed as a poller admin would: .deb, .rpm, wheel.

The .deb is installed with dpkg on this machine (CI runs as root on a throwaway machine) and
removed at the end; its plugin is run against the emulator by an unprivileged user.
"""

import glob
import os
import shutil
import subprocess
import sys

import pytest
from conftest import PASSWORD, ROOT

sys.path.insert(0, os.path.join(ROOT, "packaging"))
import build as packaging  # noqa: E402  (packaging/build.py)

VERSION = packaging.version()
DEB = "nagios-nutanix_%s-1_all.deb" % VERSION
RPM = "nagios-nutanix-%s-1.noarch.rpm" % VERSION
WHEEL = "nagios_nutanix-%s-py3-none-any.whl" % VERSION
OK_LINE = "OK - PROD-A: 4 of 4 nodes healthy, RF2, can tolerate 1 node failure, AOS 6.8.1"


def need(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        reason = "%s not installed (make test installs them)" % ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def sh(*argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=300,
                          **kwargs).stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    need("dpkg-deb", "rpmbuild")
    out = tmp_path_factory.mktemp("dist")
    sh(sys.executable, os.path.join(ROOT, "packaging", "build.py"), "--out", str(out))
    return out


def plugin_names():
    return sorted(n for n in os.listdir(os.path.join(ROOT, "plugins"))
                  if n.startswith("check_nutanix"))


# --- .deb ---------------------------------------------------------------------------------------


def test_deb_layout(dist):
    listing = sh("dpkg-deb", "-c", str(dist / DEB))
    paths = {line.split()[5].lstrip(".") for line in listing.splitlines()}
    for name in plugin_names():
        assert "/usr/lib/nagios/plugins/%s" % name in paths
    for path in ("/usr/lib/python3/dist-packages/nagios_nutanix/__init__.py",
                 "/usr/lib/python3/dist-packages/nagios_nutanix/emulator/tls/emulator-cert.pem",
                 "/usr/bin/check_nutanix", "/usr/share/doc/nagios-nutanix/copyright",
                 "/usr/share/doc/nagios-nutanix/changelog.Debian.gz",
                 "/usr/share/nagios-nutanix/templates/",
                 # uncompressed: generated configuration links to it (notes_url)
                 "/usr/share/nagios-nutanix/runbook.md",
                 "/usr/share/nagios-nutanix/examples/version-policy.example.yaml"):
        assert path in paths, path
    assert not [p for p in paths if "__pycache__" in p or p.endswith(".pyc")]
    for line in listing.splitlines():
        assert line.split()[1] == "root/root", line


def test_deb_control_fields(dist):
    fields = sh("dpkg-deb", "-f", str(dist / DEB), "Package", "Version", "Architecture",
                "Depends", "Recommends")
    assert "Version: %s-1" % VERSION in fields
    assert "Architecture: all" in fields
    for dependency in ("python3-requests", "python3-yaml", "python3-jinja2"):
        assert dependency in fields
    assert "Recommends: python3-easysnmp" in fields


def test_deb_is_lintian_clean(dist):
    need("lintian")
    done = subprocess.run(["lintian", "--fail-on", "error,warning", str(dist / DEB)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300)
    tags = [line for line in done.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert (done.returncode, tags) == (0, []), done.stdout


def test_deb_installs_and_runs_as_an_unprivileged_user(dist, emulators, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root (CI runs as root)")
    need("dpkg", "runuser")
    emulator = emulators("healthy")
    state = tmp_path / "state"
    state.mkdir()
    os.chmod(tmp_path, 0o755)
    shutil.chown(state, "nobody")
    try:
        sh("dpkg", "-i", str(dist / DEB), env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        plugin = "/usr/lib/nagios/plugins/check_nutanix_cluster"
        ca = "/usr/lib/python3/dist-packages/nagios_nutanix/emulator/tls/emulator-cert.pem"
        # postinst byte-compiled the package: nobody cannot write there, and need not.
        assert os.path.isdir("/usr/lib/python3/dist-packages/nagios_nutanix/__pycache__")
        done = subprocess.run(
            ["runuser", "-u", "nobody", "--", "env", "NUTANIX_PASSWORD=" + PASSWORD, plugin,
             "-H", "127.0.0.1", "-P", str(emulator.port), "-u", "admin", "--ca-file", ca,
             "--state-dir", str(state)],
            capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout.split(" | ")[0]) == (0, OK_LINE), done
        assert "'nodes.total.count'=4;;;0" in done.stdout
    finally:
        subprocess.run(["dpkg", "--purge", "nagios-nutanix"], capture_output=True,
                       timeout=120)
    assert not os.path.exists("/usr/lib/python3/dist-packages/nagios_nutanix")
    assert not os.path.exists("/usr/lib/nagios/plugins/check_nutanix_cluster")


# --- .rpm ---------------------------------------------------------------------------------------


def test_rpm_layout_and_requirements(dist, tmp_path):
    need("rpm", "rpm2cpio", "cpio")
    files = set(sh("rpm", "-qlp", str(dist / RPM)).split())
    for name in plugin_names():
        assert "/usr/lib64/nagios/plugins/%s" % name in files
        assert "/usr/lib/centreon/plugins/%s" % name in files
    assert "/usr/lib/python3.9/site-packages/nagios_nutanix/__init__.py" in files
    assert "/usr/share/nagios-nutanix/templates" in files
    requires = sh("rpm", "-qp", "--requires", str(dist / RPM))
    for dependency in ("python3 >= 3.9", "python3-requests", "python3-pyyaml",
                       "python3-jinja2"):
        assert dependency in requires
    assert "/usr/share/nagios-nutanix/runbook.md" in files
    assert sh("rpm", "-qp", "--queryformat", "%{VERSION} %{ARCH}", str(dist / RPM)) == (
        "%s noarch" % VERSION)
    # Unpacked: plugins run the EL system Python, Centreon's links point at them.
    with open(dist / RPM, "rb") as package:
        cpio = subprocess.run(["rpm2cpio"], stdin=package, stdout=subprocess.PIPE, check=True)
    subprocess.run(["cpio", "-idm", "--quiet"], input=cpio.stdout, cwd=tmp_path, check=True)
    plugin = tmp_path / "usr/lib64/nagios/plugins/check_nutanix_cluster"
    assert plugin.read_text().startswith("#!/usr/bin/python3\n")
    assert os.access(plugin, os.X_OK)
    link = tmp_path / "usr/lib/centreon/plugins/check_nutanix_cluster"
    assert os.readlink(link) == "../../../lib64/nagios/plugins/check_nutanix_cluster"


def test_rpm_for_el8_uses_the_python39_module(tmp_path):
    """EL 8's python3 is 3.6: the documented defines build for its python39 packages."""
    need("rpm", "rpmbuild")
    sh(sys.executable, os.path.join(ROOT, "packaging", "build.py"), "--out", str(tmp_path),
       "--only", "rpm", "--rpm-define", "__python3 /usr/bin/python3.9",
       "--rpm-define", "python3_pkgversion 39")
    requires = sh("rpm", "-qp", "--requires", str(tmp_path / RPM))
    for dependency in ("python39 >= 3.9", "python39-requests", "python39-pyyaml",
                       "python39-jinja2"):
        assert dependency in requires
    with open(tmp_path / RPM, "rb") as package:
        cpio = subprocess.run(["rpm2cpio"], stdin=package, stdout=subprocess.PIPE, check=True)
    subprocess.run(["cpio", "-idm", "--quiet"], input=cpio.stdout, cwd=tmp_path, check=True)
    plugin = tmp_path / "usr/lib64/nagios/plugins/check_nutanix_cluster"
    assert plugin.read_text().startswith("#!/usr/bin/python3.9\n")


# --- wheel --------------------------------------------------------------------------------------


def python39():
    """A Python 3.9 interpreter (EL 9's version), if this machine has one."""
    for path in sorted(glob.glob("/root/.pyenv/versions/3.9*/bin/python3.9")) + [
            "/usr/bin/python3.9", "/usr/local/bin/python3.9"]:
        if os.access(path, os.X_OK):
            return path
    return None


def run_from(venv, check, emulator, tmp_path):
    ca = os.path.join(ROOT, "nagios_nutanix", "emulator", "tls", "emulator-cert.pem")
    return subprocess.run(
        [str(venv / "bin" / "check_nutanix"), check, "-H", "127.0.0.1", "-P",
         str(emulator.port), "-u", "admin", "--ca-file", ca, "--state-dir",
         str(tmp_path / "state")],
        env=dict(os.environ, NUTANIX_PASSWORD=PASSWORD), capture_output=True,
        text=True, timeout=60, cwd=str(tmp_path))


def test_wheel_installs_into_a_fresh_virtualenv_and_runs(dist, emulators, tmp_path):
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", str(venv))
    sh(str(venv / "bin" / "pip"), "install", "--quiet", str(dist / WHEEL))
    done = run_from(venv, "cluster", emulators("healthy"), tmp_path)
    assert (done.returncode, done.stdout.split(" | ")[0]) == (0, OK_LINE), done


def test_every_prism_check_runs_on_python_3_9(dist, emulators, tmp_path):
    """EL 9 pollers run Python 3.9: the wheel, installed under 3.9, runs every Prism check
    (cold, then warm from the cache) without an internal error."""
    interpreter = python39()
    if interpreter is None:
        pytest.skip("no Python 3.9 interpreter on this machine")
    from nagios_nutanix.checks import all_specs

    venv = tmp_path / "venv39"
    sh(interpreter, "-m", "venv", str(venv))
    sh(str(venv / "bin" / "pip"), "install", "--quiet", str(dist / WHEEL))
    emulator = emulators("healthy")
    checks = [s.name for s in all_specs() if getattr(s, "protocol", "prism") == "prism"]
    assert "cluster" in checks
    for check in checks:
        for attempt in ("cold", "warm"):
            done = run_from(venv, check, emulator, tmp_path)
            assert done.returncode in (0, 1, 2, 3), (check, attempt, done)
            assert "internal error" not in done.stdout, (check, attempt, done.stdout)
            assert "Traceback" not in done.stdout + done.stderr, (check, attempt, done)
            assert done.stdout.startswith(("OK - ", "WARNING - ", "CRITICAL - ")), (
                check, attempt, done.stdout)
