"""A Tempest plugin installed only in the rig's openstack-ansible Tempest venv: its one test passes only when it
runs under that venv's Python, so a run that reports it passed ran the operator's Tempest."""
import os

from tempest.test_discover import plugins


class RigPlugin(plugins.TempestPlugin):
    def load_tests(self):
        base_path = os.path.split(os.path.dirname(os.path.abspath(__file__)))[0]
        test_dir = "refstack_action_rig_plugin/tests"
        return os.path.join(base_path, test_dir), base_path

    def register_opts(self, conf):
        pass

    def get_opt_lists(self):
        return []
