"""The CLAPI import-file validator (config/clapi.py)."""

import pytest

from nagios_nutanix.config.clapi import ClapiError, validate

KNOWN = dict(known_templates=("generic-active-host-custom", "generic-active-service-custom"))
GOOD = """\
# comment
CMD;ADD;CMD-Nutanix-Cvm;check;$CENTREONPLUGINS$/check_nutanix_cvm -H '$_HOSTNTNX_PRISM$'

HTPL;ADD;Virt-Nutanix-Node-Prism-custom;Nutanix node;;generic-active-host-custom;;
HTPL;SETMACRO;Virt-Nutanix-Node-Prism-custom;FILTERNAME;;0;the node
HTPL;SETMACRO;Virt-Nutanix-Node-Prism-custom;NTNX_PASSWORD;;1;Prism password
STPL;ADD;SVC-Nutanix-Cvm-custom;Nutanix-Cvm;generic-active-service-custom
STPL;SETPARAM;SVC-Nutanix-Cvm-custom;check_command;CMD-Nutanix-Cvm
STPL;SETMACRO;SVC-Nutanix-Cvm-custom;WARNING;80;warning range
STPL;SETMACRO;SVC-Nutanix-Cvm-custom;SECRET;x;a secret;1
STPL;ADDHOSTTEMPLATE;SVC-Nutanix-Cvm-custom;Virt-Nutanix-Node-Prism-custom
HG;ADD;HG-Cluster-PROD-A;Nutanix cluster PROD-A
HOST;ADD;PROD-A;cluster;10.0.0.1;;Central;HG-Cluster-PROD-A
HOST;ADD;node-01;node;10.0.0.11;Virt-Nutanix-Node-Prism-custom;Central;HG-Cluster-PROD-A
HOST;SETMACRO;node-01;FILTERNAME;node-01;0;the node
HOST;ADDPARENT;node-01;PROD-A
HOST;APPLYTPL;node-01
SERVICE;DEL;node-01;Nutanix-Cvm
"""


def test_a_good_file_counts_its_commands():
    assert validate(GOOD, **KNOWN) == 16


@pytest.mark.parametrize("line,words", [
    ("FOO;ADD;x", "unknown object/action FOO;ADD"),
    ("CMD;ADD;x;check", "CMD;ADD takes 3 parameters, not 2"),
    ("CMD;ADD;x;probe;/bin/true", "command type 'probe'"),
    ("CMD;ADD;x;check;", "empty command line"),
    ("HTPL;SETMACRO;Nope;M;v;0;d", "HTPL Nope is used before it is added"),
    ("HTPL;SETMACRO;Virt-Nutanix-Node-Prism-custom;lower;v;0;d", "is not upper-case"),
    ("HTPL;SETMACRO;Virt-Nutanix-Node-Prism-custom;M;v;yes;d", "is_password must be 0 or 1"),
    ("STPL;SETMACRO;SVC-Nutanix-Cvm-custom;M;v;d;2", "is_password must be 0 or 1"),
    ("STPL;SETPARAM;SVC-Nutanix-Cvm-custom;check_command;Nope", "command Nope is used"),
    ("HOST;ADD;h;a;1.2.3.4;Nope;Central;", "host template Nope is used before"),
    ("HOST;ADD;h;a;1.2.3.4;;Central;HG-Nope", "host group HG-Nope is used before"),
    ("HOST;ADD;h;a;1.2.3.4;;;", "host h names no poller"),
    ("HOST;ADD;node-01;a;1.2.3.4;;Central;", "HOST node-01 is defined twice"),
    ("HOST;SETMACRO;ghost;M;v;0;d", "HOST ghost is used before it is added"),
    ("SERVICE;DEL;ghost;Nutanix-Cvm", "HOST ghost is used before it is added"),
    ("HOST;ADDPARENT;node-01;ghost", "parent host ghost"),
    (" HOST;APPLYTPL;node-01", "leading or trailing white space"),
    ("HOST;APPLYTPL;node-01;extra", "HOST;APPLYTPL takes 1 parameters, not 2"),
    ("STPL;ADD;X;alias;Nope", "service template Nope is used before"),
    ("HOST;ADD;;a;1.2.3.4;;Central;", "empty or badly spaced name"),
])
def test_bad_lines_are_named(line, words):
    with pytest.raises(ClapiError) as caught:
        validate(GOOD + line + "\n", **KNOWN)
    assert words in str(caught.value)
    assert str(caught.value).startswith("line %d: " % (GOOD.count("\n") + 1))


def test_a_semicolon_in_a_value_shifts_the_fields_and_is_caught():
    with pytest.raises(ClapiError, match="HG;ADD takes 2 parameters, not 3"):
        validate("HG;ADD;HG-X;alias; with a semicolon\n")
