"""Credentials: command line > auth file (mode 0600) > NUTANIX_USERNAME / NUTANIX_PASSWORD."""

import argparse
import os

import pytest

from nagios_nutanix.plugin.credentials import ENVIRONMENT, read_auth_file, resolve
from nagios_nutanix.plugin.errors import PluginError, UsageError


def auth_file(tmp_path, text, mode=0o600, name="nutanix.auth"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return str(path)


def options(username=None, password=None, auth_file=None):
    return argparse.Namespace(username=username, password=password, auth_file=auth_file)


# --- parsing ------------------------------------------------------------------------------------


def test_parses_key_value_lines_comments_and_blanks(tmp_path):
    path = auth_file(tmp_path, (
        "# Prism viewer account\n"
        "\n"
        "username = monitoring\n"
        "   password=  p@ss = word#1  \n"
        "  # indented comment\n"
    ))
    assert read_auth_file(path) == {"username": "monitoring", "password": "p@ss = word#1"}


def test_keys_are_case_and_dash_insensitive(tmp_path):
    path = auth_file(tmp_path, "UserName = a\nPASSWORD = b\nca-file = /etc/ca.pem\n")
    assert read_auth_file(path) == {"username": "a", "password": "b", "ca_file": "/etc/ca.pem"}


def test_windows_line_endings_and_utf8(tmp_path):
    path = auth_file(tmp_path, "username = m\u00fcller\r\npassword = p\u00e4ss\r\n")
    assert read_auth_file(path) == {"username": "m\u00fcller", "password": "p\u00e4ss"}


def test_a_line_without_equals_is_refused_with_its_number(tmp_path):
    path = auth_file(tmp_path, "username = a\njust a password\n")
    with pytest.raises(UsageError) as caught:
        read_auth_file(path)
    assert str(caught.value) == "auth file %s line 2: expected key = value" % path


def test_empty_file_gives_nothing(tmp_path):
    assert read_auth_file(auth_file(tmp_path, "")) == {}


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_owner_only_modes_are_accepted(tmp_path, mode):
    assert read_auth_file(auth_file(tmp_path, "password = x\n", mode)) == {"password": "x"}


@pytest.mark.parametrize("mode,shown", [
    (0o644, "0644"), (0o640, "0640"), (0o604, "0604"), (0o660, "0660"), (0o606, "0606"),
    (0o620, "0620"), (0o601, "0601"), (0o777, "0777"),
])
def test_group_or_other_access_is_refused_naming_chmod_600(tmp_path, mode, shown):
    path = auth_file(tmp_path, "password = x\n", mode)
    with pytest.raises(UsageError) as caught:
        read_auth_file(path)
    assert str(caught.value) == (
        "auth file %s is readable or writable by group/others (mode %s); refusing to use it: "
        "run chmod 600 %s" % (path, shown, path))


def test_refused_file_message_never_shows_the_secret(tmp_path):
    path = auth_file(tmp_path, "password = topsecret\n", 0o644)
    with pytest.raises(UsageError) as caught:
        read_auth_file(path)
    assert "topsecret" not in str(caught.value)


def test_missing_file(tmp_path):
    path = str(tmp_path / "nope.auth")
    with pytest.raises(UsageError) as caught:
        read_auth_file(path)
    assert str(caught.value) == "cannot read auth file %s: No such file or directory" % path
    assert isinstance(caught.value, PluginError)


def test_a_directory_is_not_an_auth_file(tmp_path):
    directory = tmp_path / "dir"
    directory.mkdir(mode=0o700)
    with pytest.raises(UsageError, match="is not a regular file"):
        read_auth_file(str(directory))


# --- precedence ---------------------------------------------------------------------------------

ENV = {"NUTANIX_USERNAME": "env-user", "NUTANIX_PASSWORD": "env-pass"}


def test_environment_variable_names():
    assert ENVIRONMENT == {"username": "NUTANIX_USERNAME", "password": "NUTANIX_PASSWORD"}


def test_command_line_wins_over_file_and_environment(tmp_path):
    path = auth_file(tmp_path, "username = file-user\npassword = file-pass\n")
    resolved = resolve(options("cli-user", "cli-pass", path), environ=ENV)
    assert (resolved.username, resolved.password) == ("cli-user", "cli-pass")


def test_auth_file_wins_over_environment(tmp_path):
    path = auth_file(tmp_path, "username = file-user\npassword = file-pass\n")
    resolved = resolve(options(auth_file=path), environ=ENV)
    assert (resolved.username, resolved.password) == ("file-user", "file-pass")


def test_environment_is_the_last_resort():
    resolved = resolve(options(), environ=ENV)
    assert (resolved.username, resolved.password) == ("env-user", "env-pass")


def test_sources_mix_per_field(tmp_path):
    # user on the command line, password from the file; file lacks username -> env not used
    path = auth_file(tmp_path, "password = file-pass\n")
    resolved = resolve(options(username="cli-user", auth_file=path), environ=ENV)
    assert (resolved.username, resolved.password) == ("cli-user", "file-pass")
    # the file gives only the password: the username comes from the environment
    resolved = resolve(options(auth_file=path), environ=ENV)
    assert (resolved.username, resolved.password) == ("env-user", "file-pass")


def test_nothing_anywhere_leaves_none():
    resolved = resolve(options(), environ={})
    assert (resolved.username, resolved.password) == (None, None)


def test_empty_values_fall_through():
    resolved = resolve(options(username="", password=""), environ={"NUTANIX_PASSWORD": "e"})
    assert (resolved.username, resolved.password) == (None, "e")


def test_a_bad_auth_file_fails_even_with_environment(tmp_path):
    path = auth_file(tmp_path, "password = x\n", 0o644)
    with pytest.raises(UsageError, match="chmod 600"):
        resolve(options(auth_file=path), environ=ENV)


def test_resolve_returns_the_same_namespace(tmp_path):
    given = options("u", "p")
    assert resolve(given, environ={}) is given
