"""Pre-flight of a refstack-client run, on the target, with the Python that runs Tempest.

    python3 preflight.py TEMPEST_CONF TEST_LIST

Predicts, in seconds, which tests of TEST_LIST (refstack-client's list: one Tempest test id a line, with
optional [attrs]) will not pass, and why. It reads the same tempest.conf Tempest would, and asks the installed
Tempest itself rather than a table of known options:

- accounts: each account of [auth] test_accounts_file asks Keystone for a token (Identity API v3,
  POST /v3/auth/tokens); a refused one is named by user name, never by password;
- identity: [identity] uri_v3 (and uri) answer;
- catalog: the token's service catalog, against the catalog_type of each test's service;
- resources: [compute] image_ref, image_ref_alt (Image API v2 GET /v2/images/{id}) and flavor_ref,
  flavor_ref_alt (Compute API GET /flavors/{id}) exist;
- skips: each selected test's class is imported and its own gates run: the class's skip_checks(), the
  method's unittest skip decorators (testtools.skipIf/skipUnless), Tempest's wrapping decorators
  (decorators.skip_because, utils.requires_ext, ...) called around a stand-in for the test body, and the
  `if <condition>: raise self.skipException(...)` statements at the top of the test body, evaluated against
  CONF. The options each gate read are recorded, so each skip names the option that decides it;
- names: a selected name that the installed Tempest lacks is missing; when a test with the same idempotent
  id exists under another name (every installed test discovered as stestr does, through
  tempest.test_discover), it was moved.

Prints one JSON object on the last line of standard output. Standard library, PyYAML, Tempest and
keystone_login.py (next to this program) only.
"""

import ast
import importlib
import inspect
import json
import os
import re
import sys
import textwrap
import time
import types
import unittest
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed

STARTED = time.monotonic()
CONF_PATH = os.path.abspath(sys.argv[1])
LIST_PATH = sys.argv[2]

# Tempest reads the config named by these variables (tempest.config.TempestConfigProxy.set_config_path).
os.environ["TEMPEST_CONFIG_DIR"] = os.path.dirname(CONF_PATH)
os.environ["TEMPEST_CONFIG"] = os.path.basename(CONF_PATH)

import keystone_login  # noqa: E402  (next to this program)
import yaml  # noqa: E402  (a Tempest dependency)
from tempest import config  # noqa: E402

CONF = config.CONF
ID_ATTR = re.compile(r"\[(?:[^\]]*,)?id-([0-9a-f-]{36})")

# The conf group of each Tempest service package, whose catalog_type names the service in the catalog. The
# defaults are Tempest's (tempest/config.py) and its plugins' (designate-tempest-plugin, heat-tempest-plugin),
# used when the group is not registered (plugin not installed).
SERVICE_GROUPS = {
    "compute": ("compute", "compute"),
    "image": ("image", "image"),
    "network": ("network", "network"),
    "volume": ("volume", "volumev3"),
    "object_storage": ("object_storage", "object-store"),
    "identity": ("identity", "identity"),
    "dns": ("dns", "dns"),
    "orchestration": ("heat_plugin", "orchestration"),
}
PLUGIN_SERVICES = {"designate_tempest_plugin": "dns", "heat_tempest_plugin": "orchestration"}


def base_name(line):
    return line.split("[", 1)[0].strip()


def service_of(test_id):
    parts = test_id.split(".")
    if parts[0] in PLUGIN_SERVICES:
        return PLUGIN_SERVICES[parts[0]]
    if parts[:2] == ["tempest", "api"] and len(parts) > 2:
        return parts[2]
    return None


# --- recording which options a gate reads ----------------------------------------------------------------


# The (group, option, value) triples read from CONF while a gate runs, in order.
READS = []


class GroupRecorder(object):
    def __init__(self, group, name):
        object.__setattr__(self, "_group", group)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, option):
        value = getattr(self._group, option)
        READS.append((self._name, option, value))
        return value


class ConfRecorder(object):
    def __init__(self, real):
        object.__setattr__(self, "_real", real)

    def __getattr__(self, attr):
        value = getattr(self._real, attr)
        group = getattr(value, "_group", None)
        if group is not None and hasattr(group, "name"):
            return GroupRecorder(value, group.name)
        return value


def plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def option_reads(reads):
    """The options a gate read, last first (the last one read before a skip is the one that decided it)."""
    seen, out = set(), []
    for group, option, value in reversed(reads):
        if (group, option) in seen or "password" in option:
            continue
        seen.add((group, option))
        out.append({"group": group, "option": option, "value": plain(value)})
    return out


# --- HTTP -------------------------------------------------------------------------------------------------


def opt(group, name, default=None):
    try:
        value = getattr(getattr(CONF, group), name)
    except Exception:
        return default
    return default if value is None or value == "" else value


CTX = None


def call(method, url, token=None, body=None, timeout=20):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, context=CTX, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except (urllib.error.URLError, OSError) as e:
        return None, None, str(getattr(e, "reason", e))


def check_identity(out):
    for key in ("uri_v3", "uri"):
        uri = opt("identity", key)
        if not uri:
            continue
        status, _, data = call("GET", uri)
        ok = status is not None and status < 400
        out["identity"].append({"option": key, "uri": uri, "ok": ok,
                                "error": None if ok else ("HTTP %s" % status if status else data)})


def login(uri_v3, account, domain):
    """A project-scoped token of an account of the accounts file, as Tempest gets one: (token, catalog, error)."""
    credentials = {
        "username": account.get("username"),
        "password": account.get("password"),
        "project_id": account.get("project_id"),
        "project_name": account.get("project_name") or account.get("tenant_name"),
        "user_domain_name": account.get("user_domain_name"),
        "project_domain_name": account.get("project_domain_name"),
    }
    try:
        token, body = keystone_login.login(uri_v3, credentials, CTX, timeout=20, default_domain_name=domain)
    except keystone_login.LoginError as error:
        return None, None, error
    return token, body.get("catalog", []), None


def read_accounts(out):
    """The accounts of [auth] test_accounts_file, with the values their logins need (read before the gates
    start recording which options they read: logins run in threads meanwhile)."""
    uri_v3 = opt("identity", "uri_v3")
    accounts_file = opt("auth", "test_accounts_file")
    if not uri_v3 or not accounts_file:
        return None, [], None
    path = os.path.join(os.path.dirname(CONF_PATH), accounts_file)
    try:
        accounts = yaml.safe_load(open(path)) or []
    except (OSError, yaml.YAMLError) as e:
        out["errors"].append("cannot read [auth] test_accounts_file %s: %s" % (path, e))
        return None, [], None
    return uri_v3, accounts, opt("auth", "default_credentials_domain_name", "Default")


def account_result(account, error):
    """A login's outcome (error: its keystone_login.LoginError); a refusal is named by its HTTP status."""
    result = {"user": str(account.get("username")),
              "project": str(account.get("project_name") or account.get("tenant_name")),
              "ok": error is None, "error": None, "unreachable": False}
    if error is not None:
        result["error"] = "HTTP %s" % error.status if error.status else str(error)
        result["unreachable"] = error.status is None
    return result


def endpoint(catalog, service_type, group):
    region = opt(group, "region") or opt("identity", "region", "RegionOne")
    interface = (opt(group, "endpoint_type", "public") or "public").replace("URL", "")
    for svc in catalog:
        if svc.get("type") != service_type:
            continue
        for ep in svc.get("endpoints", []):
            if ep.get("interface") == interface and ep.get("region_id", ep.get("region")) in (region, None):
                return ep["url"].rstrip("/")
    return None


def check_resource(base, path, ref, token, option):
    status, _, data = call("GET", base + path % ref, token)
    ok = status == 200
    return {"group": "compute", "option": option, "value": ref, "ok": ok,
            "error": None if ok else ("HTTP %s" % status if status else data)}


def check_resources(out, token, catalog, pool):
    """Futures of the checks of the image and flavor references, in out["resources"]."""
    checks = [("image_ref", "image", "image", "/v2/images/%s"),
              ("image_ref_alt", "image", "image", "/v2/images/%s"),
              ("flavor_ref", "compute", "compute", "/flavors/%s"),
              ("flavor_ref_alt", "compute", "compute", "/flavors/%s")]
    for option, group, service, path in checks:
        ref = opt("compute", option)
        if not ref or not opt("service_available", "nova", False):
            continue
        base = endpoint(catalog, opt(group, "catalog_type", service), group) if catalog else None
        if base is None:
            continue  # the catalog finding says why
        out["resources"].append(pool.submit(check_resource, base, path, ref, token, option))


# --- the installed Tempest's tests and their gates --------------------------------------------------------


def resolve(test_id):
    """(class, method) of an installed test id, or an error string."""
    parts = test_id.split(".")
    for cut in range(len(parts) - 2, 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError as e:
            if isinstance(e, ModuleNotFoundError) and e.name and ".".join(parts[:cut]).startswith(e.name):
                continue
            return None, None, "cannot import %s: %s" % (".".join(parts[:cut]), e)
        module_name = module.__name__
        obj = module
        for attr in parts[cut:-1]:
            obj = getattr(obj, attr, None)
        class_name, method_name = ".".join(parts[cut:-1]), parts[-1]
        if not inspect.isclass(obj):
            return None, None, "no class %s in %s" % (class_name, module_name)
        method = getattr(obj, method_name, None)
        if method is None:
            return None, None, "no test %s in %s.%s" % (method_name, module_name, class_name)
        return obj, method, None
    return None, None, "no module of %s is installed" % test_id


def skip_exception_types():
    import testtools
    types_ = [unittest.SkipTest, testtools.TestCase.skipException]
    try:
        from tempest.lib import exceptions as lib_exc
        types_.append(getattr(lib_exc, "SkipException", unittest.SkipTest))
    except ImportError:
        pass
    return tuple(set(types_))


SKIP = None


def run_gate(fn):
    """Runs fn recording the options it reads; returns (skip reason or None, options read, error or None)."""
    del READS[:]
    try:
        fn()
    except SKIP as e:
        return str(e) or "skipped", option_reads(READS), None
    except Exception as e:  # a gate that needs more than the config: not predicted
        return None, [], "%s: %s" % (type(e).__name__, e)
    return None, option_reads(READS), None


def conf_chains(node):
    """CONF.<group>.<option> chains in an expression, in source order."""
    chains = []
    for sub in ast.walk(node):
        if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute)
                and isinstance(sub.value.value, ast.Name) and sub.value.value.id == "CONF"):
            chains.append((sub.value.attr, sub.attr))
    return chains


def decorator_gate(method):
    """A unittest skip decorator (testtools.skipIf/skipUnless) decided at import time."""
    func = getattr(method, "__func__", method)
    target = func
    while target is not None:
        if getattr(target, "__unittest_skip__", False):
            reason = getattr(target, "__unittest_skip_why__", "skipped")
            return reason, decorator_conf_reads(func)
        target = getattr(target, "__wrapped__", None)
    return None, []


def decorator_conf_reads(func):
    """The CONF options named in a function's decorators and their current values."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(func))))
    except (OSError, TypeError, SyntaxError):
        return []
    out = []
    for node in tree.body[0].decorator_list:
        for group_attr, option in conf_chains(node):
            try:
                group = getattr(CONF, group_attr)
                value = getattr(group, option)
            except Exception:
                continue
            out.append({"group": getattr(group, "_name", group_attr), "option": option, "value": plain(value)})
    return out


def wrapper_gates(method):
    """Tempest's wrapping decorators, each called around a stand-in body that does nothing."""
    func = getattr(method, "__func__", method)
    while getattr(func, "__wrapped__", None) is not None:
        inner = func.__wrapped__
        code, closure = func.__code__, func.__closure__ or ()
        cells = [types.CellType(lambda *a, **k: None) if c.cell_contents is inner else c
                 for c in closure]
        stand_in = types.FunctionType(code, func.__globals__, func.__name__, func.__defaults__, tuple(cells))
        reason, reads, _ = run_gate(lambda: stand_in(None))
        if reason:
            return reason, reads
        func = inner
    return None, []


def body_gates(method):
    """`if <condition>: raise self.skipException(...)` at the top level of the test body."""
    func = inspect.unwrap(getattr(method, "__func__", method))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return None, []
    module_globals = func.__globals__
    for stmt in tree.body[0].body:
        if not (isinstance(stmt, ast.If) and stmt.body and isinstance(stmt.body[0], ast.Raise)):
            continue
        raised = ast.unparse(stmt.body[0].exc) if stmt.body[0].exc is not None else ""
        if "skipException" not in raised and "SkipTest" not in raised:
            continue
        names = {n.id for n in ast.walk(stmt.test) if isinstance(n, ast.Name)}
        if names & {"self", "cls"}:
            continue  # depends on the running test: not predicted
        expression = compile(ast.Expression(stmt.test), "<gate>", "eval")
        scope = dict(module_globals)
        scope["CONF"] = CONF
        try:
            del READS[:]
            if eval(expression, scope):
                message = stmt.body[0].exc
                reason = "skipped"
                if isinstance(message, ast.Call) and message.args and isinstance(message.args[0], ast.Constant):
                    reason = str(message.args[0].value)
                return reason, option_reads(READS)
        except Exception:
            continue
    return None, []


def class_gate(cls, cache):
    if cls not in cache:
        cache[cls] = run_gate(cls.skip_checks) if hasattr(cls, "skip_checks") else (None, [], None)
    return cache[cls]


def installed_ids():
    """Every installed test (Tempest and its plugins), as stestr lists them: {idempotent id: [names]}."""
    from tempest.test_discover import test_discover
    suite = test_discover.load_tests(unittest.TestLoader(), unittest.TestSuite(), None)
    by_id, stack = {}, [suite]
    while stack:
        item = stack.pop()
        if isinstance(item, unittest.TestSuite):
            stack.extend(item)
            continue
        test_id = item.id()
        match = ID_ATTR.search(test_id)
        if match:
            by_id.setdefault(match.group(1), []).append(base_name(test_id))
    return by_id


def check_tests(out, lines, catalog):
    cache = {}
    missing = []
    catalog_types = set(out["catalog"] or [])
    for line in lines:
        name = base_name(line)
        match = ID_ATTR.search(line)
        entry = {"name": name}
        cls, method, error = resolve(name)
        if error:
            entry["missing"] = error
            entry["idempotentId"] = match.group(1) if match else None
            missing.append(entry)
        else:
            gates = [("skip_checks", class_gate(cls, cache)[:2]),
                     ("decorator", decorator_gate(method)),
                     ("decorator", wrapper_gates(method)),
                     ("test body", body_gates(method))]
            for where, (reason, reads) in gates:
                if reason:
                    entry["skip"] = {"reason": reason, "where": where, "options": reads[:3]}
                    break
        service = service_of(name)
        if service in SERVICE_GROUPS and catalog is not None:
            group, default_type = SERVICE_GROUPS[service]
            service_type = opt(group, "catalog_type", default_type)
            if service_type not in catalog_types:
                entry["service"] = {"service": service, "catalogType": service_type, "group": group}
        out["tests"].append(entry)
    if missing:
        try:
            by_id = installed_ids()
        except Exception as e:
            out["errors"].append("cannot list the installed tests: %s" % e)
            by_id = {}
        for entry in missing:
            names = by_id.get(entry.get("idempotentId") or "", [])
            if names:
                entry["movedTo"] = sorted(set(names))


def main():
    global CTX, SKIP
    out = {"tempest": None, "accounts": [], "identity": [], "catalog": None, "resources": [], "tests": [],
           "errors": []}
    try:
        import tempest
        out["tempest"] = getattr(tempest, "__version__", None)
        from tempest import version
        out["tempest"] = version.version_info.version_string()
    except Exception:
        pass
    lines = [line.strip() for line in open(LIST_PATH) if line.strip() and not line.startswith("#")]
    CTX = keystone_login.ssl_context(opt("identity", "ca_certificates_file"),
                                     opt("identity", "disable_ssl_certificate_validation", False))
    SKIP = skip_exception_types()
    timings = out["timings"] = {}
    mark = lambda name: timings.__setitem__(name, round(time.monotonic() - STARTED, 2))
    mark("start")
    check_identity(out)
    mark("identity")
    # The accounts log in on threads (a token each is the slowest part of the pre-flight); the first token
    # gives the catalog and checks the image and flavor references while the others finish. The phases'
    # times go into the output.
    uri_v3, accounts, domain = read_accounts(out)
    pool = ThreadPoolExecutor(max_workers=8)
    logins = [pool.submit(login, uri_v3, account, domain) for account in accounts]
    token, catalog = None, None
    for future in as_completed(logins):
        got, got_catalog, _ = future.result()
        if got:
            token, catalog = got, got_catalog
            out["catalog"] = sorted({svc.get("type") for svc in catalog})
            break
    mark("first account")
    if token:
        # Their own threads: the login queue would hold them back.
        check_resources(out, token, catalog, ThreadPoolExecutor(max_workers=4))
    mark("resources")
    # From here on, every option a gate reads is recorded.
    CONF.identity  # loads the config
    CONF._config = ConfRecorder(CONF._config)
    check_tests(out, lines, catalog)
    mark("tests")
    out["accounts"] = [account_result(account, future.result()[2]) for account, future in zip(accounts, logins)]
    out["resources"] = [future.result() for future in out["resources"]]
    pool.shutdown()
    mark("accounts")
    out["seconds"] = round(time.monotonic() - STARTED, 2)
    sys.stdout.write("\n" + json.dumps(out) + "\n")


main()
