"""FILTERNAME: pick a node by any name an admin knows it by, and speak of nodes in results.

One matcher serves every node-scoped check, API and SNMP alike: a check hands it the names of
each candidate (host name, CVM name, IPs, serials, UUID) and gets back the chosen ones.
"""

import re

from .checks.spec import Option
from .plugin import words
from .plugin.errors import PluginError, UsageError
from .plugin.result import Item, Result
from .plugin.sanitize import clean
from .plugin.state import State, severity, worst

FILTER_OPTIONS = (
    Option(("--filter-name",), "the node to check, by host name, CVM name, host or CVM IP, "
           "node or block serial, or host UUID; exact, case-insensitive (default: every node)",
           metavar="NAME", macro="FILTERNAME"),
    Option(("--filter-name-regex",), "the nodes whose name (any of the above) matches this "
           "regular expression as a whole, case-insensitive", metavar="PATTERN",
           macro="FILTERNAME_REGEX"),
)

LISTED = 12  # node names quoted when nothing matched


def _flag(dest):
    return "--" + dest.replace("_", "-")


def matcher(options, exact="filter_name", regex="filter_name_regex"):
    """A predicate over a list of names, or None when no filter was given.

    `exact` and `regex` name the option pair (dest names), so other objects than nodes
    (e.g. --filter-pd / --filter-pd-regex) share the same matching rules.
    """
    wanted_name = getattr(options, exact, None)
    pattern = getattr(options, regex, None)
    if wanted_name and pattern:
        raise UsageError("give %s or %s, not both" % (_flag(exact), _flag(regex)))
    if wanted_name:
        wanted = wanted_name.strip().casefold()
        return lambda names: any(str(n).casefold() == wanted for n in names)
    if pattern:
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise UsageError("bad %s %r: %s" % (_flag(regex), pattern, exc)) from None
        return lambda names: any(compiled.fullmatch(str(n)) for n in names)
    return None


def describe_filter(options, exact="filter_name", regex="filter_name_regex"):
    wanted_name = getattr(options, exact, None)
    if wanted_name:
        return "%s %r" % (_flag(exact), clean(wanted_name))
    return "%s %r" % (_flag(regex), clean(getattr(options, regex, "")))


def select(candidates, options, names_of, where, what="node", exact="filter_name",
           regex="filter_name_regex"):
    """The candidates the filter keeps (all of them without a filter).

    names_of(candidate) gives every name it answers to, the display name first; `where`
    says what was searched ("cluster PROD-A") for the no-match message, `what` what the
    candidates are ("node", "protection domain"), `exact`/`regex` the option pair.
    """
    keep = matcher(options, exact, regex)
    if keep is None:
        return list(candidates)
    chosen = [c for c in candidates if keep([n for n in names_of(c) if n])]
    if len(chosen) > 1 and getattr(options, exact, None):
        # An exact name stands for one object (one monitoring host per node); several matches
        # mean a shared name such as a block serial: say so rather than check them all.
        raise PluginError("%s matches %d %ss of %s (%s): a shared name such as a block "
                          "serial; give the %s's own name, or --%s for several" % (
                              describe_filter(options, exact, regex), len(chosen), what, where,
                              words.listing([clean(str(names_of(c)[0])) for c in chosen], LISTED),
                              what, regex.replace("_", "-")))
    if not chosen:
        known = sorted(str(names_of(c)[0]) for c in candidates)
        listing = ", ".join(clean(n) for n in known[:LISTED])
        if len(known) > LISTED:
            listing += " and %d more" % (len(known) - LISTED)
        raise PluginError("no %s of %s matches %s; it has %d: %s" % (
            what, where, describe_filter(options, exact, regex), len(known),
            listing or "none"))
    return chosen


def filtered(options, *more):
    """True when FILTERNAME (or one of the `more` option dests, e.g. "filter_disk") was given:
    what node_result() calls `filtered`."""
    return any(getattr(options, dest, None)
               for dest in ("filter_name", "filter_name_regex") + more)


def select_nodes(inventory, options):
    """The Inventory's nodes that FILTERNAME keeps."""
    return select(inventory.nodes, options, lambda n: n.names(),
                  "cluster %s" % clean(inventory.cluster.name))


class NodeVerdict:
    """What a check concluded about one node: items, perfdata, and its words when all is OK."""

    __slots__ = ("name", "items", "metrics", "ok_brief")

    def __init__(self, name, items, metrics=(), ok_brief=None):
        self.name = name
        self.items = list(items)
        self.metrics = list(metrics)
        self.ok_brief = ok_brief

    @property
    def state(self):
        return worst((i.state for i in self.items), default=State.UNKNOWN)

    def brief(self):
        """The node's trouble in a few words: the briefs of its non-OK items, worst first."""
        bad = sorted((i for i in self.items if i.state != State.OK and i.brief),
                     key=lambda i: -severity(i.state))
        if bad:
            return ", ".join(clean(i.brief) for i in bad)
        if not self.items:
            return "nothing was checked"
        return self.ok_brief or "OK"


def node_result(cluster_name, verdicts, filtered, ok_summary, extra=(), metrics=(), info=(),
                notes=(), shown=4, noun="nodes"):
    """One Result over per-node verdicts.

    One node chosen by a filter: the scope is `CLUSTER/node`, the node's items are the result's.
    Several nodes: the first line counts the nodes in trouble and names the worst `shown` of
    them, each node's items go to the long output prefixed with its name. `extra` items concern
    the cluster rather than one node (e.g. alerts could not be read). `noun` names what the
    verdicts are about in the first line ("nodes", "CVMs", "containers").
    """
    extra = list(extra)
    all_metrics = [m for v in verdicts for m in v.metrics] + list(metrics)
    if filtered and len(verdicts) == 1:
        verdict = verdicts[0]
        return _with_node_states(Result(
            "%s/%s" % (cluster_name, verdict.name), verdict.items + extra, all_metrics,
            ok_summary=verdict.ok_brief or ok_summary, info=info, notes=notes), verdicts, extra)
    troubled = sorted((v for v in verdicts if v.state != State.OK),
                      key=lambda v: -severity(v.state))
    items = list(extra)
    for verdict in sorted(verdicts, key=lambda v: -severity(v.state)):
        for item in verdict.items:
            items.append(Item(item.state, "%s: %s" % (clean(verdict.name), item.text),
                              brief="", source=item.source))
    summary = None
    if troubled:
        words = ", ".join("%s (%s)" % (clean(v.name), v.brief()) for v in troubled[:shown])
        if len(troubled) > shown:
            words += " and %d more" % (len(troubled) - shown)
        summary = "%d of %d %s in trouble: %s" % (len(troubled), len(verdicts), noun, words)
        worries = [clean(i.brief) for i in extra if i.state != State.OK and i.brief]
        if worries:
            summary = "; ".join(worries + [summary])
    elif any(i.state != State.OK for i in extra):
        summary = None  # the extra items' briefs speak
    return _with_node_states(Result(cluster_name, items, all_metrics, summary=summary,
                                    ok_summary=ok_summary, info=info, notes=notes),
                             verdicts, extra)


def _with_node_states(result, verdicts, extra):
    """Each node's own state for per-instance outputs (LogicMonitor): its verdict, made worse
    by what concerns the whole cluster (e.g. alerts could not be read)."""
    result.instance_states = {
        v.name: worst([v.state] + [i.state for i in extra]) for v in verdicts}
    return result
