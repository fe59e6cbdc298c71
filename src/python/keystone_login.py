"""Keystone v3 password login, shared by the action's programs that run on the target.

Standard library only. The request is the Identity API v3 "password authentication with scoped
authorization" (POST /v3/auth/tokens). Domains follow keystoneauth1's v3.Password and the OS_* variables
openstacksdk reads (OS_USER_DOMAIN_ID / OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_ID / OS_PROJECT_DOMAIN_NAME):
an id takes precedence over a name, and a missing domain is the one named ``Default``, keystone's default
domain. A project id scopes without a domain.
"""

import json
import ssl
import urllib.error
import urllib.request

DEFAULT_DOMAIN_NAME = "Default"


class LoginError(Exception):
    """Keystone answered with an error status (``status``, the message is its body) or could not be reached
    (``status`` None)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def domain(domain_id=None, domain_name=None, default_name=DEFAULT_DOMAIN_NAME):
    """The ``domain`` object of a v3 request: by id when there is one, else by name (``default_name``)."""
    if domain_id:
        return {"id": domain_id}
    return {"name": domain_name or default_name}


def password_request(credentials, default_domain_name=DEFAULT_DOMAIN_NAME):
    """The body of the token request for ``credentials`` (a dict).

    Keys: username, password, user_domain_id, user_domain_name, project_id, project_name,
    project_domain_id, project_domain_name (the names of keystoneauth1's v3.Password arguments).
    """
    user = {
        "name": credentials["username"],
        "password": str(credentials["password"]),
        "domain": domain(
            credentials.get("user_domain_id"), credentials.get("user_domain_name"), default_domain_name
        ),
    }
    if credentials.get("project_id"):
        project = {"id": credentials["project_id"]}
    else:
        project = {
            "name": credentials.get("project_name"),
            "domain": domain(
                credentials.get("project_domain_id"),
                credentials.get("project_domain_name"),
                default_domain_name,
            ),
        }
    return {
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": user}},
            "scope": {"project": project},
        }
    }


def ssl_context(cacert=None, insecure=False):
    """TLS as the client would check it: the system's CAs or ``cacert``; none at all when ``insecure``."""
    if insecure:
        return ssl._create_unverified_context()
    return ssl.create_default_context(cafile=cacert or None)


def login(auth_url, credentials, context=None, timeout=60, default_domain_name=DEFAULT_DOMAIN_NAME):
    """Logs in at ``auth_url`` (Keystone's v3 URL); returns (token id, token body).

    Raises LoginError when Keystone refuses (with the HTTP status) or cannot be reached.
    """
    body = password_request(credentials, default_domain_name)
    url = auth_url.rstrip("/") + "/auth/tokens"
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, context=context or ssl_context(), timeout=timeout) as response:
            return response.headers["X-Subject-Token"], json.load(response)["token"]
    except urllib.error.HTTPError as error:
        raise LoginError(error.read(500).decode("utf-8", "replace"), error.code) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LoginError("cannot reach %s: %s" % (url, reason)) from None


def endpoint(token, service_type, interface="public", region=None):
    """The URL of ``service_type`` in the token's catalog (v3 interface, optional region), or None."""
    for service in token.get("catalog", []):
        if service.get("type") != service_type:
            continue
        for candidate in service.get("endpoints", []):
            where = candidate.get("region_id", candidate.get("region"))
            if candidate.get("interface") == interface and (region is None or where == region):
                return candidate["url"].rstrip("/")
    return None
