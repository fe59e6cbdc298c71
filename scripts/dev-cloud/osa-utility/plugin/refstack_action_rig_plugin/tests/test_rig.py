import sys

from tempest.lib import base
from tempest.lib import decorators


class RigPluginTest(base.BaseTestCase):
    @decorators.idempotent_id("6f0e7d63-2b51-4d4e-9a55-0f3c2e7a1c01")
    def test_runs_in_the_operators_venv(self):
        # sys.prefix is the venv's directory only when Tempest runs with the venv's Python.
        self.assertTrue(sys.prefix.startswith("/openstack/venvs/tempest-"), sys.prefix)
