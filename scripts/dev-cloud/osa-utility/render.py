"""Renders one of openstack-ansible's templates (tempest.conf.j2 of os_tempest, openrc.j2 of openstack_openrc)
with Debian's python3-jinja2, the way Ansible's template/config_template modules do for the rig's utility
container: the variables come as JSON on stdin ({"vars": {...}, "overrides": {section: {key: value}}}), the
Ansible filters the templates use are defined here, and "overrides" is applied to the rendered ini text as
os_tempest applies tempest_tempest_conf_overrides (config_template: set or add each option in its section).

Usage: /usr/bin/python3 render.py TEMPLATE < variables.json > rendered
"""
import json
import os
import sys

import jinja2


def to_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def ternary(value, true_value, false_value):
    return true_value if to_bool(value) else false_value


def apply_overrides(text, overrides):
    lines = text.split("\n")
    for section, options in overrides.items():
        for key, value in options.items():
            current = None
            last_in_section = None
            done = False
            for i, line in enumerate(lines):
                stripped = line.strip()
                if stripped.startswith("[") and stripped.endswith("]"):
                    current = stripped[1:-1]
                    if current == section:
                        last_in_section = i
                    continue
                if current == section:
                    if stripped and not stripped.startswith("#"):
                        last_in_section = i
                    if "=" in stripped and stripped.split("=", 1)[0].strip() == key:
                        lines[i] = "%s = %s" % (key, value)
                        done = True
                        break
            if done:
                continue
            if last_in_section is None:
                lines += ["", "[%s]" % section, "%s = %s" % (key, value)]
            else:
                lines.insert(last_in_section + 1, "%s = %s" % (key, value))
    return "\n".join(lines)


def main():
    template_path = sys.argv[1]
    data = json.load(sys.stdin)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.dirname(os.path.abspath(template_path))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["bool"] = to_bool
    env.filters["ternary"] = ternary
    env.filters["dirname"] = os.path.dirname
    env.filters["basename"] = os.path.basename
    rendered = env.get_template(os.path.basename(template_path)).render(**data["vars"])
    sys.stdout.write(apply_overrides(rendered, data.get("overrides", {})))


if __name__ == "__main__":
    main()
