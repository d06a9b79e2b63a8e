"""Prism tasks in one shape, and the VM live migrations among them.

Sources:
- Prism Element: `POST v2.0/tasks/list` (the endpoint exists [CONSUMER]; its request body and
  the task entity's fields beyond `progress_status`, `percentage_complete` and
  `meta_response.error_detail` are INFERRED).
- Prism Central: `GET /api/prism/v4.0/config/tasks` (field names MODEL, from the v4 prism SDK:
  extId, operation, operationDescription, status QUEUED|RUNNING|CANCELING|SUCCEEDED|FAILED|
  CANCELED|SUSPENDED, progressPercentage, createdTime/startedTime/completedTime,
  entitiesAffected [{extId, name, rel}], clusterExtIds, errorMessages, legacyErrorMessage).
  The SDK documents the list as sorted by createdTime, newest first.

How a migration names its VM and hosts is INFERRED on both: a task about a VM migration is
recognised by its operation name (MIGRATE_OPERATIONS); host entities in its entity list are
read as source then destination, in that order. When a task names no host, the VM's current host
(from the VM list) is taken as the source of a migration that failed or is in flight (the VM
is still there) and marked as inferred; a migration that succeeded is left without hosts (its
VM's current host is the destination, or wherever it went since).
"""

from ..plugin.errors import PluginError
from .normalize import enum, iso_seconds, number, usecs_to_seconds

V2_TASKS_LIST = "/api/nutanix/v2.0/tasks/list"
V4_TASKS = "/api/prism/v4.0/config/tasks"

# Prism Element is asked for this many of its newest tasks (request body keys INFERRED).
V2_COUNT = 500
# Prism Central: pages of this size, newest first, until a page reaches back past the window.
V4_PAGE = 100
V4_MAX_PAGES = 20

# Operation names of a VM live migration, after enum() normalization: "kVmMigrate" and
# "VmMigrate" -> VM_MIGRATE. INFERRED: no recorded migrate task was found.
MIGRATE_OPERATIONS = ("VM_MIGRATE", "MIGRATE_VM", "VM_LIVE_MIGRATE", "LIVE_MIGRATE_VM")

IN_FLIGHT = ("QUEUED", "RUNNING", "CANCELING", "SUSPENDED")
FAILED = ("FAILED", "ABORTED")
SUCCEEDED = ("SUCCEEDED",)


class PrismTask:
    """One task; times in epoch seconds, status upper-case (RUNNING, FAILED, ...), entities as
    (kind, uuid, name) with kind "vm", "host", "cluster" or the source's own word."""

    __slots__ = ("id", "operation", "status", "percent", "created", "started", "completed",
                 "updated", "message", "entities", "cluster_uuids")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))
        self.entities = list(self.entities or ())
        self.cluster_uuids = list(self.cluster_uuids or ())

    def __repr__(self):
        return "PrismTask(%s, %s)" % (self.operation, self.status)

    @property
    def ended(self):
        """When it ended (completed, else last updated): None while in flight."""
        if self.completed:
            return self.completed
        return None if self.status in IN_FLIGHT else self.updated

    @property
    def began(self):
        return self.started or self.created


def _kind(word):
    """'kVM' / 'vmm:ahv:config:vm' -> 'vm'; 'kNode' / 'clustermgmt:config:host' -> 'host'."""
    word = str(word or "").lower()
    tail = word.rsplit(":", 1)[-1]
    if tail.startswith("k") and len(tail) > 1 and tail[1:] in ("vm", "node", "host", "cluster"):
        tail = tail[1:]
    if tail in ("vm", "virtualmachine"):
        return "vm"
    if tail in ("node", "host", "hypervisor"):
        return "host"
    return tail or "?"


def from_v2(doc):
    meta = doc.get("meta_response") if isinstance(doc.get("meta_response"), dict) else {}
    request = doc.get("meta_request") if isinstance(doc.get("meta_request"), dict) else {}
    entities = [(_kind(e.get("entity_type")), e.get("entity_id") or e.get("uuid"),
                 e.get("entity_name") or e.get("name"))
                for e in doc.get("entity_list") or () if isinstance(e, dict)]
    error = meta.get("error_detail") or doc.get("message") or None
    return PrismTask(
        id=doc.get("uuid") or doc.get("id"),
        operation=enum(doc.get("operation_type") or request.get("method_name")),
        status=enum(doc.get("progress_status")),
        percent=number(doc.get("percentage_complete")),
        created=usecs_to_seconds(doc.get("create_time_usecs")) or None,
        started=usecs_to_seconds(doc.get("start_time_usecs")) or None,
        completed=usecs_to_seconds(doc.get("complete_time_usecs")) or None,
        updated=usecs_to_seconds(doc.get("last_updated_time_usecs")) or None,
        message=error,
        entities=entities,
        cluster_uuids=[doc["cluster_uuid"]] if doc.get("cluster_uuid") else [],
    )


def _v4_message(doc):
    texts = [m.get("message") for m in doc.get("errorMessages") or () if isinstance(m, dict)]
    texts = [t for t in texts if t]
    if texts:
        return "; ".join(texts)
    return doc.get("legacyErrorMessage") or None


def from_v4(doc):
    entities = [(_kind(e.get("rel")), e.get("extId"), e.get("name"))
                for e in doc.get("entitiesAffected") or () if isinstance(e, dict)]
    status = doc.get("status")
    return PrismTask(
        id=doc.get("extId"),
        operation=enum(doc.get("operation")),
        status=None if status in (None, "$UNKNOWN", "$REDACTED") else enum(status),
        percent=number(doc.get("progressPercentage")),
        created=iso_seconds(doc.get("createdTime")),
        started=iso_seconds(doc.get("startedTime")),
        completed=iso_seconds(doc.get("completedTime")),
        updated=iso_seconds(doc.get("lastUpdatedTime")),
        message=_v4_message(doc),
        entities=entities,
        cluster_uuids=[str(c) for c in doc.get("clusterExtIds") or ()],
    )


class TaskList:
    """The tasks read, and whether they reach back far enough (`complete`)."""

    __slots__ = ("tasks", "complete", "total", "source")

    def __init__(self, tasks, complete, total, source):
        self.tasks = tasks
        self.complete = complete
        self.total = total
        self.source = source


def _reaches(tasks, since):
    return any(t.began and t.began < since for t in tasks)


def _v2_recent(client, since):
    doc = client.post(V2_TASKS_LIST, {"include_completed": True, "count": V2_COUNT})
    if not isinstance(doc, dict) or not isinstance(doc.get("entities", []), list):
        raise PluginError("unexpected answer for v2.0 tasks/list: expected an object with "
                          "an 'entities' list")
    listed = doc.get("entities") or []
    tasks = [from_v2(d) for d in listed if isinstance(d, dict)]
    total = number((doc.get("metadata") or {}).get("total_entities"))
    # Complete when the list reaches back past `since`, or holds every task: the total says
    # so, or (no total given) Prism returned fewer than asked for. A full answer with no total
    # that does not reach back may have left older tasks out.
    complete = _reaches(tasks, since) or (
        len(tasks) >= total if total is not None else len(listed) < V2_COUNT)
    return TaskList(tasks, complete, total, "Prism Element v2.0 tasks")


def _v4_recent(client, cluster_uuid, since):
    """Pages newest first, until one reaches back before `since` or the list ends. The page
    requests do not depend on the time, so every check of a poll cycle shares them."""
    tasks, total, complete = [], None, False
    for index in range(V4_MAX_PAGES):
        doc = client.get(V4_TASKS, {"$page": index, "$limit": V4_PAGE})
        if not isinstance(doc, dict):
            raise PluginError("unexpected answer for v4 prism tasks: not an object")
        batch = doc.get("data") or []
        if not isinstance(batch, list):
            raise PluginError("unexpected answer for v4 prism tasks: 'data' is not a list")
        tasks.extend(from_v4(d) for d in batch if isinstance(d, dict))
        total = number((doc.get("metadata") or {}).get("totalAvailableResults"))
        ended = len(batch) < V4_PAGE or (total is not None and len(tasks) >= total)
        if ended or _reaches(tasks, since):
            complete = True
            break
    if cluster_uuid:
        tasks = [t for t in tasks if not t.cluster_uuids or cluster_uuid in t.cluster_uuids]
    return TaskList(tasks, complete, total, "Prism Central v4 prism tasks")


def recent(client, kind, cluster_uuid, since):
    """The target's recent tasks (Prism Central: those of `cluster_uuid`), reaching back to
    `since` (epoch seconds) where the source allows."""
    if kind == "pc":
        return _v4_recent(client, cluster_uuid, since)
    return _v2_recent(client, since)


class Migration:
    """One VM live migration: its VM, hosts (names or uuids, None when not said), status."""

    __slots__ = ("task_id", "vm", "vm_uuid", "source", "source_uuid", "destination",
                 "destination_uuid", "source_inferred", "status", "percent", "began", "ended",
                 "message")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    def __repr__(self):
        return "Migration(%s %s->%s %s)" % (self.vm, self.source, self.destination, self.status)

    @property
    def in_flight(self):
        return self.status in IN_FLIGHT

    @property
    def failed(self):
        return self.status in FAILED

    @property
    def succeeded(self):
        return self.status in SUCCEEDED


def is_migration(task):
    return task.operation in MIGRATE_OPERATIONS


def needs_placement(task):
    """True for a failed or in-flight migration whose task names no host: migrations() then
    takes its VM's current host as the source."""
    return (is_migration(task) and (task.status in IN_FLIGHT or task.status in FAILED)
            and not any(kind == "host" for kind, _, _ in task.entities))


def migrations(tasks, placement=None):
    """The VM migrations among `tasks`; `placement` maps a VM uuid to its current host
    (uuid, name), taken as the (inferred) source of a failed or in-flight migration whose task
    names no host."""
    found = []
    for task in tasks:
        if not is_migration(task):
            continue
        vms = [(uuid, name) for kind, uuid, name in task.entities if kind == "vm"]
        hosts = [(uuid, name) for kind, uuid, name in task.entities if kind == "host"]
        vm_uuid, vm_name = vms[0] if vms else (None, None)
        source = hosts[0] if hosts else (None, None)
        destination = hosts[1] if len(hosts) > 1 else (None, None)
        inferred = False
        if placement and vm_uuid in placement and needs_placement(task):
            source, inferred = placement[vm_uuid], True
        found.append(Migration(
            task_id=task.id, vm=vm_name or vm_uuid, vm_uuid=vm_uuid,
            source=source[1] or source[0], source_uuid=source[0],
            destination=destination[1] or destination[0], destination_uuid=destination[0],
            source_inferred=inferred, status=task.status, percent=task.percent,
            began=task.began, ended=task.ended, message=task.message))
    return found
