"""`ncc`: NCC health-check outcomes as Prism reports them, without launching an NCC run.

NCC runs take minutes and load the cluster, so this check never starts one. It reads what the
scheduled health checks already reported: their failures surface as Prism alerts (reference
notes §5), each carrying the check's id (v2 `check_id` "<cluster_uuid>::<n>" and
`alert_type_uuid` "A<n>", v4 `alertType`), and on Prism Central v4 its KB articles. On Prism
Central the cluster's `healthCheckScore` statistic is read too.

Which alerts count as health-check outcomes is a rule of this check (INFERRED, not documented
by Nutanix): every unresolved alert that carries a check id. Alerts without one are left out
and counted in a note.
"""

import re

from ..nodes import FILTER_OPTIONS
from ..plugin.perfdata import Metric
from ..plugin.ranges import Thresholds
from ..plugin.result import Item, Result
from ..plugin.sanitize import clean
from ..plugin.state import State, severity, worst
from ..plugin.words import plural
from . import alerts as alert_view
from .spec import Alert, CheckSpec, MetricSpec, Option

OUTCOMES = {"CRITICAL": "FAIL", "WARNING": "WARN", "INFO": "INFO", "AUDIT": "INFO"}
SCORE_SOURCE = "Prism Central v4 clustermgmt stats/clusters/{extId} healthCheckScore"
_CHECK_ID = re.compile(r"^A?(\d+)$", re.IGNORECASE)
_KB = re.compile(r"kb[/=:\s-]*0*(\d+)", re.IGNORECASE)


# -- collect -------------------------------------------------------------------------------
def read_score(client, cluster_uuid, now):
    """(score, None) or (None, why not): the newest `healthCheckScore` of the cluster's v4
    stats (MODEL field; its scale, 0-100, is INFERRED). The query is the one the storage check
    makes (prism/cluster_stats.py), so a poll cycle asks Prism Central once for both."""
    from ..plugin.errors import BudgetExceeded, PluginError
    from ..prism import cluster_stats

    try:
        data, why = cluster_stats.cluster(client, cluster_uuid, now)
    except BudgetExceeded:
        raise
    except PluginError as exc:
        return None, "health-check score not available: %s" % exc
    if data is None:
        return None, "health-check score not available: %s" % why
    score = cluster_stats.newest(data.get("healthCheckScore"))
    if score is None:
        return None, "health-check score not reported by Prism Central for this cluster"
    return score, None


def collect(context):
    model = alert_view.collect(context)
    if model.inventory.kind == "pc":
        model.score, model.score_error = read_score(
            context.prism(), model.inventory.cluster.uuid, model.now)
    else:
        model.score_error = ("health-check score: Prism Element does not report one (Prism "
                             "Central's v4 cluster stats do)")
    return model


# -- evaluate ------------------------------------------------------------------------------
def check_filter(options):
    """keep(alert) from --include-check/--exclude-check: a check id (1005, A1005) matches the
    alert's check id exactly, anything else is a regular expression searched in the title."""
    def parse(values, flag):
        ids, patterns = set(), []
        for value in values or ():
            match = _CHECK_ID.match(value.strip().split("::")[-1])  # "<cluster_uuid>::1005"
            if match:
                ids.add(match.group(1))
            else:
                patterns.extend(alert_view.compile_patterns([value], flag))
        return ids, patterns

    include = parse(getattr(options, "include_check", None), "--include-check")
    exclude = parse(getattr(options, "exclude_check", None), "--exclude-check")

    def hits(alert, chosen):
        ids, patterns = chosen
        return alert.check_id in ids or any(p.search(alert.title or "") for p in patterns)

    def keep(alert):
        if (include[0] or include[1]) and not hits(alert, include):
            return False
        return not hits(alert, exclude)

    return keep


def kb_links(group):
    seen = []
    for alert in group.alerts:
        for link in alert.kb_articles:
            text = clean(link.get("url") if isinstance(link, dict) else link)
            if text and text not in seen:
                seen.append(text)
    return seen


def kb_short(link):
    match = _KB.search(link)
    return "KB %s" % match.group(1) if match else ""


def _score_item(model, options):
    """The health-check score item, or None when there is nothing to say or judge."""
    thresholds = Thresholds(getattr(options, "warning", None), getattr(options, "critical", None))
    judged = thresholds.warning is not None or thresholds.critical is not None
    if model.score is None:
        if judged:
            return Item(State.UNKNOWN, "%s; -w/-c not applied" % model.score_error,
                        brief="health-check score not available")
        return None
    state = thresholds.evaluate(model.score) if judged else State.OK
    text = "health-check score %g" % model.score
    limit = thresholds.critical if state == State.CRITICAL else thresholds.warning
    return Item(state, text, brief="%s (outside %s)" % (text, limit) if limit and
                state != State.OK else text, source=SCORE_SOURCE)


def outcome_item(group, outcome, model):
    """One health check's line: outcome, check id, title, where, KB."""
    links = kb_links(group)
    tags = ["check %s" % clean(group.key)]
    if group.tag():
        tags.append(group.tag())
    if links and kb_short(links[0]):
        tags.append(kb_short(links[0]))
    brief = "%s %s (%s)" % (outcome, group.title, ", ".join(tags))
    text = "%s check %s %s" % (outcome, clean(group.key), group.title)
    if len(group.alerts) > 1:
        text += " x%d" % len(group.alerts)
    if group.places_text():
        text += " on %s" % group.places_text()
    if group.message():
        text += " - %s" % group.message()
    details = [alert_view.when(group, model.now)]
    details.append("KB %s" % ", ".join(links) if links else
                   "no KB link in Prism Element v2 alerts" if model.inventory.kind == "pe"
                   else "no KB link given")
    text += " [%s]" % "; ".join(d for d in details if d)
    return Item(group.state, text, brief=brief if group.state != State.OK else "")


def evaluate(model, options):
    notes = ["source: %s" % model.source]
    if model.inventory.kind == "pc":
        notes.append("health-check score source: %s" % SCORE_SOURCE)
    if model.error:
        return alert_view.unreadable(model, options, notes)
    outcomes = [a for a in model.alerts if a.check_id]
    without_id = len(model.alerts) - len(outcomes)
    chosen = alert_view.select(model, options, check_filter(options), outcomes)
    groups = alert_view.fold(chosen.counted, model.inventory, key=lambda a: a.check_id,
                             by_severity=False, home=alert_view.home(chosen))
    counts = {"FAIL": 0, "WARN": 0, "INFO": 0}
    items = []
    for group in groups:
        outcome = OUTCOMES.get(group.severity, "INFO")
        counts[outcome] += 1
        items.append(outcome_item(group, outcome, model))

    score = _score_item(model, options)
    bad = counts["FAIL"] + counts["WARN"]
    parts = []
    if bad:
        words = ", ".join("%d %s" % (counts[o], o) for o in ("FAIL", "WARN") if counts[o])
        parts.append((worst(i.state for i in items), "%s %s: %s" % (
            words, "health check" if bad == 1 else "health checks", alert_view.joined(
                [i.brief for i in items if i.state != State.OK]))))
    if score is not None and (bad or score.state != State.OK):
        parts.append((score.state, score.brief))
    summary = "; ".join(text for _, text in sorted(parts, key=lambda p: -severity(p[0])))
    info_groups = [g for g in groups if g.state == State.OK]
    ok_summary = "no health check reports FAIL or WARN"
    if info_groups:
        ok_summary += "; %d INFO: %s" % (counts["INFO"], alert_view.joined(
            [g.title for g in info_groups], shown=2))
    if not groups:
        items.append(Item(State.OK, "no health check reports FAIL, WARN or INFO"))
    if score is not None:
        ok_summary += "; %s" % score.text
        items.append(score)

    info = alert_view.selection_notes(chosen, "health-check alerts",
                                      "--include-check/--exclude-check")
    if without_id:
        info.append("%s without a check id not counted (see the alerts check)"
                    % plural(without_id, "unresolved alert"))
    if model.score is None and score is None and model.inventory.kind == "pc":
        info.append(model.score_error)
    metrics = [Metric("checks.fail.count", counts["FAIL"], minimum=0),
               Metric("checks.warn.count", counts["WARN"], minimum=0),
               Metric("checks.info.count", counts["INFO"], minimum=0)]
    if model.score is not None:
        thresholds = Thresholds(getattr(options, "warning", None),
                                getattr(options, "critical", None))
        metrics.append(Metric("health.check.score", model.score, warning=thresholds.warning,
                              critical=thresholds.critical, minimum=0, maximum=100))
    return Result(alert_view.scope(model, chosen), items, metrics, summary=summary or None,
                  ok_summary=ok_summary, info=info, notes=notes)


SPEC = CheckSpec(
    name="ncc",
    title="NCC health-check outcomes (FAIL, WARN) as Prism reports them",
    description=(
        "Reports what the scheduled NCC health checks found, without launching an NCC run\n"
        "(runs take minutes and load the cluster). Sources, field by field:\n"
        "- outcomes: unresolved Prism alerts that carry a check id (Prism Element v2.0\n"
        "  alerts?resolved=false: check_id '<cluster_uuid>::<n>', alert_type_uuid 'A<n>';\n"
        "  Prism Central v4 monitoring alerts: alertType), one line per check; a critical\n"
        "  alert is a FAIL (CRITICAL), a warning a WARN (WARNING), info is stated;\n"
        "- title, message, entity: the alert (rendered from its context), newest first;\n"
        "- KB links: v4 kbArticles (Prism Central only; Prism Element v2 alerts have none);\n"
        "- health-check score: Prism Central v4 cluster stats healthCheckScore (newest\n"
        "  value of the last 15 minutes; MODEL field, 0-100 scale INFERRED); -w/-c judge it.\n"
        "Prism Element's v2.0 health_checks endpoint lists check definitions and schedules,\n"
        "not results, so it is not used. Only unacknowledged alerts count unless\n"
        "--include-acknowledged is given."),
    scope="cluster",
    sources=("prism-element", "prism-central"),
    options=FILTER_OPTIONS + (
        alert_view.ACKNOWLEDGED_OPTION,
        Option(("--include-check",), "only these checks count: a check id (1005, A1005 or "
               "<cluster_uuid>::1005; exact) or a regular expression searched in the title "
               "(case-insensitive); repeatable", type="list", metavar="ID|PATTERN"),
        Option(("--exclude-check",), "leave these checks out: a check id or a title pattern "
               "as for --include-check; repeatable, applied after it", type="list",
               metavar="ID|PATTERN"),
    ),
    metrics=(
        MetricSpec("checks.fail.count", "", "health checks whose worst unresolved alert is "
                   "critical (FAIL)", minimum=0),
        MetricSpec("checks.warn.count", "", "health checks whose worst unresolved alert is a "
                   "warning (WARN)", minimum=0),
        MetricSpec("checks.info.count", "", "health checks with only info alerts", minimum=0),
        MetricSpec("health.check.score", "", "Prism Central only: the cluster's health-check "
                   "score; -w/-c apply (e.g. -w 80: -c 50:)", minimum=0, maximum=100),
    ),
    alerts=(
        Alert("CRITICAL", "a health check reports FAIL (an unresolved critical alert with a "
              "check id)",
              "The line names the check, its id, what it is about and (on Prism Central) its "
              "KB article: follow the KB. After the fix, rerun that one check from a CVM "
              "rather than all of NCC; the alert resolves when the check passes."),
        Alert("WARNING", "a health check reports WARN",
              "As for FAIL, with less urgency; acknowledge it in Prism, or leave it out with "
              "--exclude-check ID, when it is accepted."),
        Alert("WARNING", "the health-check score is outside -w (CRITICAL: outside -c); Prism "
              "Central only",
              "Open the cluster's health page in Prism Central to see which checks weigh on "
              "the score."),
        Alert("UNKNOWN", "the alerts could not be read, or -w/-c were given and no score "
              "is available", "The line says why; the user needs at least the Viewer role."),
    ),
    collect=collect,
    evaluate=evaluate,
    main_metric="health.check.score",
    default_warning=None,
    default_critical=None,
    notes=(
        "Rule (INFERRED): every unresolved alert that carries a check id counts as a health-"
        "check outcome; alerts without one are counted in a note and left to the alerts check.",
        "A check that stopped running raises no alert: this check cannot see that.",
        "The healthCheckScore statistic and its 0-100 scale are from the v4 SDK model "
        "(MODEL/INFERRED), not from an observed Prism Central.",
    ),
)
