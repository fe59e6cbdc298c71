"""Logs in as a user, as Tempest will, and prints the token's role names.

Input: JSON on standard input (never on a command line): url (Keystone v3), cacert, insecure, and either the
keys of keystone_login.password_request (one user: the openrc's) or ``accounts``, a Tempest accounts file's
entries, with ``default_domain_name`` ([auth] default_credentials_domain_name) for the ones without a domain.
Output: one JSON line. One user: {"roles": [...]} (exit 0), {"status": <HTTP status>, "error": ...} (exit 2) or
{"error": ...} (exit 3). Accounts: {"accounts": [{"username", "project", "roles"} or {"username", "project",
"status", "error"}, ...]} in the file's order (exit 0).
"""

import json
import sys

from keystone_login import DEFAULT_DOMAIN_NAME, LoginError, login, ssl_context


def account_roles(url, account, context, default_domain_name):
    """One account of an accounts file: its roles, or why Keystone gave no token."""
    credentials = dict(account, project_name=account.get("project_name") or account.get("tenant_name"))
    credentials["project_id"] = account.get("project_id") or account.get("tenant_id")
    # Tempest's accounts files name a domain for user and project alike with ``domain_name``.
    for key in ("user_domain_name", "project_domain_name"):
        credentials[key] = account.get(key) or account.get("domain_name")
    entry = {"username": account.get("username"), "project": credentials["project_name"] or credentials["project_id"]}
    try:
        _, token = login(url, credentials, context, default_domain_name=default_domain_name)
    except LoginError as error:
        return dict(entry, status=error.status, error=str(error)[:300])
    return dict(entry, roles=[role["name"] for role in token.get("roles", [])])


def main():
    request = json.load(sys.stdin)
    context = ssl_context(request.get("cacert"), request.get("insecure"))
    if "accounts" in request:
        domain = request.get("default_domain_name") or DEFAULT_DOMAIN_NAME
        found = [account_roles(request["url"], a, context, domain) for a in request["accounts"]]
        print(json.dumps({"accounts": found}))
        return 0
    try:
        _, token = login(request["url"], request, context)
    except LoginError as error:
        if error.status is not None:
            print(json.dumps({"status": error.status, "error": str(error)}))
            return 2
        print(json.dumps({"error": str(error)}))
        return 3
    print(json.dumps({"roles": [role["name"] for role in token.get("roles", [])]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
