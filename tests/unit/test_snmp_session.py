"""The SNMP layer without a network: GETBULK walks over a fake backend, scalars, errors,
options, value helpers, and the emulator's snmprec rendering."""

import argparse

import pytest

from nagios_nutanix.checks import snmp_ahv, snmp_cluster
from nagios_nutanix.plugin.budget import Budget
from nagios_nutanix.plugin.errors import UsageError
from nagios_nutanix.plugin.options import build_parser
from nagios_nutanix.snmp import mib
from nagios_nutanix.snmp.session import (
    END_OF_MIB_VIEW,
    MARGIN_S,
    NO_SUCH_INSTANCE,
    NO_SUCH_OBJECT,
    Agent,
    BackendError,
    NoSuchObject,
    SnmpError,
    Target,
    number,
    resolve,
    target_from_options,
    text,
)

TABLE = mib.Table("demoTable", "1.3.6.1.4.1.99.1.1", {"name": 2, "value": 3})


class FakeBackend:
    """An agent over a sorted {oid: value} map; `cap` limits varbinds per answer."""

    def __init__(self, data, cap=None, fail=None):
        self.data = sorted(data.items(), key=lambda kv: tuple(map(int, kv[0].split("."))))
        self.cap = cap
        self.fail = fail
        self.calls = []

    def get(self, oids, timeout, retries):
        self.calls.append(("get", list(oids), timeout, retries))
        if self.fail:
            raise self.fail
        values = dict(self.data)
        return [(oid, values.get(oid, NO_SUCH_OBJECT)) for oid in oids]

    def _next(self, oid):
        key = tuple(map(int, oid.split(".")))
        for candidate, value in self.data:
            if tuple(map(int, candidate.split("."))) > key:
                return candidate, value
        return oid, END_OF_MIB_VIEW

    def bulk(self, oids, repetitions, timeout, retries, non_repeaters=0):
        self.calls.append(("bulk", list(oids), repetitions, non_repeaters))
        if self.fail:
            raise self.fail
        answer = [self._next(oid) for oid in oids[:non_repeaters]]
        last = list(oids[non_repeaters:])
        for _ in range(repetitions):
            for i, oid in enumerate(last):
                last[i], value = self._next(oid)
                answer.append((last[i], value))
        return answer[:self.cap] if self.cap else answer

    def close(self):
        pass


def rows(n):
    data = {}
    for i in range(1, n + 1):
        data["1.3.6.1.4.1.99.1.1.2.%d" % i] = "row-%d" % i
        data["1.3.6.1.4.1.99.1.1.3.%d" % i] = i * 10
    data["1.3.6.1.4.1.99.2.0"] = "after the table"
    return data


def agent(backend, seconds=30, host="192.0.2.1", **target):
    return Agent(backend, Target(host, community="c", **target), Budget(seconds))


@pytest.mark.parametrize("count,cap", [(1, None), (7, None), (250, None), (250, 7), (40, 1)])
def test_walk_reads_every_row_whatever_the_answer_size(count, cap):
    backend = FakeBackend(rows(count), cap=cap)
    found = agent(backend).table(TABLE)
    assert list(found) == [str(i) for i in range(1, count + 1)]
    assert found[str(count)] == {"name": "row-%d" % count, "value": count * 10}


def test_walk_asks_several_columns_per_getbulk():
    backend = FakeBackend(rows(90))
    agent(backend).table(TABLE)
    bulks = [c for c in backend.calls if c[0] == "bulk"]
    assert bulks[0][1] == ["1.3.6.1.4.1.99.1.1.2", "1.3.6.1.4.1.99.1.1.3"]
    assert bulks[0][2] == 50  # 100 varbinds shared by 2 columns
    assert len(bulks) == 2


def test_missing_cells_are_none():
    data = rows(3)
    del data["1.3.6.1.4.1.99.1.1.3.2"]
    assert agent(FakeBackend(data)).table(TABLE)["2"] == {"name": "row-2", "value": None}


def test_empty_table_names_agent_and_table():
    with pytest.raises(SnmpError) as caught:
        agent(FakeBackend({"1.3.6.1.4.1.99.2.0": 1})).table(TABLE)
    assert str(caught.value) == ("SNMP agent 192.0.2.1:161 (SNMP v2c): demoTable "
                                 "(1.3.6.1.4.1.99.1) is empty")
    assert agent(FakeBackend({})).table(TABLE, required=False) == {}


def test_oids_going_backwards_stop_the_walk():
    class Looping(FakeBackend):
        def bulk(self, oids, repetitions, timeout, retries, non_repeaters=0):
            return [("1.3.6.1.4.1.99.1.1.2.5", "x"), ("1.3.6.1.4.1.99.1.1.2.5", "x")]

    with pytest.raises(SnmpError, match="returned OIDs out of order in demoTable"):
        agent(Looping({})).table(TABLE, ["name"])


def test_get_marks_missing_values_none_and_fails_when_all_are_missing():
    backend = FakeBackend({"1.3.6.1.4.1.41263.501.0": "PROD-A"})
    values = agent(backend).get([("name", "1.3.6.1.4.1.41263.501.0"),
                                 ("version", "1.3.6.1.4.1.41263.502.0")], "scalars")
    assert values == {"name": "PROD-A", "version": None}
    with pytest.raises(NoSuchObject, match=r"does not serve scalars \(noSuchObject for "
                                           r"1.3.6.1.4.1.41263.502.0\): is -H a CVM"):
        agent(backend).get([("version", "1.3.6.1.4.1.41263.502.0")], "scalars")


@pytest.mark.parametrize("error,words", [
    (BackendError("timeout", "x"), "no answer from SNMP agent 192.0.2.1:161 (SNMP v2c) for "
                                   "scalars within 2.0s (2 tries): check that the agent runs"),
    (BackendError("timeout", "x"), "the Nutanix agent may answer SNMP v3 only (--snmp-version "
                                   "3)"),
    (BackendError("auth", "wrong authentication password or protocol"),
     "SNMP agent 192.0.2.1:161 (SNMP v2c) refused the v3 credentials asking for scalars: "
     "wrong authentication password or protocol"),
    (BackendError("error", "boom"), "SNMP agent 192.0.2.1:161 (SNMP v2c) failed asking for "
                                    "scalars: boom"),
])
def test_backend_errors_become_one_line(error, words):
    with pytest.raises(SnmpError) as caught:
        agent(FakeBackend({}, fail=error)).get([("a", "1.3.6.1.2.1.1.5.0")], "scalars")
    assert not isinstance(caught.value, NoSuchObject)  # only noSuchObject may be taken lightly
    assert str(caught.value).startswith(words) or words in str(caught.value)


def test_host_agent_timeout_does_not_speak_of_the_nutanix_agent():
    with pytest.raises(SnmpError) as caught:
        agent(FakeBackend({}, fail=BackendError("timeout", "x")), nutanix=False).get(
            [("a", "1.3.6.1.2.1.1.5.0")], "scalars")
    assert str(caught.value).endswith("(an agent does not answer a wrong community)")


@pytest.mark.parametrize("seconds,retries", [(1, 3), (1, 1), (10, 1), (60, 0), (0.3, 1)])
def test_request_timeout_fits_the_budget_with_a_margin(seconds, retries):
    """All tries of a request end before -t, with time held back to report."""
    backend = FakeBackend({"1.3.6.1.2.1.1.5.0": "x"})
    agent(backend, seconds=seconds, timeout=60.0, retries=retries).get(
        [("a", "1.3.6.1.2.1.1.5.0")], "x")
    _, _, timeout, given = backend.calls[0]
    assert given == retries
    assert timeout * (retries + 1) <= max(seconds - MARGIN_S, 0.05 * (retries + 1)) + 1e-6
    assert timeout * (retries + 1) <= seconds * 0.9 + 1e-6 or timeout == 0.05
    if seconds >= 1:
        assert timeout * (retries + 1) >= seconds - max(MARGIN_S, 0.1 * seconds) - 0.01


def test_scalars_asked_along_ride_on_the_first_getbulk():
    data = rows(3)
    data["1.3.6.1.4.1.41263.501.0"] = "PROD-A"
    backend = FakeBackend(data)
    a = agent(backend)
    a.also_ask([("cluster_name", "1.3.6.1.4.1.41263.501.0"),
                ("missing", "1.3.6.1.4.1.41263.400.0")])
    found = a.table(TABLE)
    assert list(found) == ["1", "2", "3"]
    assert a.scalars == {"cluster_name": "PROD-A", "missing": None}
    bulks = [c for c in backend.calls if c[0] == "bulk"]
    assert len(bulks) == 1 and bulks[0][3] == 2  # one request: two non-repeaters in it
    assert bulks[0][1][:2] == ["1.3.6.1.4.1.41263.501", "1.3.6.1.4.1.41263.400"]


def test_scalars_asked_along_ride_on_a_get():
    backend = FakeBackend({"1.3.6.1.2.1.1.5.0": "host", "1.3.6.1.4.1.41263.501.0": "PROD-A"})
    a = agent(backend)
    a.also_ask([("cluster_name", "1.3.6.1.4.1.41263.501.0")])
    assert a.get([("name", "1.3.6.1.2.1.1.5.0")], "sysName") == {"name": "host"}
    assert a.scalars == {"cluster_name": "PROD-A"} and len(backend.calls) == 1
    a.get([("name", "1.3.6.1.2.1.1.5.0")], "sysName")  # asked once only
    assert backend.calls[1][1] == ["1.3.6.1.2.1.1.5.0"]


def test_empty_table_of_a_nutanix_agent_blames_the_aos_version():
    table = mib.Table("containerInformationTable", "1.3.6.1.4.1.41263.8.1", {"name": 3})
    backend = FakeBackend({"1.3.6.1.4.1.41263.501.0": "PROD-A",
                           "1.3.6.1.4.1.41263.9.1.3.1": "node-01"})
    with pytest.raises(SnmpError) as caught:
        agent(backend).table(table)
    assert str(caught.value) == (
        "SNMP agent 192.0.2.1:161 (SNMP v2c): containerInformationTable (1.3.6.1.4.1.41263.8) "
        "is empty, though the agent answers other NUTANIX-MIB objects: this AOS version does "
        "not serve that table")
    with pytest.raises(SnmpError) as caught:
        agent(FakeBackend({"1.3.6.1.6.3.1.1.0": 1})).table(table)
    assert str(caught.value).endswith("is empty: is -H a CVM or the cluster VIP with SNMP "
                                      "enabled in Prism?")


def test_ipv6_agent_label_and_resolution():
    assert Target("fd00::1", 1161).label == "[fd00::1]:1161 (SNMP v2c)"
    assert resolve("::1", 161)[1][0] == "::1"
    assert resolve("127.0.0.1", 161)[1][:2] == ("127.0.0.1", 161)
    with pytest.raises(BackendError, match="cannot resolve no-such-host.invalid: "):
        resolve("no-such-host.invalid", 161)


def test_version_default_follows_the_agent():
    """v3 for the Nutanix agent (Prism sets up v3 users only), v2c for a host's own snmpd."""
    nutanix = build_parser(snmp_cluster.SPEC, "x").parse_args(["-H", "x"])
    host = build_parser(snmp_ahv.SPEC, "x").parse_args(["-H", "x"])
    assert (nutanix.snmp_version, nutanix.snmp_nutanix_agent) == ("3", True)
    assert (host.snmp_version, host.snmp_nutanix_agent) == ("2c", False)


def options(**given):
    values = dict(hostname="10.0.0.1", snmp_version="2c", community=None, snmp_user=None,
                  security_level=None, auth_protocol="SHA", auth_password=None,
                  priv_protocol="AES", priv_password=None, snmp_port=161, snmp_timeout=2.0,
                  snmp_retries=1)
    values.update(given)
    return argparse.Namespace(**values)


def test_target_levels_follow_the_passwords():
    target = target_from_options(options(snmp_version="3", snmp_user="u",
                                         auth_password="a" * 8, priv_password="p" * 8))
    assert (target.level, target.label) == ("authPriv",
                                            "10.0.0.1:161 (SNMP v3 user u, authPriv)")
    target = target_from_options(options(snmp_version="3", snmp_user="u",
                                         auth_password="a" * 8))
    assert target.level == "authNoPriv"
    assert target_from_options(options(snmp_version="3", snmp_user="u")).level == \
        "noAuthNoPriv"


@pytest.mark.parametrize("given,message", [
    ({"hostname": None, "community": "c"}, "give -H/--hostname"),
    ({"snmp_version": "1", "community": "c"}, "SNMP v1 is not supported"),
    ({}, "SNMP v2c needs a community"),
    ({"snmp_version": "3"}, "SNMP v3 needs --snmp-user .or snmp_user in the auth file.; the "
                            "Nutanix agent serves v3 users configured in Prism$"),
    ({"snmp_version": "3", "community": "c", "snmp_nutanix_agent": False},
     "SNMP v3 needs --snmp-user .or snmp_user in the auth file.; a community .-C. needs "
     "--snmp-version 2c$"),
    ({"snmp_version": "3", "snmp_user": "u", "security_level": "authNoPriv"},
     "security level authNoPriv needs --auth-password"),
    ({"snmp_version": "3", "snmp_user": "u", "auth_password": "short"},
     "--auth-password must have at least 8 characters"),
])
def test_bad_target_options(given, message):
    with pytest.raises(UsageError, match=message):
        target_from_options(options(**given))


def test_text_and_number_helpers():
    assert text('  "5"  ') == "5" and text(None) is None and text('"') == '"'
    assert number("42") == 42 and number(" 7 ") == 7 and number("0.52") == 0.52
    assert number(None) is None and number("n/a") is None and number(NO_SUCH_INSTANCE) is None


def test_snmprec_is_sorted_and_escapes_awkward_strings():
    from nagios_nutanix.emulator.snmprec import COUNTER64, OCTETS, render

    text_ = render([("1.3.6.1.4.1.41263.9.1.3.1", OCTETS, "node|01"),
                    ("1.3.6.1.4.1.41263.501.0", OCTETS, "PROD-A"),
                    ("1.3.6.1.4.1.41263.10.1.3.2", OCTETS, "vm"),
                    ("1.3.6.1.4.1.41263.504.0", COUNTER64, 5)])
    assert text_.splitlines() == [
        "1.3.6.1.4.1.41263.9.1.3.1|4x|%s" % b"node|01".hex(),
        "1.3.6.1.4.1.41263.10.1.3.2|4|vm",
        "1.3.6.1.4.1.41263.501.0|4|PROD-A",
        "1.3.6.1.4.1.41263.504.0|70|5",
    ]
