"""Reads a tempest.conf as Tempest or as refstack-client does; prints what that reader takes from it as JSON.

Usage: conf-readers.py tempest|refstack-client CONF
- tempest: Tempest's own [auth] credential options (tempest.config.CONF, loaded from TEMPEST_CONFIG_DIR and
  TEMPEST_CONFIG, which refstack-client sets to the file it was given before it starts `tempest run`);
- refstack-client: the user of its CPID lookup (RefstackClient._get_keystone_config), password left out.
One reader per process: importing refstack_client registers Tempest's options a second time.
"""
import json
import logging
import os
import sys

reader, conf_path = sys.argv[1], os.path.abspath(sys.argv[2])
if reader == "tempest":
    os.environ["TEMPEST_CONFIG_DIR"] = os.path.dirname(conf_path)
    os.environ["TEMPEST_CONFIG"] = os.path.basename(conf_path)
    from tempest import config

    auth = config.CONF.auth
    names = ["use_dynamic_credentials", "test_accounts_file", "admin_username", "admin_project_name", "tempest_roles"]
    print(json.dumps({name: getattr(auth, name) for name in names}))
else:
    from refstack_client.refstack_client import RefstackClient
    from six import moves

    logging.basicConfig(stream=sys.stderr)
    client = object.__new__(RefstackClient)
    client.logger = logging.getLogger("refstack-client")
    client.conf = moves.configparser.ConfigParser()
    client.conf.read(conf_path)
    keystone = client._get_keystone_config(client.conf)
    keystone.pop("password")
    print(json.dumps(keystone))
