"""nova.virt.fake.FakeDriver whose snapshot() really uploads image data to Glance.

Nova's FakeDriver.snapshot() only moves the task state to IMAGE_UPLOADING and never uploads anything, so
the snapshot image stays 'queued' forever and Tempest's create-image-from-server tests time out. This
subclass does what the libvirt driver does after taking the snapshot: it uploads bytes (a tiny qcow2,
path in $REFSTACK_FAKE_SNAPSHOT_FILE) with the snapshot metadata, and the image becomes 'active'.
Everything else is the unmodified FakeDriver. Used via compute_driver = refstack_fake_virt.SnapshotFakeDriver
(nova-compute started by nova_compute.py).
"""
import os

from nova.compute import task_states
from nova import exception
from nova.image import glance
from nova.virt import fake


class SnapshotFakeDriver(fake.FakeDriver):
    def snapshot(self, context, instance, image_id, update_task_state):
        if instance.uuid not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        image_api = glance.API()
        snapshot = image_api.get(context, image_id)
        metadata = {'status': 'active', 'name': snapshot['name'],
                    'disk_format': 'qcow2', 'container_format': 'bare',
                    'properties': {'image_location': 'snapshot', 'image_state': 'available',
                                   'owner_id': instance.project_id}}
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        with open(os.environ['REFSTACK_FAKE_SNAPSHOT_FILE'], 'rb') as f:
            image_api.update(context, image_id, metadata, f, purge_props=False)
