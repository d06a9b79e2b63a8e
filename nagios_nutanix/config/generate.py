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
import csv
import io
import json
import os
import re
import shlex
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
    env.filters["csv"] = csv_row
    return env


def csv_row(values):
    """One CSV line (RFC 4180 quoting where a value needs it), without its line end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["" if v is None else v for v in values])
    return out.getvalue()


# -- shared view ---------------------------------------------------------------------------------
def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


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
        host.nagios_macros = host.custom_macros()
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


def icinga2_commands(view, snmp_dests):
    """One CheckCommand per check: an argument per option, secrets by environment."""
    commands = []
    for check in view.checks:
        arguments, env = [], []
        own_agent = any(m.builtin for m in check.host_macros)  # SNMP agent of the host
        for arg in check.arguments():
            variable = icinga_variable(check.protocol, arg.dest, snmp_dests)
            if own_agent and arg.dest == "hostname":
                variable = "address"
            if arg.secret:  # out of the command line (ps), into the check's environment
                env.append({"name": arg.secret, "variable": variable})
                continue
            arguments.append({"flag": arg.flag, "flags": arg.flags, "variable": variable,
                              "description": arg.description, "is_flag": arg.is_flag,
                              "repeat": arg.repeat, "required": arg.required})
        commands.append({"check": check, "name": "nutanix_" + check.name.replace("-", "_"),
                         "arguments": arguments, "env": env})
    return commands


def _option_values(text, known, what, refuse):
    """[(argument, value)] of an option string for the `what` checks; `refuse(reason)`
    raises."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        refuse(str(exc))
    out = []
    while tokens:
        token = tokens.pop(0)
        flag, equals, value = token.partition("=")
        arg = known.get(flag) if flag.startswith("-") else None
        if arg is None or arg["variable"] == "address":
            refuse("%s is not an option of the %s checks; Icinga 2 passes each option through "
                   "its CheckCommand variable (vars.nutanix_*), so extra options can only be "
                   "options the checks have" % (token, what))
        if arg["is_flag"] and equals:
            refuse("%s takes no value" % flag)
        if not arg["is_flag"] and not equals:
            if not tokens:
                refuse("%s needs a value" % flag)
            value = tokens.pop(0)
        out.append((arg, "true" if arg["is_flag"] else value))
    return out


def icinga2_extra_variables(cluster, commands, where_key, text, protocol):
    """Host variables for an inventory's extra options (`-t 20 --insecure`): each option
    becomes the variable of the CheckCommand argument it is; anything else is refused."""
    known = {}
    for command in commands:
        if command["check"].protocol == protocol:
            for arg in command["arguments"]:
                known.update((flag, arg) for flag in arg["flags"] if flag not in known)

    def refuse(reason):
        raise GenerationError("%s: %s %r: %s" % (cluster.where, where_key, text, reason))

    variables = {}
    what = "SNMP" if protocol == "snmp" else "Prism"
    for arg, value in _option_values(text, known, what, refuse):
        if arg["repeat"]:
            variables.setdefault(arg["variable"], []).append(value)
        else:
            variables[arg["variable"]] = value
    return [(name, "[ %s ]" % ", ".join(icinga_string(v) for v in value)
             if isinstance(value, list) else value if value == "true" else icinga_string(value))
            for name, value in variables.items()]


def icinga2_host_variables(host, commands, snmp_dests):
    variables = {}
    for macro, value in host.macros:
        if macro.raw or not value:
            continue
        protocol = "snmp" if macro.name.startswith("NTNX_SNMP_") else "prism"
        name = icinga_variable(protocol, _dest(macro.flag), snmp_dests)
        variables[name] = icinga_string(value)
    cluster = host.cluster
    creds = cluster.credentials
    if creds["password_macro"] and not creds["auth_file"]:
        variables["nutanix_password"] = creds["password_macro"]  # a constant
    if cluster.snmp and cluster.snmp.get("community_macro"):
        variables["nutanix_snmp_community"] = cluster.snmp["community_macro"]
    if cluster.extra_options:
        variables.update(icinga2_extra_variables(
            cluster, commands, "extra_options", cluster.extra_options, "prism"))
    if cluster.snmp and cluster.snmp.get("extra_options"):
        variables.update(icinga2_extra_variables(
            cluster, commands, "snmp.extra_options", cluster.snmp["extra_options"], "snmp"))
    return list(variables.items())


def icinga2_zone(settings, cluster):
    """The zone whose endpoints run the cluster's checks: its poller, else the parent zone."""
    return cluster.poller or settings["parent_zone"]


def icinga2_view(view):
    settings = view.inventory.settings["icinga2"]
    snmp_dests = _snmp_common_dests()
    commands = icinga2_commands(view, snmp_dests)
    for host in view.hosts:
        host.icinga_vars = icinga2_host_variables(host, commands, snmp_dests)
    zones = sorted({c.poller for c in view.clusters if c.poller} - {settings["parent_zone"]})
    bound = view.checks_with_hosts()  # an apply rule that matches nothing is a warning
    return {"settings": settings, "commands": commands, "zones": zones,
            "services": [c for c in commands if c["check"] in bound]}


def render_icinga2(env, view, standalone, output):
    """zones.d/<global zone>/ (commands, templates, apply rules: every endpoint gets them),
    zones.d/<zone>/ (each cluster's hosts, in the zone that polls it: Icinga's config sync
    sends a zone's objects down to its own endpoints only), and nutanix-zones.conf (the Zone
    objects to merge into zones.conf)."""
    data = icinga2_view(view)
    common = dict(view=view, checks=view.checks, notes_url=lambda c: notes_url(
        view.inventory, c), **data)
    settings = data["settings"]
    files = {"nutanix-zones.conf": env.get_template("icinga2/zones.conf.j2").render(**common)}
    for name in ("commands.conf", "templates.conf", "services.conf"):
        files["zones.d/%s/nutanix-%s" % (settings["global_zone"], name)] = env.get_template(
            "icinga2/%s.j2" % name).render(**common)
    for cluster in view.clusters:
        files["zones.d/%s/nutanix-hosts-%s.conf" % (
            icinga2_zone(settings, cluster), cluster.host_name)] = env.get_template(
            "icinga2/hosts.conf.j2").render(cluster=cluster, hosts=view.hosts_of(cluster),
                                            zone=icinga2_zone(settings, cluster), **common)
    return files


# -- Centreon ------------------------------------------------------------------------------------
FAMILY_WORDS = {"Prism": "Prism API", "Snmp": "SNMP"}


def centreon_names(check):
    """A check's command and service template: distinct prefixes, so no command or service
    template can be mistaken for a host template (`Virt-Nutanix-<Role>-<Family>-custom`)."""
    return {"command": "CMD-Nutanix-%s" % check.words,
            "template": "SVC-Nutanix-%s-custom" % check.words}


def centreon_host_templates(view):
    """One host template per role and way of asking (Prism API, SNMP); one per source only
    where the checks of the sources differ. Returns (templates, {(role, family, source):
    template name})."""
    templates, template_of = [], {}
    for role, family in view.roles_families():
        family_checks = [c for c in view.checks if c.scope == role and c.family == family]
        sources = []
        for check in family_checks:
            sources.extend(s for s in check.sources if s not in sources)
        sets = {s: tuple(c.name for c in family_checks if s in c.sources) for s in sources}
        split = len(set(sets.values())) > 1
        for source in (sources if split else [None]):
            name = "Virt-Nutanix-%s-%s%s-custom" % (
                ROLE_WORDS[role], family, "-" + catalog.title_words(source) if source else "")
            members = [c for c in family_checks if source is None or source in c.sources]
            templates.append({
                "name": name, "role": role, "family": family, "checks": members,
                "alias": "Nutanix %s (%s%s)" % (role, FAMILY_WORDS[family],
                                                ", " + source if source else ""),
                "macros": catalog.host_macros(members)})
            for s in ([source] if source else sources):
                template_of[(role, family, s)] = name
    return templates, template_of


def centreon_password_macro(host):
    """The NTNX_PASSWORD macro a host with `password_macro` needs, or None. Centreon expands
    macros only in command lines, so this password is an argument of the check: visible in
    `ps` on the poller (an auth file is not)."""
    creds = host.cluster.credentials
    if not creds["password_macro"] or "NTNX_PASSWORD" not in [
            m.name for m in catalog.host_macros(host.candidates)]:
        return None
    return catalog.Macro(
        "NTNX_PASSWORD", "--password", "Prism password of %s: set it here (the inventory "
        "calls it %s). It is passed on the command line, visible in ps on the poller: "
        "prefer NTNX_AUTH_FILE" % (creds["username"], creds["password_macro"]), password=True)


def centreon_hosts(view, host_templates, template_of, settings):
    for host in view.hosts:
        names = []
        for check in host.candidates:
            for source in check.sources:
                name = template_of.get((host.role, check.family, source))
                if source in host.sources and name and name not in names:
                    names.append(name)
        host.centreon_templates = names
        # The templates bring every check of their kind: delete the ones the cluster excludes.
        brought = [t for t in host_templates if t["name"] in names]
        host.centreon_excluded = [c.service for c in view.checks if c not in host.checks and
                                  any(c in t["checks"] for t in brought)]
        host.centreon_macros = host.custom_macros()
        password = centreon_password_macro(host)
        if password is not None:
            host.centreon_macros.append((password, ""))
        host.centreon_poller = host.cluster.poller or settings["poller"]


def centreon_view(view):
    settings = view.inventory.settings["centreon"]
    host_templates, template_of = centreon_host_templates(view)
    commands, service_templates = [], []
    for check in view.checks:
        names = centreon_names(check)
        commands.append({"check": check, "name": names["command"]})
        service_templates.append({
            "check": check, "name": names["template"], "command": names["command"],
            "host_templates": [t["name"] for t in host_templates if check in t["checks"]]})
    centreon_hosts(view, host_templates, template_of, settings)
    return {"settings": settings, "commands": commands, "host_templates": host_templates,
            "service_templates": service_templates,
            "password_hosts": [h.name for h in view.hosts if centreon_password_macro(h)]}


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
LM_UNITS = {"": "", "%": "percent", "B": "bytes", "s": "seconds", "ms": "milliseconds",
            "us": "microseconds", "c": "counter"}
# alertForNoData: 1 no alert, 2 warn, 3 error, 4 critical (LogicMonitor's REST API schema).
LM_NO_DATA_ALERT, LM_NO_DATA_SILENT = 3, 1
STATUS_POINTS = (
    # `status` has no value alert: it raises an error when no data comes, e.g. an instance a
    # run that failed early (refused, unreachable, timed out) could not name.
    {"name": "status", "description": "plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; "
     "no data (the run could not reach the cluster) raises an error alert", "min": 0,
     "max": 3, "alert": "", "no_data": LM_NO_DATA_ALERT},
    {"name": "severity", "description": "alert level: 1 WARNING (warn), 2 UNKNOWN (error), "
     "3 CRITICAL (critical)", "min": 0, "max": 3, "alert": ">= 1 2 3",
     "no_data": LM_NO_DATA_SILENT},
)


def lm_alert_expression(levels):
    """A datapoint alert expression from a metric's default thresholds (catalog.Levels):
    `> planning -w -c` where the check has graduated thresholds (warn, error, critical),
    otherwise `> -w -c -c` (warn at -w, critical at -c; LogicMonitor's error level, which
    the `severity` datapoint gives to UNKNOWN, is set to -c too). Only one-sided ranges
    translate; None otherwise."""
    from ..plugin.perfdata import format_number
    from ..plugin.ranges import Range

    ranges = [Range.parse(t) if t else None for t in (levels.warning, levels.critical)]
    given = [r for r in ranges if r is not None]
    if not given or any(r.inside for r in given):
        return None
    if all(r.start <= 0 and r.end != float("inf") for r in given):
        operator, (warn, crit) = ">", [None if r is None else r.end for r in ranges]
    elif all(r.end == float("inf") and r.start > float("-inf") for r in given):
        operator, (warn, crit) = "<", [None if r is None else r.start for r in ranges]
    else:
        return None
    planning = levels.planning
    if (operator == ">" and planning is not None and warn is not None and crit is not None
            and planning < warn < crit):
        values = [planning, warn, crit]
    elif crit is not None:
        values = [warn if warn is not None else crit, crit, crit]
    else:
        values = [warn]
    return "%s %s" % (operator, " ".join(format_number(v) for v in values))


def lm_datapoints(check):
    from ..plugin.logicmonitor import datapoint_name

    points = [dict(p) for p in STATUS_POINTS]
    seen = {p["name"] for p in points}
    levels = check.levels()
    for metric in check.metrics():
        name = datapoint_name(metric.name)
        if name in seen:
            continue
        seen.add(name)
        unit = LM_UNITS.get(metric.unit or "", metric.unit)
        alert = lm_alert_expression(levels[metric.name]) if metric.name in levels else None
        points.append({
            "name": name, "min": metric.minimum, "max": metric.maximum, "alert": alert or "",
            "no_data": LM_NO_DATA_SILENT,
            "description": "%s%s%s" % (
                metric.description, " (%s)" % unit if unit else "",
                "; per %s" % metric.per_instance if metric.per_instance else "")})
    return points


def lm_collection(check, settings):
    """(script arguments, appliesTo) of a check's DataSource."""
    if check.protocol == "snmp" and any(m.builtin for m in check.host_macros):
        return ("-H ##SYSTEM.HOSTNAME## --snmp-version ##NUTANIX.SNMP.VERSION## "
                "--auth-file ##NUTANIX.SNMP.AUTHFILE##",
                "nutanix.snmp.host")  # a device per host with its own agent (AHV)
    if check.protocol == "snmp":
        return ("-H ##NUTANIX.SNMP.ADDRESS## --snmp-version ##NUTANIX.SNMP.VERSION## "
                "--auth-file ##NUTANIX.SNMP.AUTHFILE##", "nutanix.snmp.address")
    kinds = [k for k, s in (("pe", "prism-element"), ("pc", "prism-central"))
             if s in check.sources]
    applies = "nutanix.prism.host"
    if len(kinds) == 1:
        applies += ' && nutanix.prism.kind == "%s"' % kinds[0]
    # --cluster on Prism Element too: a run that fails before knowing its scope names the
    # cluster's instance by it (Prism Element accepts its own name).
    return ("-H ##NUTANIX.PRISM.HOST## -P ##NUTANIX.PRISM.PORT## --auth-file "
            "##NUTANIX.PRISM.AUTHFILE## --cluster ##NUTANIX.CLUSTER##", applies)


def lm_datasource(view, check, settings):
    args, applies = lm_collection(check, settings)
    script = "%s/%s" % (settings["plugin_dir"], check.command)
    name = "Nutanix_%s" % check.words.replace("-", "_")
    return {"check": check, "file": name + ".json", "document": {
        "name": name,
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
            "alertForNoData": p["no_data"],
            "minValue": "" if p["min"] is None else str(p["min"]),
            "maxValue": "" if p["max"] is None else str(p["max"]),
        } for p in lm_datapoints(check)],
    }}


def logicmonitor_view(view):
    settings = view.inventory.settings["logicmonitor"]
    return {"settings": settings,
            "datasources": [lm_datasource(view, c, settings) for c in view.checks]}


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
