"""Prism Element protection domains (v2.0): async DR to remote sites and Metro Availability.

What each value is built from (reference §1.9; [SEEN]/[MODEL]/[CONSUMER]/[INFERRED] as there):

- `protection_domains` [SEEN, CMK fixture]: name, active, metro_avail{status, role, remote_site,
  container}, remote_site_names, replication_links[].remote_site_name, pending_replication_count,
  ongoing_replication_count, stats.replication_{transmitted,received}_bandwidth_kBps
  [CONSUMER], cron_schedules[] (element shape INFERRED: type, every_nth, is_suspended,
  retention_policy.remote_max_snapshots{site: n}).
- `protection_domains/dr_snapshots` [MODEL; the per-PD list is SEEN]: snapshot_id,
  snapshot_create_time_usecs, remote_site_names. The newest local snapshot comes from it.
- `remote_sites/dr_snapshots` [CONSUMER, ABR]: snapshots held at the remote sites (its meaning,
  snapshots present at the named remote sites, is INFERRED). When the cluster serves it, it
  alone says what is at each site. Only when it is not served (404/500/501, noted) do local
  snapshots stand in: one naming a site in remote_site_names counts as there (INFERRED),
  unless it is still being sent there (listed in `protection_domains/replications`).
- `protection_domains/replications` [CONSUMER + INFERRED keys]: ongoing replications.
- `remote_sites` [CONSUMER]: names and addresses. Prism exposes no remote-site connectivity
  state in any public capture (reference §8.1); link trouble is known from alerts only.
"""

import time
from urllib.parse import quote

from .element import V2
from .errors import PrismHTTPError
from .normalize import enum, flag, number, usecs_to_seconds
from .pagination import v2_pages

PROTECTION_DOMAINS = V2 + "protection_domains"
DR_SNAPSHOTS = V2 + "protection_domains/dr_snapshots"
REPLICATIONS = V2 + "protection_domains/replications"
REMOTE_SITES = V2 + "remote_sites"
REMOTE_SNAPSHOTS = V2 + "remote_sites/dr_snapshots"

SOURCE = "Prism Element v2.0 protection domains"

# Seconds per schedule unit (cron_schedules[].type; spellings INFERRED).
SCHEDULE_UNITS = {"MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
                  "MONTHLY": 31 * 86400}
# stats.*_bandwidth_kBps read as KiB/s (1024 bytes): INFERRED, Prism does not say.
KILOBYTE = 1024


class Schedule:
    """One snapshot schedule: every `interval` seconds, replicated to `remote` sites (None:
    every site of the PD, when the schedule names no per-site retention)."""

    __slots__ = ("kind", "every", "interval", "suspended", "remote")

    def __init__(self, kind, every, interval, suspended, remote):
        self.kind = kind
        self.every = every
        self.interval = interval
        self.suspended = suspended
        self.remote = remote

    def replicates_to(self, site):
        return self.remote is None or site in self.remote


class Metro:
    __slots__ = ("status", "role", "remote_site", "container", "failure_handling")

    def __init__(self, status, role, remote_site, container, failure_handling):
        self.status = status  # as Prism spells it: Enabled, Synchronizing, Disabled
        self.role = role  # Active, Standby
        self.remote_site = remote_site
        self.container = container
        self.failure_handling = failure_handling


class Replication:
    """One replication in flight (protection_domains/replications)."""

    __slots__ = ("pd", "site", "snapshot_id", "operation", "percent", "seconds_left",
                 "started")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))


class ProtectionDomain:
    __slots__ = ("name", "active", "metro", "schedules", "remote_sites", "pending", "ongoing",
                 "tx_bytes", "rx_bytes", "newest_local", "next_snapshot", "vm_count",
                 "newest_at", "replications")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))
        self.schedules = list(self.schedules or ())
        self.remote_sites = list(self.remote_sites or ())
        self.newest_at = dict(self.newest_at or {})  # site -> epoch s of the newest copy there
        self.replications = list(self.replications or ())

    def __repr__(self):
        return "ProtectionDomain(%r)" % self.name

    @property
    def is_async(self):
        """An active async PD that replicates: the kind whose RPO this check judges."""
        return self.metro is None and bool(self.active) and bool(self.remote_sites)

    def rpo(self, site):
        """The RPO toward `site` in seconds: the shortest running schedule replicating there
        (None when no running schedule does)."""
        intervals = [s.interval for s in self.schedules
                     if s.interval and not s.suspended and s.replicates_to(site)]
        return min(intervals) if intervals else None

    def suspended(self):
        return bool(self.schedules) and all(s.suspended for s in self.schedules)

    def in_flight(self, site):
        return [r for r in self.replications if r.site == site]


class RemoteSite:
    __slots__ = ("name", "addresses", "metro_ready")

    def __init__(self, name, addresses=(), metro_ready=None):
        self.name = name
        self.addresses = list(addresses)
        self.metro_ready = metro_ready


class ElementProtection:
    """The PE model: protection domains, remote sites, alerts, and when it was read."""

    kind = "pe"

    def __init__(self, cluster, domains, remote_sites, now, alerts=None, alerts_error=None,
                 notes=(), source=SOURCE):
        self.cluster = cluster  # prism.model.Cluster
        self.domains = list(domains)
        self.remote_sites = dict(remote_sites)  # name -> RemoteSite
        self.now = now
        self.alerts = alerts
        self.alerts_error = alerts_error
        self.notes = list(notes)
        self.source = source


# -- normalization -------------------------------------------------------------------------------
def schedule(doc):
    kind = enum(doc.get("type"))
    every = number(doc.get("every_nth")) or 1
    unit = SCHEDULE_UNITS.get(kind)
    retention = doc.get("retention_policy") or {}
    remote = retention.get("remote_max_snapshots")
    if isinstance(remote, dict):
        remote = {str(site) for site, count in remote.items() if (number(count) or 0) > 0}
    else:
        remote = None
    return Schedule(kind, every, unit * every if unit else None,
                    bool(flag(doc.get("is_suspended"))), remote)


def metro(doc):
    if not isinstance(doc, dict) or not doc:
        return None
    return Metro(status=doc.get("status"), role=doc.get("role"),
                 remote_site=doc.get("remote_site"), container=doc.get("container"),
                 failure_handling=doc.get("failure_handling"))


def protection_domain(doc):
    stats = doc.get("stats") or {}
    sites = [str(s) for s in doc.get("remote_site_names") or () if s]
    for link in doc.get("replication_links") or ():
        site = (link or {}).get("remote_site_name")
        if site and str(site) not in sites:
            sites.append(str(site))
    tx = number(stats.get("replication_transmitted_bandwidth_kBps"))
    rx = number(stats.get("replication_received_bandwidth_kBps"))
    return ProtectionDomain(
        name=str(doc.get("name") or "?"),
        active=flag(doc.get("active")),
        metro=metro(doc.get("metro_avail")),
        schedules=[schedule(s) for s in doc.get("cron_schedules") or () if isinstance(s, dict)],
        remote_sites=sites,
        pending=number(doc.get("pending_replication_count")),
        ongoing=number(doc.get("ongoing_replication_count")),
        tx_bytes=None if tx is None else int(tx * KILOBYTE),
        rx_bytes=None if rx is None else int(rx * KILOBYTE),
        next_snapshot=usecs_to_seconds(doc.get("next_snapshot_time_usecs")),
        vm_count=len(doc.get("vms") or ()),
    )


def replication(doc):
    return Replication(
        pd=doc.get("protection_domain_name"),
        site=doc.get("remote_site_name"),
        snapshot_id=None if doc.get("snapshot_id") is None else str(doc.get("snapshot_id")),
        operation=enum(doc.get("replication_operation")),
        percent=number(doc.get("completed_percentage")),
        seconds_left=number(doc.get("replication_time_to_complete_secs")),
        started=usecs_to_seconds(doc.get("start_time_in_usecs")),
    )


def remote_site(doc):
    ports = doc.get("remote_ip_ports") or {}
    return RemoteSite(str(doc.get("name") or "?"), sorted(str(a) for a in ports),
                      flag(doc.get("metro_ready")))


def place_snapshots(domains, local, remote, replications):
    """Set each PD's newest local snapshot and, per remote site, its newest copy there.

    When the remote sites' snapshot list is served (`remote` is not None) it alone says what
    is at each site: a remote-site snapshot counts at the sites it names. Only when it is not
    served do the local snapshots stand in: one naming a site in remote_site_names, and not
    being sent there now, counts as present there (INFERRED meaning; the caller notes it).
    """
    by_name = {d.name: d for d in domains}
    sending = {(r.pd, r.site, r.snapshot_id) for r in replications}
    for r in replications:
        if r.pd in by_name and (r.operation in (None, "SENDING")):
            by_name[r.pd].replications.append(r)
    for snap in local:
        pd, created = _owner(snap, by_name)
        if pd is None:
            continue
        if pd.newest_local is None or created > pd.newest_local:
            pd.newest_local = created
        if remote is not None:
            continue
        snapshot_id = None if snap.get("snapshot_id") is None else str(snap["snapshot_id"])
        for site in snap.get("remote_site_names") or ():
            if (pd.name, str(site), snapshot_id) not in sending:
                _place(pd, str(site), created)
    for snap in remote or ():
        pd, created = _owner(snap, by_name)
        if pd is not None:
            for site in snap.get("remote_site_names") or ():
                _place(pd, str(site), created)


def _owner(snap, by_name):
    """(PD, creation time) of a snapshot, or (None, None) when either is unknown."""
    pd = by_name.get(snap.get("protection_domain_name"))
    created = usecs_to_seconds(snap.get("snapshot_create_time_usecs"))
    return (pd, created) if pd is not None and created is not None else (None, None)


def _place(pd, site, created):
    if created > (pd.newest_at.get(site) or 0):
        pd.newest_at[site] = created


def _local_snapshots(client, domains):
    snaps = v2_pages(client, DR_SNAPSHOTS)
    if all(s.get("protection_domain_name") for s in snaps if isinstance(s, dict)):
        return [s for s in snaps if isinstance(s, dict)]
    # The all-PD list (MODEL) did not say whose snapshots they are: ask per PD (SEEN shape).
    found = []
    for pd in domains:
        for snap in v2_pages(client, PROTECTION_DOMAINS + "/%s/dr_snapshots"
                             % quote(pd.name, safe="")):
            if isinstance(snap, dict):
                found.append(dict(snap, protection_domain_name=pd.name))
    return found


def collect(client, cluster):
    """An ElementProtection for the cluster behind `client` (alerts are added by the caller)."""
    now = time.time()
    domains = [protection_domain(d) for d in v2_pages(client, PROTECTION_DOMAINS)
               if isinstance(d, dict)]
    notes = []
    sites = {}
    if domains:
        sites = {s.name: s for s in map(remote_site, v2_pages(client, REMOTE_SITES))}
    replicating = [d for d in domains if d.is_async]
    if replicating:
        replications = [replication(r) for r in v2_pages(client, REPLICATIONS)
                        if isinstance(r, dict)]
        local = _local_snapshots(client, replicating)
        try:
            remote = [s for s in v2_pages(client, REMOTE_SNAPSHOTS) if isinstance(s, dict)]
        except PrismHTTPError as exc:
            if exc.status not in (404, 500, 501):
                raise
            remote = None
            notes.append("remote_sites/dr_snapshots not served (HTTP %d): ages come from the "
                         "local snapshot list only (a local snapshot naming a remote site is "
                         "taken as present there: INFERRED)" % exc.status)
        place_snapshots(replicating, local, remote, replications)
    return ElementProtection(cluster, domains, sites, now, notes=notes)
