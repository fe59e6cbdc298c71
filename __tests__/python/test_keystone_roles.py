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
