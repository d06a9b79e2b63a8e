"""`nutanix-templates`: monitoring configuration from an inventory and the check declarations.

    nutanix-templates --format nagios|icinga2|centreon|logicmonitor --inventory FILE --output DIR

The Jinja2 templates live in the top-level `templates/` folder of the source tree, or
`/usr/share/nagios-nutanix/templates` (packages), `<prefix>/share/nagios-nutanix/templates`
(pip), or wherever --templates / $NAGIOS_NUTANIX_TEMPLATES says.

Exit status: 0 every cluster generated, 1 some clusters could not be discovered (the others
were generated; each failure is named on stderr), 2 nothing generated (bad inventory, bad
templates, nothing discoverable).
"""

import argparse
import json
import os
import re
import sys

from .. import __version__
from ..plugin.errors import PluginError
from . import catalog, clapi
from .hosts import ROLE_WORDS, build

FORMATS = ("nagios", "icinga2", "centreon", "logicmonitor")
HERE = os.path.dirname(os.path.abspath(__file__))


class GenerationError(PluginError):
    pass


# -- where the templates are ---------------------------------------------------------------------
def template_dirs(explicit=None, environ=os.environ):
    """Candidate template folders, most specific first."""
    candidates = [explicit, environ.get("NAGIOS_NUTANIX_TEMPLATES"),
                  os.path.join(HERE, "..", "..", "templates"),
                  os.path.join(sys.prefix, "share", "nagios-nutanix", "templates"),
                  "/usr/local/share/nagios-nutanix/templates",
                  "/usr/share/nagios-nutanix/templates"]
    return [os.path.normpath(c) for c in candidates if c]


def find_templates(fmt, explicit=None, environ=os.environ):
    for directory in template_dirs(explicit, environ):
        if os.path.isdir(os.path.join(directory, fmt)):
            return directory
        if explicit and directory == os.path.normpath(explicit):
            break  # an explicit folder that lacks the format is an error, not a fallback
    raise GenerationError("no %s templates found (looked in %s); give --templates DIR" % (
        fmt, ", ".join(template_dirs(explicit, environ))))


def environment(directory):
    try:
        import jinja2
    except ImportError:
        raise GenerationError("nutanix-templates needs Jinja2: pip install 'nagios-nutanix"
                              "[templates]' or apt install python3-jinja2") from None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["icinga"] = icinga_string
    env.filters["json"] = lambda value: json.dumps(value, indent=2, sort_keys=False)
    return env


# -- shared view ---------------------------------------------------------------------------------
def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def words(text):
    return "-".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def notes_url(inventory, check):
    return "%s#%s" % (inventory.runbook_url, check.anchor)


class View:
    """What every format's templates see."""

    def __init__(self, inventory, checks):
        self.inventory = inventory
        self.checks = checks
        self.hosts = build(inventory, checks)
        self.version = __version__
        self.clusters = inventory.clusters

    def hosts_of(self, cluster):
        return [h for h in self.hosts if h.cluster is cluster]

    def checks_with_hosts(self):
        return [c for c in self.checks if any(c in h.checks for h in self.hosts)]

    def roles_families(self):
        """(role, family) pairs of the registered checks, in a stable order."""
        seen = []
        for role in ("cluster", "node"):
            for check in self.checks:
                if check.scope == role and (role, check.family) not in seen:
                    seen.append((role, check.family))
        return seen

    def macro_defaults(self, role, family):
        selected = [c for c in self.checks if c.scope == role and c.family == family]
        return catalog.host_macros(selected)


# -- Nagios --------------------------------------------------------------------------------------
def nagios_group(role, source):
    return "nutanix-%s-%s" % (role, slug(source))


def nagios_view(view):
    settings = view.inventory.settings["nagios"]
    groups = {}
    for host in view.hosts:
        for source in host.sources:
            groups.setdefault(nagios_group(host.role, source), []).append(host)
    services = []
    for check in view.checks:
        names = [nagios_group(check.scope, s) for s in check.sources
                 if nagios_group(check.scope, s) in groups]
        if not names:
            continue
        members = {h.name: h for g in names for h in groups[g]}
        excluded = sorted(n for n, h in members.items() if check not in h.checks)
        if len(excluded) == len(members):
            continue
        services.append({"check": check, "hostgroups": names, "excluded": excluded})
    templates = [{"name": "nutanix-%s-%s" % (role, family.lower()),
                  "use": "nutanix-%s" % role, "role": role, "family": family,
                  "macros": view.macro_defaults(role, family)}
                 for role, family in view.roles_families()]
    for host in view.hosts:
        uses = ["nutanix-%s-%s" % (host.role, f.lower()) for f in host.families]
        host.nagios_use = ",".join(uses or ["nutanix-%s" % host.role])
        defaults = {m.name: m.default for m in catalog.host_macros(host.candidates)}
        host.nagios_macros = [(m, v) for m, v in host.macros if v != defaults.get(m.name, "")]
        host.nagios_groups = ["HG-Cluster-%s" % host.cluster.host_name] + [
            nagios_group(host.role, s) for s in host.sources]
        if host.cluster.poller:
            host.nagios_groups.append("HG-Poller-%s" % host.cluster.poller)
        host.nagios_parent = host.cluster.host_name if host.role == "node" else ""
    pollers = sorted({c.poller for c in view.clusters if c.poller})
    return {"settings": settings, "services": services, "templates": templates,
            "binding_groups": sorted(groups), "pollers": pollers}


def check_nagios(view):
    for cluster in view.clusters:
        creds = cluster.credentials
        if creds["password_macro"]:
            raise GenerationError(
                "%s: Nagios cannot hold a per-host secret macro (password_macro %s); give "
                "credentials.auth_file, a file of 'username = ...' and 'password = ...' "
                "lines, mode 0600, readable by the nagios user" % (
                    cluster.where, creds["password_macro"]))
        if cluster.snmp and cluster.snmp.get("community_macro"):
            raise GenerationError("%s: Nagios cannot hold a per-host secret macro "
                                  "(snmp.community_macro); give snmp.auth_file" % cluster.where)


def render_nagios(env, view, standalone, output):
    check_nagios(view)
    data = nagios_view(view)
    files = {}
    common = dict(view=view, checks=view.checks, notes_url=lambda c: notes_url(
        view.inventory, c), **data)
    for name in ("commands.cfg", "templates.cfg", "hostgroups.cfg", "services.cfg"):
        files[name] = env.get_template("nagios/%s.j2" % name).render(**common)
    for cluster in view.clusters:
        files["hosts/%s.cfg" % cluster.host_name] = env.get_template("nagios/hosts.cfg.j2").render(
            cluster=cluster, hosts=view.hosts_of(cluster), **common)
    if standalone:
        files["standalone.cfg"] = env.get_template("nagios/standalone.cfg.j2").render(**common)
        objects = sorted(files)
        files["resource.cfg"] = env.get_template("nagios/resource.cfg.j2").render(**common)
        files["nagios.cfg"] = env.get_template("nagios/nagios.cfg.j2").render(
            output=os.path.abspath(output), files=objects, **common)
    return files


# -- Icinga 2 ------------------------------------------------------------------------------------
def icinga_string(value):
    """An Icinga 2 string literal."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"%s"' % text.replace("\n", "\\n").replace("\t", "\\t")


def _snmp_common_dests():
    """The dests of the SNMP checks' own common options (named nutanix_snmp_*)."""
    from ..checks.spec import CheckSpec
    from ..plugin.options import build_parser

    if "protocol" not in CheckSpec._fields:
        return set()

    def dests(protocol):
        spec = CheckSpec(name="x", title="x", description="x", scope="cluster", sources=(),
                         options=(), metrics=(), alerts=(), collect=None, evaluate=None,
                         protocol=protocol)
        return {a.dest for a in build_parser(spec, "x")._actions}

    return dests("snmp") - (dests("prism") - {"hostname", "auth_file", "timeout"})


def icinga_variable(protocol, dest, snmp_dests):
    if protocol == "snmp" and dest in snmp_dests:
        return "nutanix_snmp_" + (dest[5:] if dest.startswith("snmp_") else dest)
    return "nutanix_" + dest


def _dest(flag):
    return flag.lstrip("-").replace("-", "_")


def icinga2_view(view):
    settings = view.inventory.settings["icinga2"]
    snmp_dests = _snmp_common_dests()
    commands = []
    for check in view.checks:
        arguments = []
        own_agent = any(m.builtin for m in check.host_macros)  # SNMP agent of the host
        for arg in check.arguments():
            variable = icinga_variable(check.protocol, arg.dest, snmp_dests)
            if own_agent and arg.dest == "hostname":
                variable = "address"
            arguments.append({"flag": arg.flag, "description": arg.description,
                              "variable": variable,
                              "is_flag": arg.is_flag, "repeat": arg.repeat,
                              "required": arg.required})
        commands.append({"check": check, "name": "nutanix_" + check.name.replace("-", "_"),
                         "arguments": arguments})
    for host in view.hosts:
        variables = []
        for macro, value in host.macros:
            if macro.raw or not value:
                continue
            protocol = "snmp" if macro.name.startswith("NTNX_SNMP_") else "prism"
            name = icinga_variable(protocol, _dest(macro.flag), snmp_dests)
            variables.append((name, icinga_string(value)))
        creds = host.cluster.credentials
        if creds["password_macro"] and not creds["auth_file"]:
            variables.append(("nutanix_password", creds["password_macro"]))  # a constant
        if host.cluster.snmp and host.cluster.snmp.get("community_macro"):
            variables.append(("nutanix_snmp_community", host.cluster.snmp["community_macro"]))
        if host.cluster.insecure:
            variables.append(("nutanix_insecure", "true"))
        host.icinga_vars = variables
        host.icinga_zone = host.cluster.poller
    zones = sorted({c.poller for c in view.clusters if c.poller} - {settings["parent_zone"]})
    bound = view.checks_with_hosts()  # an apply rule that matches nothing is a warning
    return {"settings": settings, "commands": commands, "zones": zones,
            "services": [c for c in commands if c["check"] in bound]}


def render_icinga2(env, view, standalone, output):
    data = icinga2_view(view)
    common = dict(view=view, checks=view.checks, notes_url=lambda c: notes_url(
        view.inventory, c), **data)
    files = {}
    for name in ("commands.conf", "templates.conf", "services.conf", "zones.conf"):
        files["nutanix-" + name] = env.get_template("icinga2/%s.j2" % name).render(**common)
    for cluster in view.clusters:
        files["hosts/%s.conf" % cluster.host_name] = env.get_template(
            "icinga2/hosts.conf.j2").render(cluster=cluster, hosts=view.hosts_of(cluster),
                                            **common)
    return files


# -- Centreon ------------------------------------------------------------------------------------
def centreon_view(view):
    settings = view.inventory.settings["centreon"]
    commands, service_templates, host_templates = [], [], []
    template_of = {}  # (role, family, source) -> host template name
    for role, family in view.roles_families():
        family_checks = [c for c in view.checks if c.scope == role and c.family == family]
        sources = []
        for check in family_checks:
            sources.extend(s for s in check.sources if s not in sources)
        sets = {s: tuple(c.name for c in family_checks if s in c.sources) for s in sources}
        split = len(set(sets.values())) > 1  # one template per source only where it matters
        for source in (sources if split else [None]):
            name = "Virt-Nutanix-%s-%s%s-custom" % (
                ROLE_WORDS[role], family, "-" + words(source) if source else "")
            members = [c for c in family_checks if source is None or source in c.sources]
            host_templates.append({
                "name": name, "role": role, "family": family, "checks": members,
                "alias": "Nutanix %s (%s%s)" % (role, "SNMP" if family == "Snmp" else
                                                "Prism API", ", " + source if source else ""),
                "macros": catalog.host_macros(members)})
            for s in ([source] if source else sources):
                template_of[(role, family, s)] = name
    for check in view.checks:
        base = "Virt-Nutanix-%s" % check.words
        if not check.words.lower().startswith(check.family.lower() + "-"):
            base += "-" + check.family
        check.centreon_command = base
        check.centreon_template = base + "-custom"
        commands.append(check)
        service_templates.append({
            "check": check, "name": check.centreon_template,
            "host_templates": [t["name"] for t in host_templates if check in t["checks"]]})
    for host in view.hosts:
        names = []
        for check in host.candidates:
            for source in check.sources:
                if source in host.sources:
                    name = template_of.get((host.role, check.family, source))
                    if name and name not in names:
                        names.append(name)
        host.centreon_templates = names
        # The templates bring every check of their kind: delete the ones the cluster excludes.
        brought = [t for t in host_templates if t["name"] in names]
        host.centreon_excluded = [c.service for c in view.checks if c not in host.checks and
                                  any(c in t["checks"] for t in brought)]
        defaults = {m.name: m.default for m in catalog.host_macros(host.candidates)}
        host.centreon_macros = [(m, v) for m, v in host.macros
                                if v != defaults.get(m.name, "")]
        reference = host.cluster.credentials["password_macro"]
        if reference and "NTNX_PASSWORD" in defaults:  # Centreon keeps the password itself
            host.centreon_macros.append((catalog.Macro(
                "NTNX_PASSWORD", "--password", "Prism password of %s: set it here (the "
                "inventory calls it %s)" % (host.cluster.credentials["username"], reference),
                password=True), ""))
        host.centreon_poller = host.cluster.poller or settings["poller"]
    return {"settings": settings, "commands": commands, "host_templates": host_templates,
            "service_templates": service_templates}


def render_centreon(env, view, standalone, output):
    data = centreon_view(view)
    text = env.get_template("centreon/clapi.txt.j2").render(
        view=view, checks=view.checks, notes_url=lambda c: notes_url(view.inventory, c),
        **data)
    settings = data["settings"]
    try:
        clapi.validate(text, known_templates=(settings["host_template"],
                                              settings["service_template"]))
    except clapi.ClapiError as exc:
        raise GenerationError("the generated CLAPI file is invalid: %s" % exc) from None
    return {"nutanix-clapi.txt": text}


# -- LogicMonitor --------------------------------------------------------------------------------
def lm_alert_expression(spec):
    """A datapoint alert expression from the main metric's default -w/-c: warn at -w,
    critical at -c (LogicMonitor's error level is set to -c too, so it never shows on its own).
    Only one-sided ranges translate; None otherwise."""
    from ..plugin.ranges import Range

    texts = [spec.default_warning, spec.default_critical]
    ranges = [Range.parse(t) if t else None for t in texts]
    given = [r for r in ranges if r is not None]
    if not given or any(r.inside for r in given):
        return None
    if all(r.start <= 0 and r.end != float("inf") for r in given):
        operator, values = ">", [None if r is None else r.end for r in ranges]
    elif all(r.end == float("inf") and r.start > float("-inf") for r in given):
        operator, values = "<", [None if r is None else r.start for r in ranges]
    else:
        return None
    from ..plugin.perfdata import format_number

    warn, crit = values
    levels = [warn if warn is not None else crit, crit, crit] if crit is not None else [warn]
    return "%s %s" % (operator, " ".join(format_number(v) for v in levels))


def logicmonitor_view(view):
    from ..plugin.logicmonitor import datapoint_name

    settings = view.inventory.settings["logicmonitor"]
    sources = []
    for check in view.checks:
        points = [
            {"name": "status", "description": "plugin state: 0 OK, 1 WARNING, 2 CRITICAL, "
             "3 UNKNOWN", "min": 0, "max": 3, "alert": ""},
            {"name": "severity", "description": "alert level: 1 WARNING (warn), 2 UNKNOWN "
             "(error), 3 CRITICAL (critical)", "min": 0, "max": 3, "alert": ">= 1 2 3"},
        ]
        seen = {"status", "severity"}
        for metric in check.metrics():
            name = datapoint_name(metric.name)
            if name in seen:
                continue
            seen.add(name)
            alert = ""
            if metric.name == check.spec.main_metric:
                alert = lm_alert_expression(check.spec) or ""
            unit = {"": "", "%": "percent", "B": "bytes", "s": "seconds", "ms": "milliseconds",
                    "us": "microseconds", "c": "counter"}.get(metric.unit or "", metric.unit)
            points.append({
                "name": name, "min": metric.minimum, "max": metric.maximum, "alert": alert,
                "description": "%s%s%s" % (
                    metric.description, " (%s)" % unit if unit else "",
                    "; per %s" % metric.per_instance if metric.per_instance else "")})
        if check.protocol == "snmp" and any(m.builtin for m in check.host_macros):
            args = ("-H ##SYSTEM.HOSTNAME## --snmp-version ##NUTANIX.SNMP.VERSION## "
                    "--auth-file ##NUTANIX.SNMP.AUTHFILE##")
            applies = "nutanix.snmp.host"  # a device per host with its own agent (AHV)
        elif check.protocol == "snmp":
            args = ("-H ##NUTANIX.SNMP.ADDRESS## --snmp-version ##NUTANIX.SNMP.VERSION## "
                    "--auth-file ##NUTANIX.SNMP.AUTHFILE##")
            applies = "nutanix.snmp.address"
        else:
            args = ("-H ##NUTANIX.PRISM.HOST## -P ##NUTANIX.PRISM.PORT## --auth-file "
                    "##NUTANIX.PRISM.AUTHFILE## --cluster ##NUTANIX.CLUSTER##")
            kinds = [k for k, s in (("pe", "prism-element"), ("pc", "prism-central"))
                     if s in check.sources]
            applies = "nutanix.prism.host"
            if len(kinds) == 1:
                applies += ' && nutanix.prism.kind == "%s"' % kinds[0]
        script = "%s/%s" % (settings["plugin_dir"], check.command)
        sources.append({
            "check": check,
            "file": "Nutanix_%s.json" % check.words.replace("-", "_"),
            "document": {
                "name": "Nutanix_%s" % check.words.replace("-", "_"),
                "displayName": "Nutanix %s" % check.words.replace("-", " "),
                "description": "%s. %s Runbook: %s" % (
                    check.title, " ".join(check.spec.description.split()),
                    notes_url(view.inventory, check)),
                "group": settings["group"],
                "appliesTo": applies,
                "collectMethod": "batchscript",
                "collectInterval": int(settings["collect_interval"]),
                "hasMultiInstances": True,
                "enableAutoDiscovery": True,
                "autoDiscoveryConfig": {
                    "scheduleInterval": int(settings["discovery_interval"]),
                    "deleteInactiveInstance": True,
                    "persistentInstance": False,
                    "method": {"name": "ad_script", "type": "file", "linuxScript": script,
                               "linuxCmdline": args + " --discover"},
                },
                "collectorAttribute": {"name": "batchscript", "scriptType": "file",
                                       "linuxScript": script,
                                       "linuxCmdline": args + " --output logicmonitor"},
                "dataPoints": [{
                    "name": p["name"], "type": 2,  # 2: gauge
                    "postProcessorMethod": "namevalue",
                    "postProcessorParam": "##WILDVALUE##.%s" % p["name"],
                    "description": p["description"], "alertExpr": p["alert"],
                    "alertForNoData": 0,
                    "minValue": "" if p["min"] is None else str(p["min"]),
                    "maxValue": "" if p["max"] is None else str(p["max"]),
                } for p in points],
            }})
    return {"settings": settings, "datasources": sources}


def render_logicmonitor(env, view, standalone, output):
    data = logicmonitor_view(view)
    files = {}
    template = env.get_template("logicmonitor/datasource.json.j2")
    for source in data["datasources"]:
        text = template.render(source=source, **data)
        try:
            json.loads(text)
        except ValueError as exc:
            raise GenerationError("the %s DataSource is not valid JSON: %s" % (
                source["file"], exc)) from None
        files["datasources/" + source["file"]] = text
    files["devices.csv"] = env.get_template("logicmonitor/devices.csv.j2").render(
        view=view, **data)
    return files


RENDER = {"nagios": render_nagios, "icinga2": render_icinga2, "centreon": render_centreon,
          "logicmonitor": render_logicmonitor}


def generate(fmt, inventory, output, templates=None, checks=None, standalone=False):
    """The generated files {relative path: text} (nothing is written)."""
    env = environment(find_templates(fmt, templates))
    view = View(inventory, catalog.checks() if checks is None else checks)
    return RENDER[fmt](env, view, standalone, output)


def write(files, output):
    for relative, text in sorted(files.items()):
        path = os.path.join(output, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)


def _count(number, word):
    return "%d %s%s" % (number, word, "" if number == 1 else "s")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="nutanix-templates",
        description="Monitoring configuration for Nutanix clusters, from an inventory file and "
                    "the declarations of every check.",
        epilog="exit status: 0 all clusters generated, 1 some clusters could not be discovered "
               "(named on stderr; the others were generated), 2 nothing generated")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--inventory", required=True, metavar="FILE",
                        help="inventory YAML (see templates/example-inventory.yaml)")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="folder to write into (created if needed)")
    parser.add_argument("--templates", metavar="DIR",
                        help="folder of the Jinja2 templates (default: the installed ones)")
    parser.add_argument("--nagios-cfg", action="store_true",
                        help="nagios: also write a minimal nagios.cfg and the objects it needs, "
                             "so `nagios4 -v DIR/nagios.cfg` verifies the tree on its own")
    parser.add_argument("--no-discover", action="store_true",
                        help="do not ask Prism; clusters with discover: true get no node hosts")
    parser.add_argument("--discovery-auth-file", metavar="FILE",
                        help="credentials for discovery when the inventory's own cannot be "
                             "read here (mode 0600)")
    parser.add_argument("--timeout", type=float, default=30, metavar="SECONDS",
                        help="time budget per cluster for discovery (default %(default)s)")
    parser.add_argument("--state-dir", metavar="DIR",
                        help="state directory for discovery's Prism sessions")
    parser.add_argument("-V", "--version", action="version",
                        version="nutanix-templates %s" % __version__)
    return parser


def main(argv=None, stdout=None, stderr=None):
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    from . import discovery
    from .inventory import load

    try:
        inventory = load(args.inventory)
        failures = []
        if args.no_discover:
            for cluster in inventory.clusters:
                cluster.discover = False
        else:
            failures = discovery.discover(inventory, stderr, args.discovery_auth_file,
                                          args.timeout, args.state_dir)
            for failure in failures:
                stderr.write("nutanix-templates: cluster %s left out: %s\n" % (
                    failure.cluster.name, failure.reason))
            from .inventory import check_unique

            check_unique(inventory)
        if not inventory.clusters:
            stderr.write("nutanix-templates: no cluster left to generate\n")
            return 2
        files = generate(args.format, inventory, args.output, args.templates,
                         standalone=args.nagios_cfg)
        write(files, args.output)
    except PluginError as exc:
        stderr.write("nutanix-templates: %s\n" % exc)
        return 2
    nodes = sum(len(c.nodes) for c in inventory.clusters)
    stdout.write("wrote %s to %s: %s, %s%s\n" % (
        _count(len(files), "file"), args.output, _count(len(inventory.clusters), "cluster"),
        _count(nodes, "node"), "; %s left out" % _count(len(failures), "cluster")
        if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
