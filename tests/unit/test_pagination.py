"""Walking Prism lists page by page: v2/v1 count/page, v3 length/offset, v4 $page/$limit."""

import pytest

from nagios_nutanix.plugin.errors import PluginError
from nagios_nutanix.prism import pagination
from nagios_nutanix.prism.pagination import v1_pages, v2_pages, v3_pages, v4_pages


class FakeClient:
    """Records every request; `answer(kind, path, query)` makes the canned reply."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def get(self, path, params=None):
        self.calls.append(("GET", path, dict(params or {})))
        return self.answer("GET", path, dict(params or {}))

    def post(self, path, body=None):
        self.calls.append(("POST", path, dict(body or {})))
        return self.answer("POST", path, dict(body or {}))


ITEMS = [{"name": "host-%02d" % i} for i in range(1, 8)]  # 7 entities


def v2_server(items, cap=None, total_key="total_entities", report_total=True):
    """count/page from 1; `cap` is the server's own page size limit."""
    def answer(method, path, query):
        size = min(query["count"], cap) if cap else query["count"]
        start = (query["page"] - 1) * size
        metadata = {"count": size, "page": query["page"]}
        if report_total:
            metadata[total_key] = len(items)
        return {"metadata": metadata, "entities": items[start:start + size]}
    return answer


# --- v2 / v1 ------------------------------------------------------------------------------------


def test_v2_one_page():
    client = FakeClient(v2_server(ITEMS))
    assert v2_pages(client, "/api/nutanix/v2.0/hosts") == ITEMS
    assert client.calls == [("GET", "/api/nutanix/v2.0/hosts", {"count": 500, "page": 1})]


def test_v2_several_pages_numbered_from_1():
    client = FakeClient(v2_server(ITEMS))
    assert v2_pages(client, "/hosts", page_size=3) == ITEMS
    assert [call[2] for call in client.calls] == [
        {"count": 3, "page": 1}, {"count": 3, "page": 2}, {"count": 3, "page": 3}]


def test_v2_stops_at_total_even_when_the_server_caps_the_page_size():
    # Asked for 500 per page, the server gives 2: the short pages are not the end.
    client = FakeClient(v2_server(ITEMS, cap=2))
    assert v2_pages(client, "/hosts") == ITEMS
    assert [call[2]["page"] for call in client.calls] == [1, 2, 3, 4]


def test_v2_total_reached_exactly_on_a_full_page_asks_no_more():
    items = ITEMS[:6]
    client = FakeClient(v2_server(items))
    assert v2_pages(client, "/hosts", page_size=3) == items
    assert len(client.calls) == 2


def test_v2_keeps_caller_params():
    client = FakeClient(v2_server(ITEMS))
    v2_pages(client, "/alerts", params={"resolved": "false", "count": 1}, page_size=10)
    assert client.calls[0][2] == {"resolved": "false", "count": 10, "page": 1}


def test_v2_without_total_stops_on_a_short_page():
    client = FakeClient(v2_server(ITEMS, report_total=False))
    assert v2_pages(client, "/hosts", page_size=3) == ITEMS
    assert len(client.calls) == 3


def test_v2_total_as_text():
    def answer(method, path, query):
        start = (query["page"] - 1) * query["count"]
        return {"metadata": {"total_entities": "7"},
                "entities": ITEMS[start:start + query["count"]]}
    assert v2_pages(FakeClient(answer), "/hosts", page_size=4) == ITEMS


def test_v1_camel_case_total():
    client = FakeClient(v2_server(ITEMS, cap=3, total_key="totalEntities"))
    assert v1_pages(client, "/PrismGateway/services/rest/v1/vms") == ITEMS
    assert [call[2] for call in client.calls] == [
        {"count": 500, "page": 1}, {"count": 500, "page": 2}, {"count": 500, "page": 3}]


def test_v1_ignores_a_snake_case_total():
    # v1 answers carry totalEntities; a snake_case total is not read (short page ends it).
    client = FakeClient(v2_server(ITEMS, cap=3, total_key="total_entities"))
    assert v1_pages(client, "/v1/vms") == ITEMS[:3]


@pytest.mark.parametrize("doc", [
    {"metadata": {"total_entities": 0}, "entities": []},
    {"metadata": {}, "entities": []},
    {"metadata": {"total_entities": 0}},
    {"entities": None},
    {},
])
def test_v2_empty_list(doc):
    client = FakeClient(lambda *args: doc)
    assert v2_pages(client, "/hosts") == []
    assert len(client.calls) == 1


def test_v2_empty_page_before_total_ends_the_walk():
    # A server that says 10 but has only 3: stop on the empty page rather than loop.
    def answer(method, path, query):
        return {"metadata": {"total_entities": 10},
                "entities": ITEMS[:3] if query["page"] == 1 else []}
    client = FakeClient(answer)
    assert v2_pages(client, "/hosts") == ITEMS[:3]
    assert len(client.calls) == 2


def test_v2_server_that_never_ends():
    # Always a full page, always "more to come".
    client = FakeClient(lambda method, path, query: {
        "metadata": {"total_entities": 10 ** 9}, "entities": [{"x": 1}] * query["count"]})
    with pytest.raises(PluginError) as caught:
        v2_pages(client, "/api/nutanix/v2.0/vms", page_size=2)
    assert str(caught.value) == "/api/nutanix/v2.0/vms did not end after %d pages" \
        % pagination.MAX_PAGES
    assert len(client.calls) == pagination.MAX_PAGES


def test_v2_server_that_ignores_page_and_gives_no_total():
    client = FakeClient(lambda method, path, query: {"entities": [{"x": 1}] * query["count"]})
    with pytest.raises(PluginError, match="did not end after"):
        v2_pages(client, "/hosts", page_size=5)


@pytest.mark.parametrize("doc,words", [
    (["not", "an", "object"], "expected an object with 'entities', got list"),
    ("<html>", "expected an object with 'entities', got str"),
    (None, "expected an object with 'entities', got NoneType"),
    ({"entities": {"a": 1}}, "'entities' is not a list"),
])
def test_unexpected_answers(doc, words):
    with pytest.raises(PluginError) as caught:
        v2_pages(FakeClient(lambda *args: doc), "/api/nutanix/v2.0/hosts")
    assert str(caught.value) == "unexpected answer for /api/nutanix/v2.0/hosts: " + words


# --- v3 -----------------------------------------------------------------------------------------


def v3_server(items, cap=None, report_total=True):
    def answer(method, path, body):
        size = min(body["length"], cap) if cap else body["length"]
        batch = items[body["offset"]:body["offset"] + size]
        metadata = {"kind": body["kind"], "length": len(batch), "offset": body["offset"]}
        if report_total:
            metadata["total_matches"] = len(items)
        return {"api_version": "3.1", "metadata": metadata, "entities": batch}
    return answer


def test_v3_offsets():
    client = FakeClient(v3_server(ITEMS))
    assert v3_pages(client, "/api/nutanix/v3/hosts/list", "host", page_size=3) == ITEMS
    assert client.calls == [
        ("POST", "/api/nutanix/v3/hosts/list", {"kind": "host", "length": 3, "offset": 0}),
        ("POST", "/api/nutanix/v3/hosts/list", {"kind": "host", "length": 3, "offset": 3}),
        ("POST", "/api/nutanix/v3/hosts/list", {"kind": "host", "length": 3, "offset": 6}),
    ]


def test_v3_offsets_follow_what_came_back_when_capped():
    client = FakeClient(v3_server(ITEMS, cap=2))
    assert v3_pages(client, "/v3/vms/list", "vm") == ITEMS
    assert [call[2]["offset"] for call in client.calls] == [0, 2, 4, 6]


def test_v3_keeps_the_body():
    client = FakeClient(v3_server(ITEMS))
    v3_pages(client, "/v3/vms/list", "vm", body={"filter": "power_state==on", "offset": 99})
    assert client.calls[0][2] == {"filter": "power_state==on", "kind": "vm", "length": 500,
                                  "offset": 0}


def test_v3_empty_list():
    client = FakeClient(v3_server([]))
    assert v3_pages(client, "/v3/clusters/list", "cluster") == []
    assert len(client.calls) == 1


def test_v3_server_that_never_ends():
    client = FakeClient(lambda method, path, body: {
        "metadata": {"total_matches": 10 ** 9}, "entities": [{}] * body["length"]})
    with pytest.raises(PluginError, match=r"^/v3/vms/list did not end after 1000 pages$"):
        v3_pages(client, "/v3/vms/list", "vm", page_size=1)


# --- v4 -----------------------------------------------------------------------------------------


def v4_server(items, cap=None, report_total=True):
    def answer(method, path, query):
        size = min(query["$limit"], cap) if cap else query["$limit"]
        start = query["$page"] * size
        doc = {"data": items[start:start + size], "$reserved": {}, "metadata": {
            "flags": [{"name": "hasError", "value": False}]}}
        if report_total:
            doc["metadata"]["totalAvailableResults"] = len(items)
        return doc
    return answer


def test_v4_page_from_0():
    client = FakeClient(v4_server(ITEMS))
    assert v4_pages(client, "/api/clustermgmt/v4.0/config/clusters", page_size=3) == ITEMS
    assert [call[2] for call in client.calls] == [
        {"$page": 0, "$limit": 3}, {"$page": 1, "$limit": 3}, {"$page": 2, "$limit": 3}]


def test_v4_default_limit_is_100():
    client = FakeClient(v4_server(ITEMS))
    assert v4_pages(client, "/api/clustermgmt/v4.0/config/clusters") == ITEMS
    assert client.calls == [("GET", "/api/clustermgmt/v4.0/config/clusters",
                             {"$page": 0, "$limit": 100})]


def test_v4_keeps_caller_params():
    client = FakeClient(v4_server(ITEMS))
    v4_pages(client, "/hosts", params={"$filter": "name eq 'a'", "$page": 9})
    assert client.calls[0][2] == {"$filter": "name eq 'a'", "$page": 0, "$limit": 100}


def test_v4_stops_at_total():
    items = ITEMS[:6]
    client = FakeClient(v4_server(items))
    assert v4_pages(client, "/hosts", page_size=3) == items
    assert len(client.calls) == 2


@pytest.mark.parametrize("doc", [
    {"data": [], "metadata": {"totalAvailableResults": 0}},
    {"metadata": {"totalAvailableResults": 0}},  # v4 omits `data` when there is nothing
    {"data": None},
])
def test_v4_empty_list(doc):
    client = FakeClient(lambda *args: doc)
    assert v4_pages(client, "/hosts") == []
    assert len(client.calls) == 1


def test_v4_server_that_never_ends():
    client = FakeClient(lambda method, path, query: {
        "data": [{}] * query["$limit"], "metadata": {"totalAvailableResults": 10 ** 9}})
    with pytest.raises(PluginError, match="did not end after 1000 pages"):
        v4_pages(client, "/hosts", page_size=1)
    assert len(client.calls) == 1000


def test_v4_unexpected_answer_names_data():
    with pytest.raises(PluginError, match="expected an object with 'data', got list"):
        v4_pages(FakeClient(lambda *args: []), "/hosts")
