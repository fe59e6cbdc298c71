"""Shared set-up of the tests of src/python/: the programs import each other from their own directory, as
on the target, and the loopback cloud's Keystone is given by the vitest runner (python.test.ts) in
KEYSTONE_URL and ACCOUNTS_FILE when it runs."""

import os
import sys

import pytest
import yaml

PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "python")
sys.path.insert(0, PROGRAMS)


def program(name):
    return os.path.join(PROGRAMS, name)


@pytest.fixture
def cloud():
    """Keystone's v3 URL and the first test account of the loopback cloud (skipped without it, not under CI)."""
    url = os.environ.get("KEYSTONE_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("KEYSTONE_URL is not set: the loopback cloud must run under CI")
        pytest.skip("the loopback cloud does not run (no KEYSTONE_URL)")
    with open(os.environ["ACCOUNTS_FILE"]) as accounts:
        account = yaml.safe_load(accounts)[0]
    return url, account
