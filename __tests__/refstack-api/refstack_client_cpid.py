"""Debian's refstack-client's own CPID lookup, to compare the action's with.

argv: auth_version auth_url. Posts to auth_url as refstack-client does and prints the CPID it settles on
(the Keystone answer's, or the md5 of the host name).
"""

import logging
import sys
import types

from refstack_client.refstack_client import RefstackClient

client = object.__new__(RefstackClient)
client.args = types.SimpleNamespace(insecure=False)
client.logger = logging.getLogger("refstack-client")
print(client._get_cpid_from_keystone(sys.argv[1], sys.argv[2], {}))
