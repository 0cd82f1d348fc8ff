# Devices of the QEMU that runs in the L1 (bin/build-qemu, with
# --without-default-devices): the pseries machine and virtio, nothing else.
CONFIG_PSERIES=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_RNG=y
CONFIG_VIRTIO_SCSI=y
