"""Prints the options of Tempest's tempest.conf that oslo.config marks secret, as JSON [[group, option], ...]."""
import json

from tempest import config

found = []
for group, options in config.list_opts():
    name = group if isinstance(group, str) else (group.name if group else "DEFAULT")
    found += [[name, option.name] for option in options if getattr(option, "secret", False)]
print(json.dumps(found))
