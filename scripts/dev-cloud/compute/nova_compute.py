"""nova-compute with this directory's drivers importable: Nova 26 imports `compute_driver` strictly as
nova.virt.<name>, so nova.virt's package path is extended with this directory before Nova's own entry point
runs (refstack_fake_virt.SnapshotFakeDriver). Arguments are nova-compute's."""
import os
import sys

import nova.virt
from nova.cmd.compute import main

nova.virt.__path__.append(os.path.dirname(os.path.abspath(__file__)))
sys.exit(main())
