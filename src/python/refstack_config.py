"""Runs ``refstack-client`` (its arguments are this program's) with the OS_* variables read from standard
input as JSON, so that no credential is on a command line.

The umask is private: python-tempestconf's debug log records the password. A traceback goes to standard
error, which Tempest's logging would otherwise send only to its log file.
"""

import json
import os
import sys
import traceback


def main():
    os.umask(0o077)
    variables = json.load(sys.stdin)
    for name in [name for name in os.environ if name.startswith("OS_")]:
        del os.environ[name]
    os.environ.update(variables)
    sys.argv = ["refstack-client"] + sys.argv[1:]
    try:
        from refstack_client.refstack_client import entry_point
    except ImportError as error:
        print("refstack_client is not importable by %s: %s" % (sys.executable, error), file=sys.stderr)
        return 3
    try:
        return entry_point()
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
