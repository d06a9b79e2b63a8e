"""`snmp-ahv`: an AHV host through its own SNMP agent: the processes AHV needs, run queue per
CPU, CPU load and memory (HOST-RESOURCES-MIB and UCD-SNMP-MIB)."""

from collections import namedtuple

from ..plugin.perfdata import Metric
from ..plugin.ranges import Range, Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State
from .snmp_common import SNMP_UNKNOWN_ALERT, size, thresholds
from .spec import Alert, CheckSpec, MetricSpec, Option, threshold_options

DEFAULT_PROCESSES = ("libvirtd", "ovs-vswitchd", "ovsdb-server", "ahv-host-agent")
# The host agent's process name is INFERRED (the only public trace is a CVM log line naming
# ahv_host_agent.py): while unconfirmed, its absence from the default list is a WARNING that
# says so, not a CRITICAL. Named in --processes, it counts like any other.
INFERRED_PROCESSES = ("ahv-host-agent",)
PERIODS = {"1": "Load-1", "5": "Load-5", "15": "Load-15"}

Process = namedtuple("Process", "name path parameters status")
Model = namedtuple("Model", "host processes cpu_loads loads memory agent")


def collect(context):
    from ..snmp import mib
    from ..snmp.session import NoSuchObject, number, open_agent, text

    agent = open_agent(context)
    try:
        system = agent.get([("name", mib.SYS_NAME), ("descr", mib.SYS_DESCR)],
                           "the system group (SNMPv2-MIB sysName)")
        rows = agent.table(mib.HR_SW_RUN)
        processors = agent.table(mib.HR_PROCESSOR, required=False)
        loads = agent.table(mib.LA_TABLE, required=False)
        try:
            memory = agent.get(mib.UCD_MEMORY, "memory (UCD-SNMP-MIB memTotalReal...)")
        except NoSuchObject:  # an agent without UCD memory still tells the rest
            memory = {}
    finally:
        agent.close()
    processes = [Process(text(r["name"]) or "", text(r["path"]) or "",
                         text(r["parameters"]) or "", number(r["status"]))
                 for r in rows.values()]
    cpu_loads = [number(r["load"]) for r in processors.values()]
    by_name = {}
    for row in loads.values():
        try:
            by_name[text(row["name"])] = float(text(row["load"]))
        except (TypeError, ValueError):
            continue
    memory = {k: number(v) for k, v in memory.items()}
    return Model(text(system["name"]) or agent.target.host, processes, cpu_loads, by_name,
                 memory, agent.target.host)


def wanted_processes(options):
    """(names, defaulted): --processes, or the default list."""
    chosen = []
    for value in options.processes or ():
        chosen += [p.strip() for p in value.split(",") if p.strip()]
    return (chosen, False) if chosen else (list(DEFAULT_PROCESSES), True)


def _basename(path):
    return path.rsplit("/", 1)[-1]


def find_process(processes, wanted):
    """Rows that are `wanted`: by name (Linux cuts names to 15 characters), by executable, or
    by a script named in the parameters (python3 /path/ahv-host-agent ...)."""
    found = []
    for process in processes:
        words = [_basename(w) for w in process.parameters.split()[:2]]
        if process.name in (wanted, wanted[:15]) or _basename(process.path) == wanted \
                or wanted in words:
            found.append(process)
    return found


def judge_processes(model, options, name):
    """(items, metrics, running, wanted) of the required processes."""
    from ..snmp.mib import HR_SW_RUN_STATUS

    wanted, defaulted = wanted_processes(options)
    items, running, missing = [], [], 0
    for process in wanted:
        rows = find_process(model.processes, process)
        alive = [p for p in rows if p.status in (1, 2)]
        if alive:
            running.append(process)
            continue
        if rows:
            status = HR_SW_RUN_STATUS.get(rows[0].status, rows[0].status)
            brief, source = "%s %s" % (clean(process), status), "hrSWRunStatus"
            text = "%s is %s" % (clean(process), status)
        else:
            brief = text = "%s not running" % clean(process)
            source = "not in hrSWRunTable"
        if defaulted and process in INFERRED_PROCESSES:
            items.append(Item(State.WARNING, "%s (%s; process name INFERRED, adjust "
                              "--processes)" % (text, source),
                              brief="%s (process name INFERRED; adjust --processes)" % brief))
        else:
            items.append(Item(State.CRITICAL, "%s (%s)" % (text, source), brief=brief))
            missing += 1
    if running:
        items.append(Item(State.OK, "running: %s" % ", ".join(clean(p) for p in running)))
    metrics = [Metric("processes.missing.count", missing, "", critical=Range.parse("0"),
                      minimum=0, instance=name)]
    return items, metrics, running, wanted


def judge_load(model, options, name):
    """(items, metrics, load per CPU) of the --load-period load average per CPU."""
    rule = Thresholds(options.warning, options.critical)
    cpus = len(model.cpu_loads)
    period = options.load_period
    load = model.loads.get(PERIODS[period])
    per_cpu = None
    if load is None:
        items = [Item(State.UNKNOWN, "%s-minute load average not served (UCD-SNMP-MIB "
                      "laTable)" % period, brief="load unknown")]
    elif not cpus:
        items = [Item(State.UNKNOWN, "CPU count unknown (HOST-RESOURCES-MIB hrProcessorTable "
                      "empty)", brief="CPU count unknown")]
    else:
        per_cpu = load / cpus
        items = [Item(rule.evaluate(per_cpu), "load %.2f per CPU (%s-minute load %.2f on %d "
                      "CPUs)" % (per_cpu, period, load, cpus),
                      brief="load %.1f per CPU" % per_cpu)]
    metrics = [Metric("load.per.cpu", None if per_cpu is None else round(per_cpu, 3), "",
                      rule.warning, rule.critical, 0, instance=name)]
    for minutes in ("1", "5", "15"):
        if PERIODS[minutes] in model.loads:
            metrics.append(Metric("load.%smin" % minutes, model.loads[PERIODS[minutes]], "",
                                  minimum=0, instance=name))
    metrics.append(Metric("cpu.count", cpus or None, "", minimum=0, instance=name))
    return items, metrics, per_cpu


def judge_cpu(model, options, name):
    """(items, metrics, CPU %) of the average hrProcessorLoad."""
    rule = thresholds(options, "cpu")
    cpu = None
    values = [v for v in model.cpu_loads if v is not None]
    if values:
        cpu = sum(values) / float(len(values))
        items = [Item(rule.evaluate(cpu), "CPU %.0f%% (average hrProcessorLoad of %d CPUs)"
                      % (cpu, len(values)), brief="CPU %.0f%%" % cpu)]
    else:
        items = [Item(State.UNKNOWN, "CPU load not served (hrProcessorLoad)",
                      brief="CPU load unknown")]
    metrics = [Metric("cpu.utilization.percentage", None if cpu is None else round(cpu, 1),
                      "%", rule.warning, rule.critical, 0, 100, instance=name)]
    return items, metrics, cpu


def judge_memory(model, options, name):
    """(items, metrics, used %) of memory in use: available = free + buffers + cache (net-snmp's
    memAvailReal is free memory only)."""
    rule = thresholds(options, "memory")
    memory = model.memory
    total = memory.get("total")
    used_pct = used = None
    if total and memory.get("avail") is not None:
        available = memory["avail"] + (memory.get("buffer") or 0) + (memory.get("cached") or 0)
        used = max(0, total - available) * 1024
        used_pct = used * 100.0 / (total * 1024)
        items = [Item(rule.evaluate(used_pct), "memory %.1f%% used (%s of %s; available counts "
                      "buffers and cache)" % (used_pct, size(used), size(total * 1024)),
                      brief="memory %.0f%% used" % used_pct)]
    else:
        items = [Item(State.UNKNOWN, "memory not served (UCD-SNMP-MIB memTotalReal/"
                      "memAvailReal)", brief="memory unknown")]
    metrics = [
        Metric("memory.utilization.percentage", None if used_pct is None else round(used_pct, 1),
               "%", rule.warning, rule.critical, 0, 100, instance=name),
        Metric("memory.used.bytes", used, "B", minimum=0,
               maximum=total * 1024 if total else None, instance=name)]
    return items, metrics, used_pct


def evaluate(model, options):
    name = clean(model.host)
    items, metrics, running, wanted = judge_processes(model, options, name)
    ok = ["%d of %d processes running" % (len(running), len(wanted))]
    for judge, words in ((judge_load, "load %.2f per CPU"), (judge_cpu, "CPU %.0f%%"),
                         (judge_memory, "memory %.0f%% used")):
        more, figures, value = judge(model, options, name)
        items += more
        metrics += figures
        if value is not None:
            ok.append(words % value)
    return Result(name, items, metrics, ok_summary=", ".join(ok),
                  notes=["source: HOST-RESOURCES-MIB and UCD-SNMP-MIB on %s" % model.agent])


SPEC = CheckSpec(
    name="snmp-ahv",
    title="AHV host over its own SNMP agent: processes, run queue, CPU, memory",
    description=(
        "Asks the AHV host's own SNMP agent (-H is the host, not the CVM) for what Prism does\n"
        "not show: libvirtd, ovs-vswitchd, ovsdb-server and the Acropolis host agent running\n"
        "(HOST-RESOURCES-MIB hrSWRunTable; missing is CRITICAL, --processes changes the\n"
        "list; the host agent's process name is INFERRED, so its absence from the default list\n"
        "is a WARNING that says so), the load average per CPU (UCD-SNMP-MIB laLoad /\n"
        "hrProcessorTable CPUs; -w/-c, defaults 2 and 4), CPU load (hrProcessorLoad) and\n"
        "memory in use.\n"
        "The host needs an SNMP agent (net-snmp snmpd) serving those MIBs: whether enabling\n"
        "SNMP in Prism starts one on AHV hosts is unverified, so configure snmpd on the host\n"
        "(or check that it answers) before relying on this check."),
    scope="node",
    sources=("HOST-RESOURCES-MIB", "UCD-SNMP-MIB"),
    options=(
        Option(("--processes",), "processes that must run, comma separated, repeatable "
               "(default: %s; the host agent's name is INFERRED)" % ",".join(DEFAULT_PROCESSES),
               type="list", metavar="NAMES", macro="PROCESSES"),
        Option(("--load-period",), "load average judged: 1, 5 or 15 minutes (default "
               "%(default)s)", default="5", choices=("1", "5", "15"), metavar="MINUTES",
               macro="LOAD_PERIOD"),
    ) + threshold_options("cpu", "CPU load", " in percent", "80", "90")
    + threshold_options("memory", "memory in use", " in percent", "85", "95"),
    metrics=(
        MetricSpec("processes.missing.count", "", "required processes not running; critical "
                   "above 0 (a default process whose name is INFERRED is not counted)",
                   per_instance="host", minimum=0),
        MetricSpec("load.per.cpu", "", "load average of --load-period per CPU; -w/-c apply",
                   per_instance="host", minimum=0),
        MetricSpec("load.1min", "", "1-minute load average", per_instance="host", minimum=0),
        MetricSpec("load.5min", "", "5-minute load average", per_instance="host", minimum=0),
        MetricSpec("load.15min", "", "15-minute load average", per_instance="host",
                   minimum=0),
        MetricSpec("cpu.count", "", "CPUs (hrProcessorTable rows, threads)",
                   per_instance="host", minimum=0),
        MetricSpec("cpu.utilization.percentage", "%", "average hrProcessorLoad",
                   per_instance="host", minimum=0, maximum=100),
        MetricSpec("memory.utilization.percentage", "%", "memory in use (total - free - buffers - "
                   "cache)", per_instance="host", minimum=0, maximum=100),
        MetricSpec("memory.used.bytes", "B", "memory in use; max is the total",
                   per_instance="host", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "a required process (libvirtd, ovs-vswitchd, ovsdb-server, or "
              "one named in --processes) is not running or stopped",
              "VMs on the host lose management (libvirtd), networking (Open vSwitch) or "
              "Acropolis control (host agent). Check `systemctl status <name>` on the host "
              "and Prism's alerts; migrate VMs away before restarting Open vSwitch."),
        Alert("WARNING", "ahv-host-agent (the default's INFERRED name of the Acropolis host "
              "agent) is not running",
              "Check on the host which process runs the Acropolis host agent (`ps -ef | grep "
              "-i host_agent`). When it runs under another name, give the list with "
              "--processes (e.g. libvirtd,ovs-vswitchd,ovsdb-server,<name>): it is then "
              "CRITICAL when missing. When it does not run, Prism shows the host "
              "disconnected from Acropolis: see the `ahv` check."),
        Alert("WARNING", "load per CPU at or above -w (default 2; CRITICAL from -c, 4)",
              "More runnable threads than CPUs: VMs wait for CPU (CPU ready). Find the busy "
              "VMs on the host and rebalance."),
        Alert("WARNING", "CPU or memory above --warning-cpu/--warning-memory (defaults 80 "
              "and 85 %; CRITICAL from 90 and 95 %)",
              "Rebalance VMs; a host without memory headroom cannot take VMs in an HA "
              "event."),
        SNMP_UNKNOWN_ALERT,
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="load.per.cpu",
    default_warning="2",
    default_critical="4",
    notes=(
        "Whether Prism-enabled SNMP runs an agent on AHV hosts is not documented (reference "
        "§6.1): the host needs snmpd serving HOST-RESOURCES-MIB and UCD-SNMP-MIB (net-snmp's "
        "defaults) to the poller. --snmp-version defaults to 2c here (net-snmp's stock "
        "configuration answers a community); give --snmp-version 3 for a host set up with v3 "
        "users.",
        "The Acropolis host agent's process name `ahv-host-agent` is INFERRED: while it is "
        "in the default list, its absence is a WARNING saying so; confirm the name on a host "
        "and list it in --processes.",
    ),
    protocol="snmp",
)
