/* cs-reader-index-private.h: an accessor's waiting readers
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-operation-private.h"

G_BEGIN_DECLS

/* The readers of one accessor, each in one place, each place in order of
 * arrival: those waiting for the next write; those whose predicate is a
 * built-in equality, in buckets by value, so that a write finds them without
 * looking at the others; and the rest, whose predicates run at every write.
 * Owner context only. */
typedef struct
{
  GQueue      next;
  GHashTable *buckets;       /* GValue* → bucket, created on first use */
  GQueue      scan;
  guint       n_readers;
  guint       n_predicates;  /* readers in buckets and scan */
  guint64     next_serial;
} CsReaderIndex;

/* Operations an event concerns, in order of arrival, each with a reference
 * (a predicate may complete one, and its callback run in another thread, while
 * the engine still looks at the list): on the stack while they are few, as
 * they usually are. */
typedef struct
{
  CsOperation **ops;
  guint         len;
  guint         size;
  CsOperation  *inline_ops[8];
} CsOperationList;

void _cs_operation_list_init         (CsOperationList *list);
void _cs_operation_list_add          (CsOperationList *list,
                                      CsOperation     *op);
void _cs_operation_list_clear        (CsOperationList *list);

void _cs_reader_index_init           (CsReaderIndex   *self);
void _cs_reader_index_clear          (CsReaderIndex   *self);
void _cs_reader_index_add            (CsReaderIndex   *self,
                                      CsOperation     *op,
                                      GValue          *key);
void _cs_reader_index_remove         (CsReaderIndex   *self,
                                      CsOperation     *op);
void _cs_reader_index_collect_write  (CsReaderIndex   *self,
                                      const GValue    *value,
                                      guint64          generation,
                                      CsOperationList *due);
void _cs_reader_index_collect_recheck (CsReaderIndex  *self,
                                      const GValue    *value,
                                      guint64          woken_generation,
                                      CsOperationList *due);
void _cs_reader_index_collect_all    (CsReaderIndex   *self,
                                      CsOperationList *all);
void _cs_reader_index_foreach        (CsReaderIndex   *self,
                                      GFunc            func,
                                      gpointer         user_data);

G_END_DECLS
