"""The inventory file of nutanix-templates: what it accepts and how it refuses."""

import io
import os

import pytest
import yaml

from nagios_nutanix.config import catalog, discovery, inventory
from nagios_nutanix.config.hosts import build
from nagios_nutanix.plugin.errors import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AUTH = {"auth_file": "/etc/nagios-nutanix/prism.auth"}


def parse(clusters, **top):
    doc = {"clusters": clusters}
    doc.update(top)
    return inventory.parse(doc, "inv.yaml")


def test_the_shipped_example_parses():
    found = inventory.load(os.path.join(ROOT, "templates", "example-inventory.yaml"))
    assert [(c.name, c.kind, c.poller, c.discover) for c in found.clusters] == [
        ("PROD-A", "pe", "poller-dc1", True), ("PROD-B", "pc", "poller-dc2", True),
        ("DR-C", "pc", "poller-dr", False)]
    assert found.clusters[2].credentials["auth_file"] == "/etc/nagios-nutanix/dr.auth"
    assert found.clusters[0].snmp["version"] == "3"
    assert [n.name for n in found.clusters[2].nodes] == ["dr-node-01", "dr-node-02",
                                                         "dr-node-03"]


def test_defaults_and_format_settings():
    found = parse([{"name": "PROD-A", "prism": "10.0.0.1"}],
                  defaults={"credentials": AUTH, "port": 9441, "insecure": True},
                  nagios={"plugin_dir": "/opt/plugins"})
    cluster = found.clusters[0]
    assert (cluster.port, cluster.kind, cluster.extra_options, cluster.cluster_option) == (
        9441, "pe", "--insecure", "")
    assert found.setting("nagios", "plugin_dir") == "/opt/plugins"
    assert found.setting("nagios", "host_template") == "generic-host"



def test_the_default_runbook_is_the_uncompressed_copy_the_packages_install():
    found = parse([{"name": "PROD-A", "prism": "10.0.0.1", "credentials": AUTH}])
    # Not /usr/share/doc/...: Debian gzips documentation over 4 KB there.
    assert found.runbook_url == "file:///usr/share/nagios-nutanix/runbook.md"
    with open(os.path.join(ROOT, "templates", "example-inventory.yaml")) as handle:
        assert yaml.safe_load(handle)["runbook_url"] == found.runbook_url


def test_a_clusters_own_credentials_replace_the_default_ones():
    found = parse([{"name": "DR-B", "prism": "pc", "type": "pc",
                    "credentials": {"username": "mon", "password_macro": "DrPass"}}],
                  defaults={"credentials": AUTH})
    assert found.clusters[0].credentials == {"auth_file": "", "username": "mon",
                                             "password": "", "password_macro": "DrPass"}
    assert found.clusters[0].cluster_option == "DR-B"


@pytest.mark.parametrize("cluster,words", [
    ({"prism": "x", "credentials": AUTH}, "cluster 1: name is missing"),
    ({"name": "A", "credentials": AUTH}, "cluster A: prism is missing"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "type": "xx"}, "type must be pe or pc"),
    ({"name": "A", "prism": "x"}, "give auth_file (recommended) or username with password_macro"),
    ({"name": "A", "prism": "x", "credentials": {"password": "p"}}, "a password needs a username"),
    ({"name": "A", "prism": "x", "credentials": {"username": "u", "password": "p",
                                                  "password_macro": "M"}}, "not both"),
    ({"name": "A", "prism": "x", "credentials": {"username": "u", "password_macro": "$USER5$"}},
     "must be a plain name"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "colour": 1}, "unknown key colour"),
    ({"name": "A B", "prism": "x", "credentials": AUTH}, "'A B' is not usable as a monitoring "
                                                         "host name"),
    ({"name": "A", "prism": "x';rm", "credentials": AUTH}, "contains a quote"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "port": "https"}, "port must be a number"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "discover": True, "nodes": ["n1"]},
     "not both"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "snmp": {"version": 1}},
     "version must be 2c or 3"),
    ({"name": "A", "prism": "x", "credentials": AUTH, "nodes": [{"host_ip": "1.2.3.4"}]},
     "node 1: name is missing"),
])
def test_bad_clusters_are_named_with_their_key(cluster, words):
    with pytest.raises(inventory.InventoryError) as caught:
        parse([cluster])
    assert words in str(caught.value)


def test_host_names_must_be_unique_across_clusters():
    nodes = [{"name": "node-01"}]
    with pytest.raises(inventory.InventoryError) as caught:
        parse([{"name": "A", "prism": "x", "credentials": AUTH, "nodes": nodes},
               {"name": "B", "prism": "y", "credentials": AUTH, "nodes": nodes}])
    assert "host name node-01 is used by node node-01 of A and node node-01 of B; set " \
           "node_host_name: \"{cluster}-{node}\"" in str(caught.value)
    found = parse([{"name": "A", "prism": "x", "credentials": AUTH, "nodes": nodes},
                   {"name": "B", "prism": "y", "credentials": AUTH, "nodes": nodes,
                    "node_host_name": "{cluster}-{node}"}])
    assert found.clusters[1].node_host(found.clusters[1].nodes[0]) == "B-node-01"


def test_the_same_cluster_twice_is_refused():
    with pytest.raises(inventory.InventoryError) as caught:
        parse([{"name": "A", "prism": "x", "credentials": AUTH},
               {"name": "a", "prism": "X", "credentials": AUTH, "host_name": "A2"}])
    assert str(caught.value) == "inv.yaml: cluster a on X:9440 is listed twice"


def test_the_same_name_and_address_on_another_port_is_another_cluster():
    found = parse([{"name": "A", "prism": "x", "credentials": AUTH},
                   {"name": "A", "prism": "x", "port": 9441, "credentials": AUTH,
                    "host_name": "A-9441"}])
    assert [(c.host_name, c.port) for c in found.clusters] == [("A", 9440), ("A-9441", 9441)]


def test_load_names_a_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(inventory.InventoryError, match="cannot read inventory"):
        inventory.load(str(tmp_path / "nope.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("clusters: [\n")
    with pytest.raises(inventory.InventoryError, match="is not valid YAML"):
        inventory.load(str(bad))
    empty = tmp_path / "empty.yaml"
    empty.write_text("clusters: []\n")
    with pytest.raises(inventory.InventoryError, match="'clusters' must be a non-empty list"):
        inventory.load(str(empty))


def test_hosts_carry_their_node_and_only_the_checks_that_fit():
    found = parse([
        {"name": "PROD-A", "prism": "10.0.0.1", "credentials": AUTH, "exclude_checks": ["cvm"],
         "snmp": {"auth_file": "/s.auth"},
         "nodes": [{"name": "node-01", "host_ip": "10.0.0.11", "cvm_ip": "10.0.0.21"}]}])
    hosts = build(found, catalog.checks())
    cluster, node = hosts
    assert (cluster.role, node.role, node.address, node.value("FILTERNAME")) == (
        "cluster", "node", "10.0.0.11", "node-01")
    assert cluster.value("FILTERNAME") == ""
    assert node.value("NTNX_PRISM") == "10.0.0.1"
    assert all(c.scope == "node" for c in node.checks)
    assert "cvm" not in [c.name for c in node.checks]
    assert "cvm" in [c.name for c in node.candidates]
    if any(c.protocol == "snmp" and c.scope == "node" for c in catalog.checks()):
        assert node.value("NTNX_SNMP_ADDRESS") == "10.0.0.21"  # the node's own CVM
        assert node.value("NTNX_SNMP_AUTH_FILE") == "/s.auth"


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_discovery_fills_nodes_reports_failures_and_shows_progress_on_a_terminal():
    found = parse([{"name": "A", "prism": "x", "credentials": AUTH, "discover": True},
                   {"name": "B", "prism": "y", "credentials": AUTH, "discover": True},
                   {"name": "C", "prism": "z", "credentials": AUTH,
                    "nodes": [{"name": "c-1"}]}])

    def ask(cluster, **kwargs):
        if cluster.name == "B":
            raise PluginError("connection refused by y:9440")
        return [inventory.Node("a-1", host_ip="10.0.0.1"), inventory.Node("a-2")]

    terminal = FakeTTY()
    failures = discovery.discover(found, terminal, ask=ask)
    assert [str(f) for f in failures] == ["B (y): connection refused by y:9440"]
    assert [c.name for c in found.clusters] == ["A", "C"]
    assert [n.name for n in found.clusters[0].nodes] == ["a-1", "a-2"]
    assert "discovering 1/2: A" in terminal.getvalue()
    assert "discovering 2/2: B" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # the progress line is wiped

    plain = io.StringIO()
    found = parse([{"name": "A", "prism": "x", "credentials": AUTH, "discover": True}])
    assert discovery.discover(found, plain, ask=ask) == []
    assert plain.getvalue() == ""  # not a terminal: no progress


def test_discovery_names_the_credentials_it_lacks():
    found = parse([{"name": "DR", "prism": "pc", "type": "pc",
                    "credentials": {"username": "mon", "password_macro": "DrPass"}}])
    with pytest.raises(PluginError) as caught:
        discovery.discover_cluster(found.clusters[0], environ={})
    assert str(caught.value).startswith(
        "no credentials to ask Prism with: its password is a macro (DrPass) only the "
        "monitoring engine knows; give --discovery-auth-file")


def discovery_options(tmp_path, file_text, creds):
    auth = tmp_path / "discovery.auth"
    auth.write_text(file_text)
    auth.chmod(0o600)
    found = parse([{"name": "DR", "prism": "pc", "type": "pc", "credentials": creds}])
    return discovery._options(found.clusters[0], str(auth), 10, str(tmp_path), environ={})


def test_the_discovery_auth_file_gives_user_and_password_together(tmp_path):
    options = discovery_options(tmp_path, "username = admin\npassword = s3cret\n",
                                {"username": "monitoring", "password_macro": "DrPass"})
    assert (options.username, options.password) == ("admin", "s3cret")
    # A file with a password only: the inventory's username goes with it.
    options = discovery_options(tmp_path, "password = s3cret\n",
                                {"username": "monitoring", "password_macro": "DrPass"})
    assert (options.username, options.password) == ("monitoring", "s3cret")


def test_example_inventory_is_valid_yaml_with_comments_for_every_key():
    with open(os.path.join(ROOT, "templates", "example-inventory.yaml")) as handle:
        text = handle.read()
    doc = yaml.safe_load(text)
    assert set(doc) <= inventory.TOP_KEYS
    assert "discover: true" in text and "nodes:" in text and "password_macro" in text
