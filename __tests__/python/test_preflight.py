"""preflight.py's Keystone part, run as on the target (a program next to keystone_login.py) with Debian's
Tempest: each account of [auth] test_accounts_file logs in through keystone_login, a refusal is its HTTP
status, an account that cannot reach Keystone is not called refused."""

import json
import socket
import subprocess
import sys

import yaml

from conftest import program

TEST = "tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def preflight(tmp_path, uri_v3, accounts):
    (tmp_path / "accounts.yaml").write_text(yaml.safe_dump(accounts))
    (tmp_path / "tempest.conf").write_text(
        "[auth]\ntest_accounts_file = accounts.yaml\ndefault_credentials_domain_name = Default\n"
        "[identity]\nuri_v3 = %s\n" % uri_v3
    )
    (tmp_path / "test-list.txt").write_text(TEST + "\n")
    done = subprocess.run(
        [sys.executable, program("preflight.py"), str(tmp_path / "tempest.conf"), str(tmp_path / "test-list.txt")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_account_that_cannot_reach_keystone_is_unreachable_not_refused(tmp_path):
    uri = "http://127.0.0.1:%d/v3" % closed_port()
    out = preflight(tmp_path, uri, [{"username": "u1", "tenant_name": "p1", "password": "pw"}])
    [account] = out["accounts"]
    assert account["user"] == "u1" and account["project"] == "p1"
    assert account["ok"] is False and account["unreachable"] is True
    assert account["error"].startswith("cannot reach %s/auth/tokens" % uri)
    assert out["catalog"] is None
    assert [test["name"] for test in out["tests"]] == [TEST]


def test_accounts_log_in_and_a_refusal_is_the_http_status(tmp_path, cloud):
    url, account = cloud
    fields = ("username", "password", "project_name", "user_domain_name", "project_domain_name")
    good = {key: account[key] for key in fields if key in account}
    # Tempest's older spelling of the project, and a user Keystone does not know (a wrong password of the same
    # user would race the good login on the loopback Keystone's SQLite: both write the user's row).
    by_tenant = dict(good, tenant_name=good.pop("project_name"))
    refused = dict(good, username="no-such-user", project_name=account["project_name"])
    out = preflight(tmp_path, url, [by_tenant, refused])
    assert out["accounts"] == [
        {
            "user": account["username"],
            "project": account["project_name"],
            "ok": True,
            "error": None,
            "unreachable": False,
        },
        {
            "user": "no-such-user",
            "project": account["project_name"],
            "ok": False,
            "error": "HTTP 401",
            "unreachable": False,
        },
    ]
    assert "identity" in out["catalog"]

