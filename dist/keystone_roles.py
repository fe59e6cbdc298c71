"""Logs in as the openrc's user, as Tempest will, and prints the token's role names.

Input: JSON on standard input (never on a command line): url (Keystone v3), the keys of
keystone_login.password_request, cacert, insecure. Output: one JSON line, {"roles": [...]} (exit 0),
{"status": <HTTP status>, "error": ...} (exit 2) or {"error": ...} (exit 3).
"""

import json
import sys

from keystone_login import LoginError, login, ssl_context


def main():
    credentials = json.load(sys.stdin)
    context = ssl_context(credentials.get("cacert"), credentials.get("insecure"))
    try:
        _, token = login(credentials["url"], credentials, context)
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
