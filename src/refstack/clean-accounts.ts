/**
 * clean-test-accounts: nightly runs reuse the same pre-provisioned accounts, and Tempest leaks state into
 * them (ObjectExpiryTest leaves its `tempest-*` container behind on every run; the next run then fails
 * AccountTest.test_list_no_containers). Before a run, remove what Tempest names as its own — Swift
 * containers whose names start with "tempest-" (Tempest's data_utils.rand_name prefix) — and nothing else.
 *
 * Runs on the target with the Python that runs Tempest, standard library + PyYAML (a Tempest dependency),
 * reading the same tempest.conf and accounts file; the script comes on stdin, passwords never on a command line.
 */
import { ActionError } from '../errors.js'
import { echoForeign } from '../log/foreign.js'
import type { Target } from '../target/target.js'

export const CLEAN_ACCOUNTS_PY = String.raw`
import configparser, json, ssl, sys, urllib.error, urllib.parse, urllib.request
import yaml

conf = configparser.ConfigParser(interpolation=None)
conf.read(sys.argv[1])
accounts = yaml.safe_load(open(sys.argv[2])) or []
get = lambda s, k, d=None: conf.get(s, k, fallback=d)
auth_url = get("identity", "uri_v3").rstrip("/")
region = get("object-storage", "region") or get("identity", "region", "RegionOne")
interface = (get("object-storage", "endpoint_type", "public") or "public").replace("URL", "")
domain = get("auth", "default_credentials_domain_name", "Default")
ctx = ssl.create_default_context(cafile=get("identity", "ca_certificates_file") or None)
if (get("identity", "disable_ssl_certificate_validation", "false") or "").lower() == "true":
    ctx = ssl._create_unverified_context()

def call(method, url, token=None, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except urllib.error.URLError as e:
        raise SystemExit("cannot reach %s: %s" % (url.split("?")[0], e.reason))

def login(acc):
    scope = {"project": {"name": acc.get("project_name") or acc.get("tenant_name"),
                         "domain": {"name": acc.get("project_domain_name", domain)}}}
    if acc.get("project_id"):
        scope = {"project": {"id": acc["project_id"]}}
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": acc["username"], "password": str(acc["password"]),
        "domain": {"name": acc.get("user_domain_name", domain)}}}}, "scope": scope}}
    status, headers, data = call("POST", auth_url + "/auth/tokens", body=body)
    if status != 201:
        raise SystemExit("cannot log in as %s: HTTP %s" % (acc["username"], status))
    for svc in json.loads(data)["token"].get("catalog", []):
        if svc["type"] == "object-store":
            for ep in svc["endpoints"]:
                if ep["interface"] == interface and ep.get("region_id", ep.get("region")) == region:
                    return headers["X-Subject-Token"], ep["url"].rstrip("/")
    return headers["X-Subject-Token"], None

removed = []

# Tempest allocates a pre-provisioned account by creating a file named by its hash in lock_path and removes it
# when done; a run that was killed leaves the allocation behind, and later runs (parallel ones first) then find
# "Insufficient number of users". Release those, unless a Tempest run is going on right now.
def tempest_running():
    import os
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open("/proc/%s/cmdline" % pid, "rb").read().split(b"\0")
        except OSError:
            continue
        words = [w.decode(errors="replace") for w in cmd]
        if any(w.endswith("stestr") or w.endswith("subunit-trace") for w in words[:2]) or "tempest.test_discover" in " ".join(words):
            return True
    return False

lock_path = sys.argv[3] if len(sys.argv) > 3 else ""
if lock_path and not tempest_running():
    import os, re
    for name in sorted(os.listdir(lock_path)) if os.path.isdir(lock_path) else []:
        path = os.path.join(lock_path, name)
        if re.fullmatch(r"[0-9a-f]{32}", name) and os.path.isfile(path):
            holder = open(path).read().strip()[:80]
            os.unlink(path)
            removed.append("stale allocation of a test account by %s" % (holder or "an interrupted run"))

for acc in accounts:
    token, swift = login(acc)
    if swift is None:
        continue
    status, _, data = call("GET", swift + "?format=json", token)
    if status == 204 or not data:
        continue
    for c in json.loads(data):
        name = c["name"]
        if not name.startswith("tempest-"):
            continue
        q = urllib.parse.quote(name, safe="")
        status, _, data = call("GET", swift + "/" + q + "?format=json", token)
        for o in (json.loads(data) if status == 200 and data else []):
            url = swift + "/" + q + "/" + urllib.parse.quote(o["name"], safe="")
            if call("DELETE", url, token)[0] == 404:
                # an expired object still listed: overwrite it, then delete it, to drop the listing row
                req = urllib.request.Request(url, method="PUT", data=b"")
                req.add_header("X-Auth-Token", token)
                urllib.request.urlopen(req, context=ctx, timeout=60).close()
                call("DELETE", url, token)
        status = call("DELETE", swift + "/" + q, token)[0]
        if status in (204, 404):
            removed.append("%s: container %s" % (acc["username"], name))
print(json.dumps(removed))
`

/**
 * Removes Tempest's leftovers from the accounts of tempest.conf; returns what it removed ("user: container x").
 * A failure is an error naming clean-test-accounts, since the run would then fail for reasons not the cloud's.
 */
export async function cleanTestAccounts(
  target: Target,
  python: string,
  tempestConf: string,
  accountsFile: string,
  lockPath?: string
): Promise<string[]> {
  const result = await target.exec(
    [python, '-', tempestConf, accountsFile, ...(lockPath ? [lockPath] : [])],
    {
      stdin: CLEAN_ACCOUNTS_PY
    }
  )
  const last = result.stdout.trim().split('\n').pop() ?? ''
  if (result.code !== 0 || !last.startsWith('[')) {
    throw new ActionError(
      `Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
      `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`
    )
  }
  const removed = JSON.parse(last) as string[]
  // The names come from the cloud: shown as text, never as workflow commands.
  echoForeign(
    removed.length === 0
      ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
      : `Removed what earlier Tempest runs left in the test accounts: ${removed.join('; ')}`
  )
  return removed
}
