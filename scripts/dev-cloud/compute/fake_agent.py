"""Reports an alive 'OFA driver agent' to neutron-server over the agent RPC, as a real L2 agent does, so
that ML2's fake_agent mechanism driver (shipped in python3-neutron) binds ports on the compute host and
servers go ACTIVE. There is no data plane. Started by compute-up.sh with neutron.conf + a [fake_agent]
agent_host file."""
import sys
import time

from neutron.agent import rpc as agent_rpc
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config
from neutron_lib import constants, context
from neutron_lib.agent import topics
from oslo_config import cfg

cfg.CONF.register_opts([cfg.StrOpt("agent_host")], "fake_agent")
agent_config.register_agent_state_opts_helper(cfg.CONF)
common_config.register_common_config_options()
common_config.init(sys.argv[1:])
common_config.setup_logging()
state = {"binary": "neutron-fake-agent", "host": cfg.CONF.fake_agent.agent_host, "topic": "N/A",
         "agent_type": constants.AGENT_TYPE_OFA,
         "configurations": {"interface_mappings": {}, "tunnel_types": []}, "start_flag": True}
api = agent_rpc.PluginReportStateAPI(topics.REPORTS)
ctx = context.get_admin_context_without_session()
while True:
    try:
        api.report_state(ctx, state, use_call=True)
        state.pop("start_flag", None)
    except Exception as e:  # neutron-server not answering yet
        print("report_state failed: %s" % e, flush=True)
    time.sleep(20)
