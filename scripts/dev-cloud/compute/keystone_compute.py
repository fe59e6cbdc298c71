"""Keystone side of the dev cloud's compute services (run by compute-up.sh, find-or-create).

* the service users nova, placement, glance, neutron, cinder (roles admin + service on project "service");
* the catalog entries of placement, image, network, compute, volumev3 and block-storage on 127.0.0.1;
* Tempest's pre-provisioned accounts for the platform program: PLATFORM_MEMBERS member accounts
  (tempest_compute1..N) and PLATFORM_RESELLERS ResellerAdmin accounts (tempest_compute_reseller1..M), each in
  its own project. Tempest's pre-provisioned credentials never wait for a free account, so a parallel run needs
  about two member accounts (primary + alt) and one ResellerAdmin account per worker.

Environment: KEYSTONE_URL, ADMIN_PASSWORD, TEMPEST_USERS_PASSWORD, <SERVICE>_PASSWORD, HOST, the *_PORT of
each service, PLATFORM_MEMBERS, PLATFORM_RESELLERS.
"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

env = os.environ
auth = v3.Password(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_id="default", project_domain_id="default")
ks = client.Client(session=session.Session(auth=auth), interface="public")

roles = {r.name: r for r in ks.roles.list()}
projects = {p.name: p for p in ks.projects.list(domain="default")}
users = {u.name: u for u in ks.users.list(domain="default")}
assignments = {(a.user["id"], a.scope["project"]["id"], a.role["id"])
               for a in ks.role_assignments.list() if hasattr(a, "user") and "project" in a.scope}
created = []


def project(name):
    if name not in projects:
        projects[name] = ks.projects.create(name, "default", description="refstack-action dev-cloud")
        created.append("project " + name)
    return projects[name]


def user(name, password, proj):
    # An existing user keeps its password: resetting it would revoke the tokens services hold.
    if name not in users:
        users[name] = ks.users.create(name, domain="default", password=password, default_project=proj)
        created.append("user " + name)
    return users[name]


def grant(role_name, u, p):
    r = roles[role_name]
    if (u.id, p.id, r.id) not in assignments:
        ks.roles.grant(r, user=u, project=p)
        assignments.add((u.id, p.id, r.id))


service_project = projects["service"]
for name in ("nova", "placement", "glance", "neutron", "cinder"):
    u = user(name, env[name.upper() + "_PASSWORD"], service_project)
    grant("admin", u, service_project)
    grant("service", u, service_project)

accounts = [("tempest_compute%d" % i, "member") for i in range(1, int(env["PLATFORM_MEMBERS"]) + 1)]
accounts += [("tempest_compute_reseller%d" % i, "ResellerAdmin")
             for i in range(1, int(env["PLATFORM_RESELLERS"]) + 1)]
for name, role_name in accounts:
    p = project(name)
    grant(role_name, user(name, env["TEMPEST_USERS_PASSWORD"], p), p)

h = env["HOST"]
catalog = [
    ("placement", "placement", "http://%s:%s" % (h, env["PLACEMENT_PORT"])),
    ("glance", "image", "http://%s:%s" % (h, env["GLANCE_PORT"])),
    ("neutron", "network", "http://%s:%s" % (h, env["NEUTRON_PORT"])),
    ("nova", "compute", "http://%s:%s/v2.1" % (h, env["NOVA_PORT"])),
    ("cinderv3", "volumev3", "http://%s:%s/v3/%%(project_id)s" % (h, env["CINDER_PORT"])),
    ("cinder", "block-storage", "http://%s:%s/v3/%%(project_id)s" % (h, env["CINDER_PORT"])),
]
for name, service_type, url in catalog:
    found = ks.services.list(type=service_type)
    s = found[0] if found else ks.services.create(name, type=service_type, description=name)
    endpoints = {e.interface: e for e in ks.endpoints.list(service=s, region="RegionOne")}
    for interface in ("public", "internal", "admin"):
        if interface not in endpoints:
            ks.endpoints.create(s, url, interface=interface, region="RegionOne")
            created.append("endpoint %s/%s" % (service_type, interface))
        elif endpoints[interface].url != url:
            ks.endpoints.update(endpoints[interface], url=url)
            created.append("endpoint %s/%s (url fixed)" % (service_type, interface))
print("keystone compute resources ok" + (" (created: %d)" % len(created) if created else ""))
