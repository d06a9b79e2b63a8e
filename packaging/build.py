#!/usr/bin/env python3
"""Build every distributable of nagios-nutanix: sdist, wheel, .deb and .rpm.

    python packaging/build.py [--out DIR] [--only sdist,wheel,deb,rpm]

The version comes from one place, `nagios_nutanix.__version__`; the Debian control file and
the RPM spec take it from here. The .deb is assembled with dpkg-deb from a staged tree (no
debhelper needed on the build host); the .rpm is built by rpmbuild from the sdist.
"""

import argparse
import configparser
import gzip
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "packaging")
NAME = "nagios-nutanix"
DEB_REVISION = "1"

# Where each piece goes on a Debian system.
DEB_PLUGINS = "usr/lib/nagios/plugins"
DEB_PYTHON = "usr/lib/python3/dist-packages"
DEB_SHARE = "usr/share/" + NAME
DEB_DOC = "usr/share/doc/" + NAME
DOCS = ("README.md", "BENCHMARKS.md", "docs")


def version():
    with open(os.path.join(ROOT, "nagios_nutanix", "__init__.py")) as handle:
        return re.search(r'__version__ = "([^"]+)"', handle.read()).group(1)


def console_scripts():
    """name -> (module, function) from setup.cfg, the one list of commands."""
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    found = {}
    for line in config.get("options.entry_points", "console_scripts").strip().splitlines():
        name, target = [part.strip() for part in line.split("=", 1)]
        module, function = target.split(":")
        found[name] = (module, function)
    return found


def plugins():
    folder = os.path.join(ROOT, "plugins")
    return sorted(f for f in os.listdir(folder) if f.startswith("check_nutanix"))


# Uncompressed where generated configuration links to them (notes_url / action_url).
REFERENCE_DOCS = ("docs/runbook.md", "docs/checks.md")


def data_files():
    """(source, destination relative to the share dir): templates, example files, and the
    runbook and check reference the generated configuration links to."""
    found = [(os.path.join(ROOT, doc), os.path.basename(doc)) for doc in REFERENCE_DOCS]
    templates = os.path.join(ROOT, "templates")
    for base, _dirs, files in os.walk(templates):
        for name in files:
            source = os.path.join(base, name)
            found.append((source, os.path.join("templates", os.path.relpath(source, templates))))
    for base, _dirs, files in os.walk(os.path.join(ROOT, "nagios_nutanix")):
        for name in files:
            if ".example." in name or "inventory" in name and name.endswith(".yaml"):
                found.append((os.path.join(base, name), os.path.join("examples", name)))
    return sorted(found)


def run(argv, **kwargs):
    print("+ " + " ".join(argv), flush=True)
    subprocess.run(argv, check=True, **kwargs)


def _copy_package(destination):
    shutil.copytree(os.path.join(ROOT, "nagios_nutanix"),
                    os.path.join(destination, "nagios_nutanix"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def _launcher(python, module, function):
    return "#!%s\nimport sys\n\nfrom %s import %s\n\nsys.exit(%s())\n" % (
        python, module, function, function)


def _plugin(python, name):
    with open(os.path.join(ROOT, "plugins", name)) as handle:
        body = handle.read().split("\n", 1)[1]
    return "#!%s\n%s" % (python, body)


def _gzip(source, destination):
    """gzip -9n: no name or time stamp inside, so builds are reproducible."""
    with open(source, "rb") as raw, open(destination, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9,
                           mtime=0) as packed:
            packed.write(raw.read())


def _stage_docs(doc_dir):
    for item in DOCS:
        source = os.path.join(ROOT, item)
        sources = [source] if os.path.isfile(source) else [
            os.path.join(source, f) for f in sorted(os.listdir(source))]
        for path in sources:
            target = os.path.join(doc_dir, os.path.relpath(path, ROOT))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.getsize(path) > 4096:  # Debian policy 12.3: larger docs compressed
                _gzip(path, target + ".gz")
            else:
                shutil.copyfile(path, target)


def stage(root, python, plugin_dir, site_dir, share_dir, bin_dir, link_dir=None):
    """Lay the installed files out under `root`, at the given absolute paths: the one
    description of the layout, used for the .deb and by the RPM spec's %install."""
    def at(path):
        return os.path.join(root, path.lstrip("/"))

    for name in plugins():
        _write(os.path.join(at(plugin_dir), name), _plugin(python, name), 0o755)
        if link_dir:  # e.g. Centreon's plugin directory
            os.makedirs(at(link_dir), exist_ok=True)
            os.symlink(os.path.relpath(os.path.join(plugin_dir, name), link_dir),
                       os.path.join(at(link_dir), name))
    for name, (module, function) in console_scripts().items():
        _write(os.path.join(at(bin_dir), name), _launcher(python, module, function), 0o755)
    _copy_package(at(site_dir))
    for source, target in data_files():
        destination = os.path.join(at(share_dir), target)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(source, destination)
    # Directories 0755, files 0644 unless executable: whatever the checkout's umask was.
    for base, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(base, name), 0o755)
        for name in files:
            path = os.path.join(base, name)
            if not os.path.islink(path):
                executable = os.stat(path).st_mode & stat.S_IXUSR
                os.chmod(path, 0o755 if executable else 0o644)


def stage_deb(tree, ver):
    stage(tree, "/usr/bin/python3", DEB_PLUGINS, DEB_PYTHON, DEB_SHARE, "usr/bin")
    doc = os.path.join(tree, DEB_DOC)
    _stage_docs(doc)
    shutil.copyfile(os.path.join(HERE, "debian", "copyright"), os.path.join(doc, "copyright"))
    with open(os.path.join(HERE, "debian", "changelog")) as handle:
        changelog = handle.read().replace("@VERSION@", "%s-%s" % (ver, DEB_REVISION))
    _write(os.path.join(tree, "changelog.tmp"), changelog)
    _gzip(os.path.join(tree, "changelog.tmp"), os.path.join(doc, "changelog.Debian.gz"))
    os.remove(os.path.join(tree, "changelog.tmp"))
    target = os.path.join(tree, "usr/share/lintian/overrides", NAME)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(os.path.join(HERE, "debian", "lintian-overrides"), target)
    for base, dirs, files in os.walk(tree):
        for name in dirs + files:
            path = os.path.join(base, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.path.isdir(path) or os.stat(path).st_mode
                         & stat.S_IXUSR else 0o644)


def _md5sums(tree):
    lines = []
    for base, _dirs, files in os.walk(tree):
        for name in sorted(files):
            path = os.path.join(base, name)
            relative = os.path.relpath(path, tree)
            if relative.startswith("DEBIAN"):
                continue
            with open(path, "rb") as handle:
                lines.append("%s  %s" % (hashlib.md5(handle.read()).hexdigest(), relative))
    return "\n".join(sorted(lines, key=lambda line: line[34:])) + "\n"


def _installed_kib(tree):
    total = 0
    for base, _dirs, files in os.walk(tree):
        total += sum(os.path.getsize(os.path.join(base, f)) for f in files)
    return (total + 1023) // 1024


def build_deb(out, ver):
    with tempfile.TemporaryDirectory(prefix="nagios-nutanix-deb-") as work:
        tree = os.path.join(work, NAME)
        stage_deb(tree, ver)
        control_dir = os.path.join(tree, "DEBIAN")
        with open(os.path.join(HERE, "debian", "control")) as handle:
            control = handle.read().replace("@VERSION@", "%s-%s" % (ver, DEB_REVISION))
        control = control.replace("@INSTALLED_SIZE@", str(_installed_kib(tree)))
        _write(os.path.join(control_dir, "control"), control)
        _write(os.path.join(control_dir, "md5sums"), _md5sums(tree))
        for script in ("postinst", "prerm"):
            shutil.copyfile(os.path.join(HERE, "debian", script),
                            os.path.join(control_dir, script))
            os.chmod(os.path.join(control_dir, script), 0o755)
        os.chmod(control_dir, 0o755)
        target = os.path.join(out, "%s_%s-%s_all.deb" % (NAME, ver, DEB_REVISION))
        run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree, target])
        return target


def build_python(out, kinds=("sdist", "wheel")):
    """sdist and/or wheel with the standard PEP 517 front end."""
    run([sys.executable, "-m", "build"] + ["--" + kind for kind in kinds]
        + ["--outdir", out, ROOT])


def build_rpm(out, ver, defines=()):
    sdist = os.path.join(out, "nagios_nutanix-%s.tar.gz" % ver)
    if not os.path.exists(sdist):
        build_python(out, ("sdist",))
    with tempfile.TemporaryDirectory(prefix="nagios-nutanix-rpm-") as top:
        sources = os.path.join(top, "SOURCES")
        os.makedirs(sources)
        shutil.copyfile(sdist, os.path.join(sources, os.path.basename(sdist)))
        run(["rpmbuild", "-bb", "--define", "_topdir %s" % top,
             "--define", "pkg_version %s" % ver,
             "--define", "_rpmdir %s" % out, "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-"
             "%%{RELEASE}.%%{ARCH}.rpm"]
            + [arg for define in defines for arg in ("--define", define)]
            + [os.path.join(HERE, "rpm", "nagios-nutanix.spec")])
    return os.path.join(out, "%s-%s-1.noarch.rpm" % (NAME, ver))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "dist"),
                        help="output directory (default: dist/)")
    parser.add_argument("--only", default="sdist,wheel,deb,rpm",
                        help="comma-separated subset of sdist,wheel,deb,rpm")
    parser.add_argument("--rpm-define", action="append", default=[], metavar="'NAME VALUE'",
                        help="rpmbuild macro, e.g. the EL 8 ones in packaging/rpm (repeatable)")
    parser.add_argument("--stage", metavar="ROOT",
                        help="only lay the installed files out under ROOT (the RPM spec's "
                             "%%install), with the paths below")
    for option in ("python", "plugin-dir", "site-dir", "share-dir", "bin-dir", "link-dir"):
        parser.add_argument("--" + option, help="with --stage: absolute install path")
    args = parser.parse_args(argv)
    if args.stage:
        stage(args.stage, args.python, args.plugin_dir, args.site_dir, args.share_dir,
              args.bin_dir, args.link_dir)
        return 0
    wanted = set(args.only.split(","))
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    ver = version()
    kinds = [kind for kind in ("sdist", "wheel") if kind in wanted]
    if kinds:
        build_python(out, kinds)
    if "deb" in wanted:
        build_deb(out, ver)
    if "rpm" in wanted:
        build_rpm(out, ver, args.rpm_define)
    for name in sorted(os.listdir(out)):
        print(os.path.join(out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
