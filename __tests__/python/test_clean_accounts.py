import configparser
import os
import subprocess
import sys

from clean_accounts import Cloud, is_tempest, release_stale_allocations
from conftest import program


def cloud_of(text):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(text)
    return Cloud(conf)


def test_reads_the_object_store_endpoint_tempest_uses():
    cloud = cloud_of(
        "[identity]\nuri_v3 = http://k:5000/v3/\nregion = RegionTwo\n"
        "[object-storage]\nendpoint_type = internalURL\n"
        "[auth]\ndefault_credentials_domain_name = Mine\n"
    )
    assert (cloud.auth_url, cloud.region, cloud.interface, cloud.domain) == (
        "http://k:5000/v3",
        "RegionTwo",
        "internal",
        "Mine",
    )


def test_tempest_defaults():
    cloud = cloud_of("[identity]\nuri_v3 = http://k:5000/v3\n")
    assert (cloud.region, cloud.interface, cloud.domain) == ("RegionOne", "public", "Default")


def test_releases_only_account_allocations(tmp_path):
    (tmp_path / "0123456789abcdef0123456789abcdef").write_text("AccountTest")
    (tmp_path / "fedcba9876543210fedcba9876543210").write_text("")
    (tmp_path / "test_accounts_io").write_text("")
    removed = release_stale_allocations(str(tmp_path))
    assert removed == [
        "stale allocation of a test account by AccountTest",
        "stale allocation of a test account by an interrupted run",
    ]
    assert os.listdir(str(tmp_path)) == ["test_accounts_io"]


def test_a_missing_lock_path_releases_nothing(tmp_path):
    assert release_stale_allocations(str(tmp_path / "absent")) == []


def test_an_unreachable_keystone_stops_with_its_url(tmp_path):
    conf = tmp_path / "tempest.conf"
    conf.write_text("[identity]\nuri_v3 = http://127.0.0.1:9/v3\n")
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text("- {username: demo, password: p, project_name: demo}\n")
    done = subprocess.run(
        [sys.executable, program("clean_accounts.py"), str(conf), str(accounts)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "cannot log in as demo: cannot reach http://127.0.0.1:9/v3/auth/tokens" in done.stderr


def test_recognises_a_tempest_run_as_stestr_starts_it():
    # The command lines of a real `tempest run` (ps -eo args during a run of Debian's Tempest).
    for line in (
        "/usr/bin/python3 -m stestr.subunit_runner.run discover -t ./ ./tempest/test_discover --load-list /tmp/tmpq",
        "python -m stestr.subunit_runner.run discover -t ./ ./tempest/test_discover",
        "/usr/bin/python3 /usr/bin/tempest run --serial --load-list /tmp/list",
        "/usr/bin/python3 /usr/bin/stestr --test-path ./tempest/test_discover run",
        "/usr/bin/python3 /usr/bin/subunit-trace --no-failure-debug -f",
        "python -m subunit.run discover -t ./ ./tempest/test_discover",
    ):
        assert is_tempest(line.split(" ")), line


def test_does_not_take_other_commands_for_tempest():
    for line in (
        "/usr/bin/python3 clean_accounts.py /var/lib/tempest/etc/tempest.conf /var/lib/tempest/etc/accounts.yaml",
        "vim /var/lib/tempest/etc/tempest.conf",
        "/usr/bin/python3 /usr/bin/refstack-client test -c /etc/tempest.conf --test-list /w/list.txt -v",
        "sh -c tail -f /var/log/tempest.log",
        "",
    ):
        assert not is_tempest(line.split(" ")), line
