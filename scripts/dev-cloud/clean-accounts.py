#!/usr/bin/python3
"""Empty the Swift accounts of the dev cloud's pre-provisioned Tempest users.

Run it before every refstack-client run (up.sh runs it too):

    /usr/bin/python3 clean-accounts.py [ACCOUNTS_YAML [KEYSTONE_URL]]

Both default to ACCOUNTS_FILE / KEYSTONE_URL of $DEV_CLOUD_DIR/env
(DEV_CLOUD_DIR defaults to /var/lib/refstack-dev-cloud). Must be /usr/bin/python3: the OpenStack
client libraries are Debian's.

Why: refstack-client needs pre-provisioned accounts, so every Tempest run re-uses the same Swift
accounts, and ObjectExpiryTest leaks its container on EVERY run: once its object has expired, the
object is still listed (no swift-object-expirer runs here), the tearDown's DELETE gets 404, and
Tempest's delete_containers() swallows that NotFound before deleting the container. The next run
then fails AccountTest.test_list_no_containers ("[b'tempest-TestContainer-…'] is not false")
whenever it gets that account. Interrupted runs also leave account metadata behind (quota,
temp-url keys, X-Account-Meta-*), which breaks test_list_no_account_metadata and the quota tests.

What: for every account in accounts.yaml
  * remove all account metadata (as the ResellerAdmin user if there is one: only a reseller admin
    may touch the quota);
  * for every container: stop legacy versioning (otherwise a DELETE restores the previous version),
    delete every object (an expired-but-listed object is overwritten with a 0-byte PUT and deleted
    again, which drops its listing row), then delete the container; up to 3 passes.
Exit status 1 if anything is left.
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import yaml
from keystoneauth1 import session
from keystoneauth1.identity import v3
from swiftclient import client as sc
from swiftclient.exceptions import ClientException

ALWAYS_REMOVE = {"quota-bytes", "temp-url-key", "temp-url-key-2"}


def env_file_values():
    path = os.path.join(os.environ.get("DEV_CLOUD_DIR", "/var/lib/refstack-dev-cloud"), "env")
    values = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep:
                    values[key] = value
    return values


def connect(auth_url, acc):
    auth = v3.Password(auth_url=auth_url, username=acc["username"], password=acc["password"],
                       project_name=acc["project_name"], user_domain_id="default",
                       project_domain_id="default")
    return sc.Connection(session=session.Session(auth=auth),
                         os_options={"region_name": "RegionOne"}, retries=1)


def ignore_404(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
        return True
    except ClientException as e:
        if e.http_status != 404:
            raise
        return False


def empty_container(conn, name):
    """Returns the number of objects deleted; raises nothing for 404 (already gone)."""
    if not ignore_404(conn.post_container, name, {"X-Remove-Versions-Location": "x",
                                                   "X-Remove-History-Location": "x"}):
        return 0
    try:
        _, objs = conn.get_container(name, full_listing=True)
    except ClientException as e:
        if e.http_status == 404:
            return 0
        raise
    for o in objs:
        if not ignore_404(conn.delete_object, name, o["name"]):
            # listed but expired/missing: overwrite, then delete, to drop the listing row
            conn.put_object(name, o["name"], contents=b"")
            ignore_404(conn.delete_object, name, o["name"])
    return len(objs)


def main():
    env = env_file_values()
    accounts_file = sys.argv[1] if len(sys.argv) > 1 else env.get("ACCOUNTS_FILE")
    auth_url = sys.argv[2] if len(sys.argv) > 2 else env.get("KEYSTONE_URL")
    if not accounts_file or not auth_url:
        sys.exit("usage: clean-accounts.py ACCOUNTS_YAML KEYSTONE_URL "
                 "(or run scripts/dev-cloud/up.sh first so that $DEV_CLOUD_DIR/env exists)")
    with open(accounts_file) as f:
        accounts = yaml.safe_load(f)

    reseller = next((a for a in accounts if "ResellerAdmin" in a.get("roles", [])), None)
    reseller_token = connect(auth_url, reseller).get_auth()[1] if reseller else None

    def clean(acc):
        """Returns (containers, objects, metadata items) removed and the containers left."""
        conn = connect(auth_url, acc)
        url, token = conn.get_auth()
        n_c = n_o = 0

        present = {h.lower()[len("x-account-meta-"):] for h in conn.head_account()
                   if h.lower().startswith("x-account-meta-")}
        # temp-url keys are hidden from some roles and the quota needs a reseller: always remove
        sc.post_account(url, reseller_token or token,
                        headers={"X-Remove-Account-Meta-" + m: "x" for m in present | ALWAYS_REMOVE})

        for _ in range(3):
            _, containers = conn.get_account(full_listing=True)
            if not containers:
                return n_c, n_o, len(present), []
            for c in containers:
                n_o += empty_container(conn, c["name"])
                try:
                    conn.delete_container(c["name"])
                    n_c += 1
                except ClientException as e:
                    if e.http_status not in (404, 409):  # 409: not empty yet, next pass
                        raise
        _, containers = conn.get_account(full_listing=True)
        return n_c, n_o, len(present), ["%s/%s" % (acc["username"], c["name"]) for c in containers]

    # One thread per account: the first request with a fresh token costs ~0.4 s (the proxy's
    # authtoken validates it against Keystone), so serially this took ~4 s.
    with ThreadPoolExecutor(max_workers=len(accounts)) as pool:
        results = list(pool.map(clean, accounts))
    total_c, total_o, total_m = (sum(r[i] for r in results) for i in range(3))
    leftovers = [name for r in results for name in r[3]]

    print("clean-accounts: removed %d containers, %d objects, %d metadata items in %d accounts"
          % (total_c, total_o, total_m, len(accounts)))
    if leftovers:
        sys.exit("clean-accounts: could not delete: %s" % ", ".join(leftovers))


if __name__ == "__main__":
    main()
