"""`snmp-cvm`: each CVM's status and its data and metadata services, from NUTANIX-MIB's
controllerStatusTable (.11) joined with controllerVMResourceTable (.4), plus the per-service
pid lists of the obsolete serviceStatusTable (.2) when the agent still serves it."""

from collections import namedtuple

from ..nodes import filtered
from ..plugin.perfdata import Metric
from ..plugin.ranges import Range
from ..plugin.result import Item
from ..plugin.sanitize import clean
from ..plugin.state import State
from .snmp_common import (
    SNMP_UNKNOWN_ALERT,
    STATUS_WORDS_NOTE,
    CvmVerdict,
    cluster_name,
    cvm_directory,
    cvm_result,
    filter_options,
    find_cvm,
    name_hosts,
    read_cvm_agent,
    select_cvms,
    status_state,
)
from .spec import Alert, CheckSpec, MetricSpec

Model = namedtuple("Model", "cluster cvms filtered obsolete agent hosts_note")

OBSOLETE = "obsolete serviceStatusTable"
CST = "controllerStatusTable"


def collect(context):
    from ..snmp import mib

    options = context.options

    def read(agent):
        resources = agent.table(mib.CVM_RESOURCES)
        statuses = agent.table(mib.CONTROLLER_STATUS)
        services = agent.table(mib.SERVICE_STATUS, required=False)
        cluster = cluster_name(agent)
        cvms = cvm_directory(resources, statuses)
        for row in services.values():
            cvm = find_cvm(cvms, row.get("cvm_id"))
            if cvm is not None:
                cvm.services = row
        chosen = select_cvms(agent, cvms, options,
                             "cluster %s (controllerVMResourceTable)" % clean(cluster))
        obsolete = bool(services)
        note = name_hosts(agent, chosen, lambda c: judge(c, obsolete).state != State.OK)
        return Model(cluster, chosen, filtered(options), obsolete, agent.target.host, note)

    return read_cvm_agent(context, read)


def _status_items(cvm):
    """(items, down count) of the CVM's controllerStatusTable row."""
    from ..snmp.session import text

    if cvm.status is None:
        return [Item(State.UNKNOWN, "no %s row for this CVM (id %s)" % (
            CST, ", ".join(clean(i) for i in cvm.ids) or "unknown"),
            brief="status not served")], 0
    items, down = [], 0
    for column, words in (("cvm_status", "CVM"), ("data_services", "data services"),
                          ("metadata_services", "metadata services")):
        raw = cvm.status.get(column)
        state, word = status_state(text(raw))
        if raw is None:
            items.append(Item(State.UNKNOWN, "%s status not served" % words,
                              brief="%s status unknown" % words, source=CST))
            continue
        if state == State.UNKNOWN:
            items.append(Item(state, "%s status %r is not a known status word" % (
                words, word), brief="%s %r" % (words, word), source=CST))
        else:
            items.append(Item(state, "%s %s" % (words, word), source=CST))
        down += state == State.CRITICAL
    return items, down


def _service_items(cvm, obsolete):
    """(items, down count) of the CVM's row in the obsolete serviceStatusTable."""
    from ..snmp.mib import SERVICE_COLUMNS
    from ..snmp.session import text

    if cvm.services is None:
        if obsolete:
            return [Item(State.OK, "no %s row for this CVM" % OBSOLETE, source=OBSOLETE)], 0
        return [], 0
    stopped, running = [], []
    for service in SERVICE_COLUMNS:
        pids = cvm.services.get(service)
        if pids is None:  # column not served: nothing to say about that service
            continue
        (running if text(pids) else stopped).append(service)
    items = [Item(State.CRITICAL, "%s DOWN: no pid in the %s" % (service, OBSOLETE),
                  brief="%s DOWN" % service, source=OBSOLETE) for service in stopped]
    if running:
        items.append(Item(State.OK, "running per the %s: %s" % (OBSOLETE, ", ".join(running)),
                          source=OBSOLETE))
    return items, len(stopped)


def judge(cvm, obsolete):
    from ..snmp.session import text

    items, down = _status_items(cvm)
    more, stopped = _service_items(cvm, obsolete)
    items += more
    metrics = [Metric("cvm.services.down.count", down + stopped, "", critical=Range.parse("0"),
                      minimum=0, instance=cvm.name)]
    ok = host_ok = None
    if cvm.status is not None:
        cvm_word = clean(text(cvm.status.get("cvm_status")) or "?")
        services = clean(text(cvm.status.get("data_services")) or "?")
        ok = "CVM %s, data and metadata services %s" % (cvm_word, services)
        host_ok = "CVM %s %s, data and metadata services %s" % (clean(cvm.name), cvm_word,
                                                                 services)
    return CvmVerdict(cvm, items, metrics, ok, host_ok)


def evaluate(model, options):
    verdicts = [judge(cvm, model.obsolete) for cvm in model.cvms]
    info = []
    by_index = [c for c in model.cvms if c.joined == "index"]
    if by_index:
        info.append("controllerVMResourceTable and %s name these CVMs by different ids, rows "
                    "joined by position (INFERRED to match): %s" % (CST, ", ".join(
                        "%s = %s" % (clean(c.name), " / ".join(clean(i) for i in c.ids))
                        for c in by_index)))
    up = sum(1 for v in verdicts if v.state == State.OK)
    ok = "%d of %d CVMs up, data and metadata services up" % (up, len(verdicts))
    return cvm_result(model.cluster, verdicts, model.filtered, ok, model.hosts_note, info=info,
                      notes=["source: NUTANIX-MIB %s and controllerVMResourceTable%s on %s" % (
                          CST, " (and the %s)" % OBSOLETE if model.obsolete else "",
                          model.agent)])


SPEC = CheckSpec(
    name="snmp-cvm",
    title="CVM status and its data and metadata services over SNMP (NUTANIX-MIB)",
    description=(
        "Reads NUTANIX-MIB's controllerStatusTable (.11) joined with controllerVMResourceTable\n"
        "(.4) from the Nutanix agent on a CVM or the cluster VIP: per CVM its status, the core\n"
        "data services (Stargate) and the metadata services (Cassandra/Medusa); anything not\n"
        "Up is CRITICAL. When the agent still serves the obsolete serviceStatusTable (.2), each\n"
        "service's pid list is checked as well (empty: DOWN, CRITICAL), labelled as coming from\n"
        "that obsolete table. --filter-name picks one CVM by its name or id, or by its host's\n"
        "name (found through the VM table)."),
    scope="node",
    sources=("NUTANIX-MIB",),
    options=filter_options("CVM name, CVM id, or the name of the CVM's AHV host"),
    metrics=(
        MetricSpec("cvm.services.down.count", "", "status columns and (obsolete table) services "
                   "that are down; critical above 0", per_instance="CVM", minimum=0),
    ),
    alerts=(
        Alert("CRITICAL", "a CVM, its data services or its metadata services are not Up",
              "Log in to the CVM and run `cluster status`; `cluster start` restarts stopped "
              "services. A CVM that keeps losing Stargate or Cassandra needs a support case. "
              "The cluster tolerates one CVM down (RF2): do not take another node down "
              "meanwhile."),
        Alert("CRITICAL", "a service's pid list is empty in the obsolete serviceStatusTable",
              "As above, for the named service; the table is obsolete, so confirm with "
              "`cluster status` before acting."),
        Alert("UNKNOWN", "a status is not a known word (the MIB does not list its values)",
              "The line shows the raw value: report it so the vocabulary can be learned."),
        SNMP_UNKNOWN_ALERT,
        Alert("UNKNOWN", "--filter-name matches no CVM",
              "The line lists the CVMs the agent knows: fix the monitoring host's FILTERNAME."),
    ),
    collect=collect,
    evaluate=evaluate,
    notes=(
        STATUS_WORDS_NOTE,
        "Finding a CVM's host reads the VM table, where CVMs are listed as VMs (INFERRED); it is "
        "read only when --filter-name does not match a CVM name or id, or when a CVM is in "
        "trouble (the problem line then names its host; checked alone, the scope is the host).",
    ),
    protocol="snmp",
)
