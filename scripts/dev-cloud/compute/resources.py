"""Cloud resources Tempest's compute/network tests need (run by compute-up.sh, find-or-create).

Flavors m1.nano / m1.micro, two active images (a tiny qcow2, $IMAGE_FILE), a shared project network
"private" with a subnet, and an external network "public" (API only: nothing routes anywhere, the flat
physical network is mapped to no device) for [network] public_network_id. Writes their ids as KEY=VALUE
lines to $OUT.
"""
import os

import openstack

env = os.environ
conn = openstack.connect(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                         project_name="admin", user_domain_id="default", project_domain_id="default",
                         region_name="RegionOne", identity_api_version="3")
flavors = {f.name: f for f in conn.compute.flavors(is_public=None)}
for name, ram, vcpus, disk in (("m1.nano", 128, 1, 1), ("m1.micro", 192, 1, 1)):
    if name not in flavors:
        flavors[name] = conn.compute.create_flavor(name=name, ram=ram, vcpus=vcpus, disk=disk, is_public=True)
images = {}
for name in ("cirros-fake", "cirros-fake-alt"):
    image = conn.image.find_image(name)
    if image is None or image.status != "active":
        if image is not None:
            conn.image.delete_image(image)
        image = conn.image.create_image(name=name, filename=env["IMAGE_FILE"], disk_format="qcow2",
                                        container_format="bare", visibility="public", wait=True)
    images[name] = image
private = conn.network.find_network("private")
if private is None:
    private = conn.network.create_network(name="private", shared=True)
if not list(conn.network.subnets(network_id=private.id)):
    conn.network.create_subnet(network_id=private.id, name="private-subnet", ip_version=4,
                               cidr="10.10.0.0/20", enable_dhcp=True)
public = conn.network.find_network("public")
if public is None:
    public = conn.network.create_network(name="public", is_router_external=True, provider_network_type="flat",
                                         provider_physical_network="public")
if not list(conn.network.subnets(network_id=public.id)):
    conn.network.create_subnet(network_id=public.id, name="public-subnet", ip_version=4, cidr="172.24.4.0/24",
                               gateway_ip="172.24.4.1", enable_dhcp=False)
with open(env["OUT"] + ".new", "w") as f:
    f.write("IMAGE_REF=%s\nIMAGE_REF_ALT=%s\nFLAVOR_REF=%s\nFLAVOR_REF_ALT=%s\nNETWORK_ID=%s\nPUBLIC_NETWORK_ID=%s\n"
            % (images["cirros-fake"].id, images["cirros-fake-alt"].id, flavors["m1.nano"].id,
               flavors["m1.micro"].id, private.id, public.id))
os.replace(env["OUT"] + ".new", env["OUT"])
print("flavors, images, networks ok")
