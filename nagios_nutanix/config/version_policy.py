"""The version policy of the `version` check: a YAML file the admin writes (--policy FILE).

    aos:                        # also: ahv, ncc, prism_central
      "6.8":                    # a release train: every version starting with 6.8
        minimum: "6.8.1"        # below it: WARNING
        end_of_life: 2027-03-31 # past it: CRITICAL; within --eol-warning-days: WARNING
    compatible:                 # allowed AHV trains per AOS train
      "6.8": ["20230302"]

The file is read node by node, as written: an unquoted 6.10 stays "6.10" (plain YAML would
read the number 6.1), and every complaint names its key and line. An example ships next to
this module (version-policy.example.yaml); its dates, minimums and AOS/AHV pairs are made up
(the pairs are illustrative, unverified).
"""

import os
import re

from ..plugin.errors import PluginError
from ..plugin.sanitize import clean

COMPONENTS = ("aos", "ahv", "ncc", "prism_central")
COMPONENT_WORDS = {"aos": "AOS", "ahv": "AHV", "ncc": "NCC", "prism_central": "Prism Central"}
TRAIN_KEYS = ("minimum", "end_of_life")
TOP_KEYS = COMPONENTS + ("compatible", "example", "description")
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "version-policy.example.yaml")

_NUMBERS = re.compile(r"\d+(?:\.\d+)*")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def version_key(text):
    """The numbers of a version as a tuple, or None: 'ncc-5.0.0' -> (5, 0, 0),
    'Nutanix 20230302.101026' -> (20230302, 101026), 'AHV 10.3' -> (10, 3),
    'el8.nutanix.20230302.101026' -> (20230302, 101026), 'pc.2024.3' -> (2024, 3).
    The run with the most parts wins (ties: the last), so platform prefixes like el8 drop."""
    if text is None:
        return None
    runs = _NUMBERS.findall(str(text))
    if not runs:
        return None
    best = max(reversed(runs), key=lambda r: r.count("."))
    return tuple(int(part) for part in best.split("."))


def version_text(text):
    """The version part of a product string: 'Nutanix 20230302.101026' -> '20230302.101026'."""
    key = version_key(text)
    return ".".join(str(p) for p in key) if key else None


def in_train(version, train):
    """True when the version tuple starts with the train tuple."""
    return version is not None and tuple(version[:len(train)]) == tuple(train)


class Train:
    __slots__ = ("component", "name", "key", "minimum", "minimum_key", "end_of_life", "line")

    def __init__(self, component, name, key, line, minimum=None, minimum_key=None,
                 end_of_life=None):
        self.component = component
        self.name = name  # as written in the file, e.g. "6.8"
        self.key = key
        self.minimum = minimum
        self.minimum_key = minimum_key
        self.end_of_life = end_of_life  # datetime.date or None
        self.line = line

    def __repr__(self):
        return "Train(%s %s)" % (self.component, self.name)


class Policy:
    """Trains per component, allowed AOS -> AHV trains, and whether the file says it is an
    example (the check then says so next to every finding)."""

    def __init__(self, path, trains=None, compatible=None, example=False, description=None):
        self.path = path
        self.trains = trains or {}  # component -> [Train]
        self.compatible = compatible  # None, or [(aos train key, name, [(ahv key, name)])]
        self.example = example
        self.description = description

    def train_of(self, component, version):
        """The longest train of `component` the version belongs to, or None."""
        key = version_key(version)
        found = [t for t in self.trains.get(component, ()) if in_train(key, t.key)]
        return max(found, key=lambda t: len(t.key)) if found else None

    def allowed_ahv(self, aos_version):
        """(AOS train name, [AHV train names and keys]) the policy allows, or None when the
        policy's `compatible` section does not list the AOS version's train."""
        key = version_key(aos_version)
        found = [c for c in self.compatible or () if in_train(key, c[0])]
        if not found:
            return None
        best = max(found, key=lambda c: len(c[0]))
        return best[1], best[2]


# -- loading -------------------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, node, where, message):
        Exception.__init__(self, message)
        self.line = node.start_mark.line + 1 if node is not None else None
        self.where = where
        self.message = message


def _mapping(node, where):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise _Bad(node, where, "expected a mapping (key: value lines)")
    seen = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Bad(key_node, where, "keys must be plain text")
        if key_node.value in seen:
            raise _Bad(key_node, where, "key %r appears twice" % key_node.value)
        seen.add(key_node.value)
        yield key_node, value_node


def _scalar(node, where):
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.value == "":
        raise _Bad(node, where, "expected a single value")
    return node.value


def _version(node, where):
    text = _scalar(node, where)
    key = version_key(text)
    if key is None:
        raise _Bad(node, where, "%r is not a version (digits separated by dots)" % text)
    return text, key


def _date(node, where):
    import datetime

    text = _scalar(node, where)
    if not _DATE.match(text):
        raise _Bad(node, where, "%r is not a date (write YYYY-MM-DD)" % text)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _Bad(node, where, "%r is not a valid date" % text) from None


def _flag(node, where):
    text = _scalar(node, where).lower()
    if text in ("true", "yes", "on"):
        return True
    if text in ("false", "no", "off"):
        return False
    raise _Bad(node, where, "expected true or false, not %r" % text)


def _trains(component, node):
    trains = []
    for key_node, value_node in _mapping(node, component):
        where = "%s.%s" % (component, key_node.value)
        name, key = _version(key_node, where)
        train = Train(component, name, key, key_node.start_mark.line + 1)
        trains.append(train)
        if _empty(value_node):  # a listed train without constraints
            continue
        for field_node, field_value in _mapping(value_node, where):
            field = field_node.value
            inner = "%s.%s" % (where, field)
            if field == "minimum":
                train.minimum, train.minimum_key = _version(field_value, inner)
                if not in_train(train.minimum_key, key):
                    raise _Bad(field_value, inner, "minimum %s is not a version of release "
                               "train %s" % (train.minimum, name))
            elif field == "end_of_life":
                train.end_of_life = _date(field_value, inner)
            else:
                raise _Bad(field_node, inner, "unknown key %r (known: %s)"
                           % (field, ", ".join(TRAIN_KEYS)))
    return trains


def _empty(node):
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")


def _compatible(node):
    import yaml

    found = []
    for key_node, value_node in _mapping(node, "compatible"):
        where = "compatible.%s" % key_node.value
        name, key = _version(key_node, where)
        if not isinstance(value_node, yaml.SequenceNode):
            raise _Bad(value_node, where, "expected a list of AHV release trains, e.g. "
                       "[\"20230302\"]")
        ahv = [_version(item, where) for item in value_node.value]
        found.append((key, name, [(k, n) for n, k in ahv]))
    return found


def parse(text, path="<policy>"):
    """A Policy from YAML text; PluginError naming the key and line of the first problem."""
    import yaml

    def bad(line, where, message):
        at = "line %d" % line if line else "top level"
        return PluginError("bad version policy %s: %s%s: %s" % (
            clean(path), at, " (%s)" % clean(where) if where else "", clean(message)))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise bad(mark.line + 1 if mark else None, None,
                  "not valid YAML: %s" % problem) from None
    if root is None:
        raise bad(None, None, "the file is empty")
    policy = Policy(path)
    try:
        for key_node, value_node in _mapping(root, ""):
            name = key_node.value
            if name in COMPONENTS:
                policy.trains[name] = _trains(name, value_node)
            elif name == "compatible":
                policy.compatible = _compatible(value_node)
            elif name == "example":
                policy.example = _flag(value_node, name)
            elif name == "description":
                policy.description = _scalar(value_node, name)
            else:
                raise _Bad(key_node, name, "unknown key %r (known: %s)"
                           % (name, ", ".join(TOP_KEYS)))
    except _Bad as exc:
        raise bad(exc.line, exc.where, exc.message) from None
    if not policy.trains and policy.compatible is None:
        raise bad(None, None, "no aos, ahv, ncc, prism_central or compatible section")
    return policy


def load(path):
    """The Policy in file `path` (UNKNOWN with the reason when it cannot be read or parsed)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginError("cannot read version policy %s: %s (--policy)" % (
            clean(path), clean(getattr(exc, "strerror", None) or exc))) from None
    return parse(text, path)
