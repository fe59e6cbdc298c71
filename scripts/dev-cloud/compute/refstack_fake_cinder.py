"""cinder.tests.fake_driver.FakeLoggingVolumeDriver with sparse files as the volumes' data.

The fake logging driver never creates any data, so every path that reads or writes volume data
(create volume from image, upload volume to image) fails: local_path() points at a non-existent LVM
device (and a container has no device-mapper, so LVM is not an option). This subclass keeps the fake
driver (no LVM, no iSCSI; attach returns a fake iSCSI connection) but backs each volume with a sparse
file under $REFSTACK_FAKE_VOLUME_DIR, so Cinder's own image_utils/volume_utils code really copies
image <-> volume with qemu-img. Used via volume_driver = refstack_fake_cinder.FileBackedFakeDriver
(cinder-volume started with PYTHONPATH pointing here).
"""
import os
import subprocess

from cinder.tests import fake_driver

GiB = 1024 ** 3


def _copy(src, dst):
    subprocess.check_call(['cp', '--sparse=always', src, dst])


class FileBackedFakeDriver(fake_driver.FakeLoggingVolumeDriver):
    def _dir(self):
        d = os.environ.get('REFSTACK_FAKE_VOLUME_DIR', '/var/lib/cinder/fake-volumes')
        os.makedirs(d, exist_ok=True)
        return d

    def local_path(self, volume, vg=None):
        return os.path.join(self._dir(), volume['name'])

    def _make(self, volume, size_gb):
        with open(self.local_path(volume), 'ab') as f:
            f.truncate(int(size_gb) * GiB)

    def create_volume(self, volume):
        update = super().create_volume(volume)
        self._make(volume, volume['size'])
        return update

    def delete_volume(self, volume):
        try:
            os.unlink(self.local_path(volume))
        except FileNotFoundError:
            pass

    def create_snapshot(self, snapshot):
        src = self.local_path(snapshot.volume)
        if os.path.exists(src):
            _copy(src, self.local_path(snapshot))

    def delete_snapshot(self, snapshot):
        self.delete_volume(snapshot)

    def create_cloned_volume(self, volume, src_vref):
        src = self.local_path(src_vref)
        if os.path.exists(src):
            _copy(src, self.local_path(volume))
        self._make(volume, volume['size'])

    def create_volume_from_snapshot(self, volume, snapshot):
        src = self.local_path(snapshot)
        if os.path.exists(src):
            _copy(src, self.local_path(volume))
        self._make(volume, volume['size'])

    def extend_volume(self, volume, new_size):
        self._make(volume, new_size)
