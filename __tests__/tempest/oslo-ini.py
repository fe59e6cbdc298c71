"""Prints tempest.conf (stdin) as oslo.config's own parser reads it: {section: {key: value}} as JSON.

The reference for src/refstack/tempest-conf.ts parseTempestConf (oslo_config.iniparser.BaseParser, the last
assignment of a key winning as for a single-valued option).
"""
import json
import sys

from oslo_config import iniparser


class Collect(iniparser.BaseParser):
    def __init__(self):
        self.sections = {}
        self.section = None

    def new_section(self, section):
        self.section = section
        self.sections.setdefault(section, {})

    def assignment(self, key, value):
        if self.section is None:
            raise self.parse_exc('No section', self.lineno, key)
        self.sections[self.section][key] = "\n".join(value)


parser = Collect()
parser.parse(sys.stdin.read().splitlines())
json.dump(parser.sections, sys.stdout)
