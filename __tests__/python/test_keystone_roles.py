import json
import subprocess
import sys

from conftest import program


def roles(stdin):
    done = subprocess.run(
        [sys.executable, program("keystone_roles.py")], input=json.dumps(stdin), capture_output=True, text=True
    )
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def test_prints_the_roles_of_the_user_in_the_project(cloud):
    url, account = cloud
    code, answer = roles(dict(account, url=url))
    assert code == 0
    assert set(account["roles"]) <= set(answer["roles"])


def test_refused_credentials_are_the_http_status(cloud):
    url, account = cloud
    code, answer = roles(dict(account, url=url, password="not-the-password"))
    assert code == 2
    assert answer["status"] == 401


def test_an_unreachable_keystone_is_an_error_without_status():
    code, answer = roles({"url": "http://127.0.0.1:9/v3", "username": "u", "password": "p", "project_name": "p"})
    assert code == 3
    assert "status" not in answer
    assert "cannot reach http://127.0.0.1:9/v3/auth/tokens" in answer["error"]


def test_accounts_mode_gives_each_account_its_roles_or_why_not(cloud):
    import os

    import yaml

    url, _ = cloud
    with open(os.environ["ACCOUNTS_FILE"]) as f:
        accounts = yaml.safe_load(f)[:3]
    wrong = dict(accounts[0], password="not-the-password")
    code, answer = roles({"url": url, "accounts": accounts + [wrong], "default_domain_name": "Default"})
    assert code == 0
    found = answer["accounts"]
    assert [a["username"] for a in found] == [a["username"] for a in accounts + [wrong]]
    for account, entry in zip(accounts, found):
        assert entry["project"] == account["project_name"]
        assert set(account.get("roles", [])) <= set(entry["roles"])
        assert "admin" not in entry["roles"]
    assert found[-1]["status"] == 401
    assert "roles" not in found[-1]


def test_accounts_mode_reports_an_unreachable_keystone_per_account():
    code, answer = roles(
        {"url": "http://127.0.0.1:9/v3", "accounts": [{"username": "u", "password": "p", "tenant_name": "t"}]}
    )
    assert code == 0
    assert answer["accounts"][0]["project"] == "t"
    assert answer["accounts"][0]["status"] is None
    assert "cannot reach" in answer["accounts"][0]["error"]
