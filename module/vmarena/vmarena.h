/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmarena core's internal API, for the files in module/ and tests/kunit/: one
 * header per noun, gathered here.  The lock legend is in locking.h.
 */
#ifndef _VMARENA_VMARENA_H
#define _VMARENA_VMARENA_H

#include "locking.h"
#include "page.h"
#include "ptfrag.h"
#include "store.h"
#include "swap.h"
#include "cache.h"
#include "area.h"
#include "create.h"
#include "resize.h"
#include "arealock.h"
#include "wiring.h"
#include "superlock.h"
#include "aspace.h"
#include "fault.h"
#include "pageout.h"
#include "pagedaemon.h"
#include "stats.h"
#include "limits.h"
#include "lockrec.h"
#include "event.h"
#include "desc.h"

int vmarena_core_init(void);
void vmarena_core_uninit(void);

#endif /* _VMARENA_VMARENA_H */
