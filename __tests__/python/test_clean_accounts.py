import configparser
import os
import subprocess
import sys

from clean_accounts import (
    Cloud,
    account_keys,
    allocation_names,
    is_tempest,
    release_stale_allocations,
    uses_other_accounts,
)
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


def test_releases_only_the_allocations_named(tmp_path):
    (tmp_path / "0123456789abcdef0123456789abcdef").write_text("ours")
    (tmp_path / "fedcba9876543210fedcba9876543210").write_text("theirs")
    removed = release_stale_allocations(str(tmp_path), {"0123456789abcdef0123456789abcdef"})
    assert removed == ["stale allocation of a test account by ours"]
    assert os.listdir(str(tmp_path)) == ["fedcba9876543210fedcba9876543210"]


def test_allocation_names_are_tempests_own_hashes():
    from tempest.lib.common.preprov_creds import PreProvisionedCredentialProvider

    accounts = [
        {"username": "demo", "project_name": "demo", "password": "p", "roles": ["member"]},
        {"username": "alt", "project_name": "alt", "password": "q"},
    ]
    expected = set(PreProvisionedCredentialProvider.get_hash_dict([dict(a) for a in accounts], "admin")["creds"])
    assert allocation_names(accounts) == expected
    assert len(expected) == 2
    # The accounts are left as they were (Tempest's function pops their roles).
    assert accounts[0]["roles"] == ["member"]


OURS = account_keys([{"username": "demo", "project_name": "demo"}, {"username": "alt_demo", "tenant_name": "alt"}])


def files(**texts):
    """A reader of the given files (path -> text); any other path is missing."""

    def read(path):
        if path not in texts:
            raise FileNotFoundError(path)
        return texts[path]

    return read


ENV = {"TEMPEST_CONFIG_DIR": "/etc/t", "TEMPEST_CONFIG": "compute.conf"}


def test_a_tempest_on_other_accounts_does_not_use_ours():
    read = files(
        **{
            "/etc/t/compute.conf": "[auth]\ntest_accounts_file = /etc/t/compute.yaml\n",
            "/etc/t/compute.yaml": "- username: tempest_compute1\n  project_name: tempest_compute1\n",
        }
    )
    assert uses_other_accounts(ENV, read, OURS)


def test_a_tempest_sharing_one_account_may_use_ours():
    read = files(
        **{
            "/etc/t/compute.conf": "[auth]\ntest_accounts_file = /etc/t/compute.yaml\n",
            "/etc/t/compute.yaml": "- username: other\n  project_name: other\n- username: alt_demo\n  project_name: alt\n",
        }
    )
    assert not uses_other_accounts(ENV, read, OURS)


def test_dynamic_credentials_use_no_accounts_file():
    assert uses_other_accounts(ENV, files(**{"/etc/t/compute.conf": "[auth]\n"}), OURS)
    conf = "[auth]\nuse_dynamic_credentials = false\n"
    assert not uses_other_accounts(ENV, files(**{"/etc/t/compute.conf": conf}), OURS)


def test_what_cannot_be_told_may_use_ours():
    conf = {"/etc/t/compute.conf": "[auth]\ntest_accounts_file = /etc/t/compute.yaml\n"}
    assert not uses_other_accounts({}, files(**conf), OURS)  # no TEMPEST_CONFIG_DIR
    assert not uses_other_accounts({"TEMPEST_CONFIG_DIR": "etc"}, files(**conf), OURS)  # relative
    assert not uses_other_accounts(ENV, files(), OURS)  # conf unreadable
    assert not uses_other_accounts(ENV, files(**conf), OURS)  # accounts file unreadable
    broken = {**conf, "/etc/t/compute.yaml": "- [unbalanced"}
    assert not uses_other_accounts(ENV, files(**broken), OURS)
    relative = {"/etc/t/compute.conf": "[auth]\ntest_accounts_file = accounts.yaml\n"}
    assert not uses_other_accounts(ENV, files(**relative), OURS)
    assert not uses_other_accounts(ENV, files(**{"/etc/t/compute.conf": "no section\n"}), OURS)


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
