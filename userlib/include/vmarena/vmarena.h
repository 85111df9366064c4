/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvmarena: the native C API over /dev/vmarena.
 *
 * Functions returning int return 0 (or a non-negative result) on success and
 * -errno on failure, and also set errno.
 */
#ifndef VMARENA_VMARENA_H
#define VMARENA_VMARENA_H

#include <stdint.h>
#include <linux/vmarena.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMARENA_DEVICE_PATH "/dev/" VMARENA_DEVICE_NAME

/* Open /dev/vmarena: returns a control fd, or -errno. */
int vmarena_open(void);

/* The handshake: fills @ver (its size is set by the library). */
int vmarena_version(int ctl_fd, struct vmarena_version *ver);

#ifdef __cplusplus
}
#endif

#endif /* VMARENA_VMARENA_H */
