"""Removes what earlier Tempest runs left in the pre-provisioned test accounts, and nothing else.

Usage: clean_accounts.py TEMPEST_CONF ACCOUNTS_FILE [LOCK_PATH]

Nightly runs reuse the same accounts, and Tempest leaks state into them (ObjectExpiryTest leaves its
``tempest-*`` container behind; the next run then fails AccountTest.test_list_no_containers). This removes the
Swift containers whose names start with "tempest-" (the prefix of Tempest's data_utils.rand_name), with their
objects, and the account allocations an interrupted run left in LOCK_PATH. It reads tempest.conf and the
accounts file as Tempest does (oslo.config ini, the YAML accounts file) and prints what it removed as one
JSON list. It also removes the account quota Tempest's AccountQuotasTest sets in setUp and removes in tearDown
(20 or 25 bytes): a run killed between the two leaves an account that refuses every upload ("413 Upload exceeds
quota"). Only those values go, with a ResellerAdmin account of the file (only a reseller may change it); a quota
the operator set stays. Runs with the Python that runs Tempest: standard library and PyYAML (a Tempest dependency).
"""

import configparser
import functools
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import yaml

from keystone_login import DEFAULT_DOMAIN_NAME, LoginError, endpoint, login, ssl_context

TEMPEST_PREFIX = "tempest-"
# Tempest's pre-provisioned credentials provider allocates an account by creating a file named by the md5
# hex digest of the account in lock_path, and removes it when done.
ALLOCATION = re.compile(r"[0-9a-f]{32}")
# The quotas tempest/api/object_storage/test_account_quotas.py sets on its account (X-Account-Meta-Quota-Bytes).
TEMPEST_QUOTAS = ("20", "25")


class Cloud:
    """tempest.conf's view of the cloud: Keystone, the object-store endpoint it selects, TLS."""

    def __init__(self, conf):
        def get(section, key, default=None):
            return conf.get(section, key, fallback=default)

        self.auth_url = get("identity", "uri_v3").rstrip("/")
        self.region = get("object-storage", "region") or get("identity", "region", "RegionOne")
        self.interface = (get("object-storage", "endpoint_type", "public") or "public").replace("URL", "")
        self.domain = get("auth", "default_credentials_domain_name", DEFAULT_DOMAIN_NAME)
        insecure = (get("identity", "disable_ssl_certificate_validation", "false") or "").lower() == "true"
        self.context = ssl_context(get("identity", "ca_certificates_file"), insecure)
        self.reseller_role = get("object-storage", "reseller_admin_role", "ResellerAdmin")

    def call(self, method, url, token=None, body=None, headers=None):
        """(status, body, response headers) of one request."""
        request = urllib.request.Request(url, method=method, data=body, headers=headers or {})
        if token:
            request.add_header("X-Auth-Token", token)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers
        except urllib.error.URLError as error:
            raise SystemExit("cannot reach %s: %s" % (url.split("?")[0], error.reason))

    def swift_of(self, account):
        """(token, object-store URL or None) for one entry of the accounts file."""
        # Tempest's accounts file: project_name or tenant_name; domain_name for both user and project.
        credentials = dict(account)
        credentials["project_name"] = account.get("project_name") or account.get("tenant_name")
        for key in ("user_domain_name", "project_domain_name"):
            credentials[key] = account.get(key) or account.get("domain_name")
        try:
            token, body = login(self.auth_url, credentials, self.context, default_domain_name=self.domain)
        except LoginError as error:
            raise SystemExit("cannot log in as %s: %s" % (account["username"], error.status or error))
        return token, endpoint(body, "object-store", self.interface, self.region)


def tempest_running():
    """Whether a Tempest run (stestr, subunit-trace or tempest's test discovery) is going on right now."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as cmdline:
                words = [w.decode(errors="replace") for w in cmdline.read().split(b"\0")]
        except OSError:
            continue
        if any(w.endswith("stestr") or w.endswith("subunit-trace") for w in words[:2]):
            return True
        if "tempest.test_discover" in " ".join(words):
            return True
    return False


def release_stale_allocations(lock_path):
    """Removes the allocations an interrupted run left (later runs would find "Insufficient number of users")."""
    removed = []
    if not os.path.isdir(lock_path):
        return removed
    for name in sorted(os.listdir(lock_path)):
        path = os.path.join(lock_path, name)
        if ALLOCATION.fullmatch(name) and os.path.isfile(path):
            with open(path) as allocation:
                holder = allocation.read().strip()[:80]
            os.unlink(path)
            removed.append("stale allocation of a test account by %s" % (holder or "an interrupted run"))
    return removed


def empty_tempest_containers(cloud, account, token, swift):
    """Deletes the account's "tempest-" containers with their objects; returns what it removed."""
    status, data, _ = cloud.call("GET", swift + "?format=json", token)
    if status == 204 or not data:
        return []
    removed = []
    for container in json.loads(data):
        name = container["name"]
        if not name.startswith(TEMPEST_PREFIX):
            continue
        quoted = urllib.parse.quote(name, safe="")
        status, data, _ = cloud.call("GET", swift + "/" + quoted + "?format=json", token)
        for item in json.loads(data) if status == 200 and data else []:
            url = swift + "/" + quoted + "/" + urllib.parse.quote(item["name"], safe="")
            if cloud.call("DELETE", url, token)[0] == 404:
                # An expired object still listed: overwrite it, then delete it, to drop the listing row.
                cloud.call("PUT", url, token, b"")
                cloud.call("DELETE", url, token)
        if cloud.call("DELETE", swift + "/" + quoted, token)[0] in (204, 404):
            removed.append("%s: container %s" % (account["username"], name))
    return removed


def remove_tempest_quota(cloud, account, token, swift, reseller_token):
    """Removes the account quota AccountQuotasTest left (see TEMPEST_QUOTAS); returns what it removed.

    reseller_token() logs in as a ResellerAdmin account of the file (None without one), only when needed.
    """
    quota = cloud.call("HEAD", swift, token)[2].get("X-Account-Meta-Quota-Bytes")
    if quota not in TEMPEST_QUOTAS:
        return []
    reseller = reseller_token()
    if reseller is None:
        return []
    headers = {"X-Remove-Account-Meta-Quota-Bytes": "x"}
    if cloud.call("POST", swift, reseller, headers=headers)[0] not in (200, 204):
        return []
    return ["%s: account quota of %s bytes" % (account["username"], quota)]


def main(argv):
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(argv[1])
    with open(argv[2]) as accounts_file:
        accounts = yaml.safe_load(accounts_file) or []
    removed = []
    lock_path = argv[3] if len(argv) > 3 else ""
    if lock_path and not tempest_running():
        removed += release_stale_allocations(lock_path)
    cloud = Cloud(conf)
    resellers = [a for a in accounts if cloud.reseller_role in (a.get("roles") or [])]

    @functools.cache
    def reseller_token():
        return cloud.swift_of(resellers[0])[0] if resellers else None

    for account in accounts:
        token, swift = cloud.swift_of(account)
        if swift is None:
            continue
        removed += empty_tempest_containers(cloud, account, token, swift)
        removed += remove_tempest_quota(cloud, account, token, swift, reseller_token)
    print(json.dumps(removed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
