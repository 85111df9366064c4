/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmarena's tracepoints: what each fault found and did, what each area
 * operation changed, what the page daemon paged out and faults paged in,
 * and super-locks.  A disabled tracepoint is a static branch not taken.
 * See them with `perf trace -e 'vmarena:*'`, `perf record -e vmarena:*`
 * or bpftrace; README's "Tracing" and vmarenactl(8) list the fields.
 *
 * Only core.c defines them (CREATE_TRACE_POINTS); Kbuild adds this
 * directory to core.o's include path, as define_trace.h includes this
 * file again by TRACE_INCLUDE_PATH.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmarena

#if !defined(_VMARENA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VMARENA_TRACE_H

#include <linux/tracepoint.h>

#include "area.h"
#include "fault.h"

TRACE_DEFINE_ENUM(VMARENA_OUTCOME_ERROR);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_MAPPED);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_MINOR);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_ZERO);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_COW);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_PAGEIN);
TRACE_DEFINE_ENUM(VMARENA_OUTCOME_DEVICE);

TRACE_DEFINE_ENUM(VMARENA_AREA_OP_CREATE);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_CLONE);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_COPY);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_TRANSFER);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_RESIZE);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_PROTECT);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_LOCK);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_UNLOCK);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_DELETE);
TRACE_DEFINE_ENUM(VMARENA_AREA_OP_SYNC);

#define vmarena_trace_outcome(o)					\
	__print_symbolic(o,						\
			 { VMARENA_OUTCOME_ERROR,		"error" },	\
			 { VMARENA_OUTCOME_MAPPED,	"mapped" },	\
			 { VMARENA_OUTCOME_MINOR,		"minor" },	\
			 { VMARENA_OUTCOME_ZERO,		"zero" },	\
			 { VMARENA_OUTCOME_COW,		"cow" },	\
			 { VMARENA_OUTCOME_PAGEIN,	"pagein" },	\
			 { VMARENA_OUTCOME_DEVICE,	"device" })

#define vmarena_trace_op(o)						\
	__print_symbolic(o,						\
			 { VMARENA_AREA_OP_CREATE,	"create" },	\
			 { VMARENA_AREA_OP_CLONE,	"clone" },	\
			 { VMARENA_AREA_OP_COPY,	"copy" },	\
			 { VMARENA_AREA_OP_TRANSFER,	"transfer" },	\
			 { VMARENA_AREA_OP_RESIZE,	"resize" },	\
			 { VMARENA_AREA_OP_PROTECT,	"protect" },	\
			 { VMARENA_AREA_OP_LOCK,	"lock" },	\
			 { VMARENA_AREA_OP_UNLOCK,	"unlock" },	\
			 { VMARENA_AREA_OP_DELETE,	"delete" },	\
			 { VMARENA_AREA_OP_SYNC,	"sync" })

/*
 * One fault of an aspace, as it ended: @access is VMARENA_FAULT_* (1 read,
 * 2 write, 4 exec, 0x100 wire); @outcome what its last try did (error:
 * nothing); @retries how often it started over (a busy page, a page-in, a
 * full pool); @ahead the pages it filled ahead; @error its result, which
 * may follow the work (-ESTALE: the window's PTE went stale while the page
 * was copied up; the window retries).
 */
TRACE_EVENT(vmarena_fault,
	    TP_PROTO(u32 aspace, u32 area, unsigned long address, unsigned int access,
		     unsigned int outcome, unsigned int retries, unsigned int ahead, int error),
	    TP_ARGS(aspace, area, address, access, outcome, retries, ahead, error),
	    TP_STRUCT__entry(__field(u32, aspace)
			     __field(u32, area)
			     __field(unsigned long, address)
			     __field(unsigned int, access)
			     __field(unsigned int, outcome)
			     __field(unsigned int, retries)
			     __field(unsigned int, ahead)
			     __field(int, error)),
	    TP_fast_assign(__entry->aspace = aspace;
			   __entry->area = area;
			   __entry->address = address;
			   __entry->access = access;
			   __entry->outcome = outcome;
			   __entry->retries = retries;
			   __entry->ahead = ahead;
			   __entry->error = error;),
	    TP_printk("aspace=%u area=%u address=%#lx access=%#x outcome=%s retries=%u ahead=%u error=%d",
		      __entry->aspace, __entry->area, __entry->address, __entry->access,
		      vmarena_trace_outcome(__entry->outcome), __entry->retries, __entry->ahead,
		      __entry->error));

/*
 * One area operation of an aspace fd, done or refused (@error): @area the
 * area made or changed (0: none was made), @source the area it cloned,
 * copied or moved (0: none); @base and @size the area after the operation;
 * @value its argument: the protection asked for (create, clone, protect),
 * the flags (copy, transfer), the size asked for (resize), the lock level
 * (lock, unlock), 0 (delete, sync).
 */
TRACE_EVENT(vmarena_area_op,
	    TP_PROTO(unsigned int op, u32 aspace, u32 area, u32 source, unsigned long base,
		     unsigned long size, u64 value, int error),
	    TP_ARGS(op, aspace, area, source, base, size, value, error),
	    TP_STRUCT__entry(__field(unsigned int, op)
			     __field(u32, aspace)
			     __field(u32, area)
			     __field(u32, source)
			     __field(unsigned long, base)
			     __field(unsigned long, size)
			     __field(u64, value)
			     __field(int, error)),
	    TP_fast_assign(__entry->op = op;
			   __entry->aspace = aspace;
			   __entry->area = area;
			   __entry->source = source;
			   __entry->base = base;
			   __entry->size = size;
			   __entry->value = value;
			   __entry->error = error;),
	    TP_printk("op=%s aspace=%u area=%u source=%u base=%#lx size=%#lx value=%#llx error=%d",
		      vmarena_trace_op(__entry->op), __entry->aspace, __entry->area,
		      __entry->source, __entry->base, __entry->size,
		      (unsigned long long)__entry->value, __entry->error));

/* A page moved between RAM and its store: swap (anonymous) or its file. */
DECLARE_EVENT_CLASS(vmarena_page_io,
		    TP_PROTO(u32 cache, unsigned long offset, unsigned long pfn, bool file,
			     bool written),
		    TP_ARGS(cache, offset, pfn, file, written),
		    TP_STRUCT__entry(__field(u32, cache)
				     __field(unsigned long, offset)
				     __field(unsigned long, pfn)
				     __field(bool, file)
				     __field(bool, written)),
		    TP_fast_assign(__entry->cache = cache;
				   __entry->offset = offset;
				   __entry->pfn = pfn;
				   __entry->file = file;
				   __entry->written = written;),
		    TP_printk("cache=%u offset=%lu pfn=%#lx store=%s written=%d",
			      __entry->cache, __entry->offset, __entry->pfn,
			      __entry->file ? "file" : "swap", __entry->written));

/*
 * The page daemon (or a caller's page-out) let a page go: anonymous pages
 * were written to swap (@written); a file's page was handed to its file
 * system if it was written (@written), and let go of either way.
 */
DEFINE_EVENT(vmarena_page_io, vmarena_pageout,
	     TP_PROTO(u32 cache, unsigned long offset, unsigned long pfn, bool file, bool written),
	     TP_ARGS(cache, offset, pfn, file, written));

/* A fault read a page back: from swap, or from its file (@written is 0). */
DEFINE_EVENT(vmarena_page_io, vmarena_pagein,
	     TP_PROTO(u32 cache, unsigned long offset, unsigned long pfn, bool file, bool written),
	     TP_ARGS(cache, offset, pfn, file, written));

/* An aspace super-lock taken (@on) or released, with its result. */
TRACE_EVENT(vmarena_superlock,
	    TP_PROTO(u32 aspace, bool on, bool superlocked, int error),
	    TP_ARGS(aspace, on, superlocked, error),
	    TP_STRUCT__entry(__field(u32, aspace)
			     __field(bool, on)
			     __field(bool, superlocked)
			     __field(int, error)),
	    TP_fast_assign(__entry->aspace = aspace;
			   __entry->on = on;
			   __entry->superlocked = superlocked;
			   __entry->error = error;),
	    TP_printk("aspace=%u %s superlocked=%d error=%d", __entry->aspace,
		      __entry->on ? "lock" : "unlock", __entry->superlocked, __entry->error));

/* One run of the page daemon: the pages it freed, and what is free after. */
TRACE_EVENT(vmarena_pagedaemon_run,
	    TP_PROTO(unsigned long run, unsigned long freed, unsigned long free_pages,
		     unsigned long max_pages),
	    TP_ARGS(run, freed, free_pages, max_pages),
	    TP_STRUCT__entry(__field(unsigned long, run)
			     __field(unsigned long, freed)
			     __field(unsigned long, free_pages)
			     __field(unsigned long, max_pages)),
	    TP_fast_assign(__entry->run = run;
			   __entry->freed = freed;
			   __entry->free_pages = free_pages;
			   __entry->max_pages = max_pages;),
	    TP_printk("run=%lu freed=%lu free=%lu max=%lu", __entry->run, __entry->freed,
		      __entry->free_pages, __entry->max_pages));

#endif /* _VMARENA_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
