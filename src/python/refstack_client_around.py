"""Runs Debian's refstack-client with its Tempest workspace set to the first argument.

Debian's refstack-client fixes its workspace at /var/lib/tempest (its fix-tempest-path patch); an operator's
Tempest (openstack-ansible's /openstack/venvs/tempest-<tag>, workspace /root/workspace) has its own. The rest
of refstack-client is used as it is: `tempest run` and `stestr` are run by name, from PATH (set by the
wrapper that calls this). Usage: refstack_client_around.py WORKSPACE refstack-client-arguments...
"""
import sys

from refstack_client import refstack_client


def main():
    workspace = sys.argv[1]
    original_init = refstack_client.RefstackClient.__init__

    def init(self, args):
        original_init(self, args)
        self.tempest_dir = workspace

    refstack_client.RefstackClient.__init__ = init
    sys.argv = ["refstack-client"] + sys.argv[2:]
    refstack_client.entry_point()


if __name__ == "__main__":
    main()
