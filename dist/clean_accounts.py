"""Removes what earlier Tempest runs left in the pre-provisioned test accounts, and nothing else.

Usage: clean_accounts.py TEMPEST_CONF ACCOUNTS_FILE [LOCK_PATH]

Nightly runs reuse the same accounts, and Tempest leaks state into them (ObjectExpiryTest leaves its
``tempest-*`` container behind; the next run then fails AccountTest.test_list_no_containers). This removes the
Swift containers whose names start with "tempest-" (the prefix of Tempest's data_utils.rand_name), with their
objects, and the account allocations an interrupted run left in LOCK_PATH. It reads tempest.conf and the
accounts file as Tempest does (oslo.config ini, the YAML accounts file) and prints one JSON object:
{"removed": [what it removed], "problems": [listings Swift refused], "running": [Tempest processes that may use
these accounts], "elsewhere": [Tempest processes on other accounts]}. While a Tempest that may use these accounts
runs on this host (as stestr starts it: see is_tempest) it touches nothing. A Tempest whose tempest.conf (named by
the TEMPEST_CONFIG_DIR/TEMPEST_CONFIG refstack-client sets, read as that process sees its files) runs on other
accounts or on dynamic credentials does not stop it; of the allocation files only those of our accounts go then
(that run may share the lock path). It also removes the account quota Tempest's AccountQuotasTest sets in setUp and removes in tearDown
(20 or 25 bytes): a run killed between the two leaves an account that refuses every upload ("413 Upload exceeds
quota"). Only those values go, with a ResellerAdmin account of the file (only a reseller may change it); a quota
the operator set stays. Runs with the Python that runs Tempest: standard library and PyYAML (a Tempest dependency).
"""

import configparser
import copy
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


# How a Tempest run shows in the process table: stestr (`stestr run`, `python -m stestr ...`) and its workers
# (`python -m stestr.subunit_runner.run discover -t ./ ./tempest/test_discover`), `tempest run`, subunit-trace,
# and testr's workers (`python -m subunit.run discover -t ./ ./tempest/test_discover`).
TEMPEST_WORDS = ("stestr", "stestr.subunit_runner.run", "subunit.run", "subunit-trace")


def is_tempest(words):
    """Whether a command line (its words) is part of a Tempest run."""
    words = [w for w in words if w]
    if not words:
        return False
    names = [os.path.basename(w) for w in words[:3]]
    if any(n in TEMPEST_WORDS for n in names):
        return True
    if "-m" in words[:3]:
        module = words[words.index("-m") + 1] if words.index("-m") + 1 < len(words) else ""
        if module.split(".")[0] in ("stestr", "tempest") or module in ("subunit.run", "testtools.run"):
            return True
    if any(os.path.basename(w) == "tempest" for w in words[:2]) and "run" in words[1:3]:
        return True
    return any(w.endswith("tempest/test_discover") or "tempest.test_discover" in w for w in words)


def tempest_processes():
    """The Tempest processes running on this host right now, as (pid, "pid command")."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as cmdline:
                words = [w.decode(errors="replace") for w in cmdline.read().split(b"\0")]
        except OSError:
            continue
        if is_tempest(words):
            found.append((pid, "%s %s" % (pid, " ".join(w for w in words if w)[:120])))
    return found


def account_keys(accounts):
    """What tells the accounts of an accounts file apart: (username, project name)."""
    return {
        (a.get("username"), a.get("project_name") or a.get("tenant_name"))
        for a in accounts or []
        if isinstance(a, dict)
    }


def uses_other_accounts(environ, read, ours):
    """Whether a Tempest process with this environment certainly uses none of `ours` (account_keys).

    refstack-client names the tempest.conf in TEMPEST_CONFIG_DIR and TEMPEST_CONFIG; read(path) gives a file's
    text as that process sees it. Other accounts: its accounts file shares no account with ours, or it has none
    and runs on dynamic credentials (Tempest's default). False whenever that cannot be told.
    """
    conf_dir = environ.get("TEMPEST_CONFIG_DIR", "")
    if not os.path.isabs(conf_dir):
        return False
    try:
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_string(read(os.path.join(conf_dir, environ.get("TEMPEST_CONFIG") or "tempest.conf")))
        accounts_file = conf.get("auth", "test_accounts_file", fallback="").strip()
        if accounts_file == "":
            return conf.get("auth", "use_dynamic_credentials", fallback="true").strip().lower() == "true"
        if not os.path.isabs(accounts_file):
            return False
        theirs = account_keys(yaml.safe_load(read(accounts_file)))
    except (OSError, ValueError, configparser.Error, yaml.YAMLError):
        return False
    return bool(theirs) and not theirs & ours


def environ_of(pid):
    """The environment of process `pid` (empty when it cannot be read)."""
    try:
        with open("/proc/%s/environ" % pid, "rb") as environ:
            pairs = environ.read().split(b"\0")
    except OSError:
        return {}
    return dict(p.decode(errors="replace").split("=", 1) for p in pairs if b"=" in p)


def read_as(pid):
    """A reader of files as process `pid` sees them (through /proc/PID/root: a container sees its own files)."""

    def read(path):
        with open(os.path.join("/proc/%s/root" % pid, path.lstrip("/"))) as file:
            return file.read()

    return read


def tempest_on(ours):
    """(Tempest processes that may use `ours`, Tempest processes on other accounts), as "pid command" lines."""
    mine, elsewhere = [], []
    for pid, line in tempest_processes():
        (elsewhere if uses_other_accounts(environ_of(pid), read_as(pid), ours) else mine).append(line)
    return mine, elsewhere


def release_stale_allocations(lock_path, only=None):
    """Removes the allocations an interrupted run left (later runs would find "Insufficient number of users").

    only: the allocation names that may go (allocation_names of our accounts); None: every allocation file.
    """
    removed = []
    if not os.path.isdir(lock_path):
        return removed
    for name in sorted(os.listdir(lock_path)):
        path = os.path.join(lock_path, name)
        if only is not None and name not in only:
            continue
        if ALLOCATION.fullmatch(name) and os.path.isfile(path):
            with open(path) as allocation:
                holder = allocation.read().strip()[:80]
            os.unlink(path)
            removed.append("stale allocation of a test account by %s" % (holder or "an interrupted run"))
    return removed


def allocation_names(accounts):
    """The names Tempest gives the allocation files of these accounts (its own hash: PreProvisionedCredentialProvider).

    Empty when this Python has no Tempest: then no allocation file can be told as ours.
    """
    try:
        from tempest.lib.common.preprov_creds import PreProvisionedCredentialProvider
    except ImportError:
        return set()
    hashes = PreProvisionedCredentialProvider.get_hash_dict(copy.deepcopy(accounts), "admin")
    return set(hashes["creds"])


def json_listing(cloud, url, token):
    """(list, None) of a Swift JSON listing, or (None, why) when Swift did not answer one (HTML 403/5xx, ...)."""
    status, data, _ = cloud.call("GET", url + "?format=json", token)
    if status == 204 or (status == 200 and not data):
        return [], None
    if status == 200:
        try:
            listing = json.loads(data)
            if isinstance(listing, list):
                return listing, None
        except ValueError:
            pass
    return None, "HTTP %s, %s" % (status, "not a JSON listing" if status == 200 else data[:80].decode(errors="replace").strip())


def empty_tempest_containers(cloud, account, token, swift, problems):
    """Deletes the account's "tempest-" containers with their objects; returns what it removed.

    A listing Swift does not answer (an HTML error page) is added to problems and the container left alone.
    """
    listing, why = json_listing(cloud, swift, token)
    if listing is None:
        problems.append("%s: cannot list the containers (%s)" % (account["username"], why))
        return []
    removed = []
    for container in listing:
        name = container.get("name", "") if isinstance(container, dict) else ""
        if not name.startswith(TEMPEST_PREFIX):
            continue
        quoted = urllib.parse.quote(name, safe="")
        objects, why = json_listing(cloud, swift + "/" + quoted, token)
        if objects is None:
            problems.append("%s: cannot list container %s (%s)" % (account["username"], name, why))
            continue
        for item in objects:
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
    lock_path = argv[3] if len(argv) > 3 else ""
    # A Tempest running on this host that may use these accounts (its containers, its quota, its allocations):
    # then nothing is touched. One on other accounts may share the lock path: then only our accounts' allocations go.
    running, elsewhere = tempest_on(account_keys(accounts))
    if running:
        print(json.dumps({"removed": [], "problems": [], "running": running, "elsewhere": elsewhere}))
        return 0
    removed, problems = [], []
    if lock_path:
        removed += release_stale_allocations(lock_path, allocation_names(accounts) if elsewhere else None)
    cloud = Cloud(conf)
    resellers = [a for a in accounts if cloud.reseller_role in (a.get("roles") or [])]

    @functools.cache
    def reseller_token():
        return cloud.swift_of(resellers[0])[0] if resellers else None

    for account in accounts:
        token, swift = cloud.swift_of(account)
        if swift is None:
            continue
        removed += empty_tempest_containers(cloud, account, token, swift, problems)
        removed += remove_tempest_quota(cloud, account, token, swift, reseller_token)
    print(json.dumps({"removed": removed, "problems": problems, "running": [], "elsewhere": elsewhere}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
