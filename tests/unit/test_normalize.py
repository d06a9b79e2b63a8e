"""Prism value conventions normalized once (prism/normalize.py) and PE/PC detection."""

import pytest

from nagios_nutanix.prism import detect
from nagios_nutanix.prism.normalize import (
    enum,
    flag,
    ip,
    iso_seconds,
    number,
    ppm_to_percent,
    ppm_to_ratio,
    usecs_to_seconds,
)


@pytest.mark.parametrize("value,expected", [
    ("-1", None),
    (" -1 ", None),
    (-1, None),
    (-1.0, None),
    ("", None),
    ("  ", None),
    (None, None),
    (True, None),
    (False, None),
    ("n/a", None),
    ("42", 42),
    (" 42 ", 42),
    ("0", 0),
    ("-2", -2),
    ("12.5", 12.5),
    ("1e3", 1000.0),
    (7, 7),
    (0, 0),
    (2.5, 2.5),
])
def test_number(value, expected):
    result = number(value)
    assert result == expected
    assert type(result) is type(expected)


def test_number_keeps_integers_integers():
    assert isinstance(number("12345678901234"), int)


@pytest.mark.parametrize("value,expected", [
    ("1000000", 100.0),
    ("412000", 41.2),
    (10000, 1.0),
    ("0", 0.0),
    ("-1", None),
    (None, None),
])
def test_ppm_to_percent(value, expected):
    assert ppm_to_percent(value) == expected


def test_ppm_to_ratio():
    assert ppm_to_ratio("250000") == 0.25
    assert ppm_to_ratio("-1") is None


@pytest.mark.parametrize("value,expected", [
    ("1700000000000000", 1700000000.0),
    (1500000, 1.5),
    ("250", 0.00025),
    ("-1", None),
    (None, None),
])
def test_usecs_to_seconds(value, expected):
    assert usecs_to_seconds(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("kAcropolisNormal", "ACROPOLIS_NORMAL"),
    ("Normal", "NORMAL"),
    ("kNormalMode", "NORMAL_MODE"),
    ("NORMAL", "NORMAL"),
    ("READ_ONLY", "READ_ONLY"),
    ("kReadOnly", "READ_ONLY"),
    ("ReadOnly", "READ_ONLY"),
    ("readOnly", "READ_ONLY"),
    ("ENTERED_MAINTENANCE_MODE", "ENTERED_MAINTENANCE_MODE"),
    ("kConnected", "CONNECTED"),
    ("on", "ON"),
    ("off", "OFF"),
    ("read-only", "READ_ONLY"),
    ("stand alone", "STAND_ALONE"),
    ("  kNormal  ", "NORMAL"),
    ("kernel", "KERNEL"),  # a lowercase k followed by lowercase is a word, not the prefix
    ("Rf2", "RF2"),
    ("", None),
    ("  ", None),
    (None, None),
])
def test_enum(value, expected):
    assert enum(value) == expected


@pytest.mark.parametrize("value,expected", [
    (True, True), (False, False), ("true", True), ("True", True), (" yes ", True), ("1", True),
    ("false", False), ("NO", False), ("0", False), ("maybe", None), ("", None), (None, None),
    (1, True), (0, False),
])
def test_flag(value, expected):
    assert flag(value) is expected


@pytest.mark.parametrize("value,expected", [
    ({"ipv4": {"value": "1.2.3.4"}}, "1.2.3.4"),
    ({"ipv4": {"value": "1.2.3.4", "prefixLength": 32}}, "1.2.3.4"),
    ({"ipv6": {"value": "fe80::1"}}, "fe80::1"),
    ({"fqdn": {"value": "node-01.example.com"}}, "node-01.example.com"),
    ({"ipv4": {"value": "1.2.3.4"}, "ipv6": {"value": "fe80::1"}}, "1.2.3.4"),
    ({"ipv4": {"value": ""}, "ipv6": {"value": "fe80::1"}}, "fe80::1"),
    ({"ipv4": None}, None),
    ({}, None),
    ("10.0.0.1", "10.0.0.1"),
    ("", None),
    (None, None),
])
def test_ip(value, expected):
    assert ip(value) == expected


# --- Prism Element or Prism Central -------------------------------------------------------------

@pytest.mark.parametrize("doc,expected", [
    # Prism Element: an AOS version, the AOS cluster function
    ({"name": "PROD-A", "version": "6.8.1", "cluster_functions": ["NDFS"]}, "pe"),
    ({"name": "PROD-A", "version": "6.8.1"}, "pe"),
    ({"name": "PROD-A", "version": "6.8.1", "multicluster": True}, "pe"),
    ({"name": "PROD-A", "version": "el7.3-release-fraser-6.8.1-stable"}, "pe"),
    # Prism Central: pc versions, PRISM_CENTRAL / MULTICLUSTER functions
    ({"name": "PC", "version": "pc.2024.3"}, "pc"),
    ({"name": "PC", "version": "PC.2022.6"}, "pc"),
    ({"name": "PC", "version": "pc7.5"}, "pc"),
    ({"name": "PC", "version": "7.5", "cluster_functions": ["prism_central"]}, "pc"),
    ({"name": "PC", "version": "7.5", "cluster_functions": ["MULTICLUSTER"]}, "pc"),
    ({"name": "PC", "multicluster": True}, "pc"),
    ({"name": "PC", "version": None, "cluster_functions": None, "multicluster": True}, "pc"),
    # not a document at all: assume Prism Element (its own code then complains clearly)
    (None, "pe"),
    ([], "pe"),
    ("error", "pe"),
    ({}, "pe"),
])
def test_kind_of(doc, expected):
    assert detect.kind_of(doc) == expected


class _OneAnswer:
    def __init__(self, doc):
        self.doc = doc
        self.asked = []

    def get(self, path, params=None):
        self.asked.append(path)
        return self.doc


def test_detect_asks_the_v2_cluster_endpoint_once():
    doc = {"name": "PC", "version": "pc.2024.3"}
    client = _OneAnswer(doc)
    assert detect.detect(client) == ("pc", doc)
    assert client.asked == ["/api/nutanix/v2.0/cluster"]


@pytest.mark.parametrize("text,seconds", [
    ("2020-11-22T14:31:14.675609Z", 1606055474.675609),
    ("2020-11-22T14:31:14Z", 1606055474.0),
    ("2020-11-22T14:31:14.6Z", 1606055474.6),          # one fraction digit: not 3.9's isoformat
    ("2020-11-22T15:31:14.6756091+01:00", 1606055474.6756091),  # seven digits, an offset
    ("2020-11-22T14:31:14+0000", 1606055474.0),
    ("2020-11-22 14:31:14", 1606055474.0),              # no zone: UTC
])
def test_iso_seconds_reads_v4_time_stamps(text, seconds):
    assert iso_seconds(text) == pytest.approx(seconds, abs=1e-6)


@pytest.mark.parametrize("text", [None, "", "yesterday", "2020-13-45T99:99:99Z", 1606055474])
def test_iso_seconds_is_none_when_unreadable(text):
    assert iso_seconds(text) is None
