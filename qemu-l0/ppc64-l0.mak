# Devices of QEMU as the L0 (bin/build-qemu --l0, with
# --without-default-devices): the pseries machine of the nested rows.
CONFIG_PSERIES=y
