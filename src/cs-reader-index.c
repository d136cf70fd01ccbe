/* cs-reader-index.c: an accessor's waiting readers
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "cs-enums.h"
#include "cs-reader-index-private.h"
#include "cs-value-private.h"

/* The equality readers waiting for one value, in order of arrival. */
typedef struct
{
  GValue key;
  GQueue readers;
} Bucket;

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_assert (bucket->readers.length == 0);

  g_value_unset (&bucket->key);
  g_free (bucket);
}

void
_cs_operation_list_init (CsOperationList *list)
{
  list->ops = list->inline_ops;
  list->len = 0;
  list->size = G_N_ELEMENTS (list->inline_ops);
}

void
_cs_operation_list_add (CsOperationList *list,
                        CsOperation     *op)
{
  if (list->len == list->size)
    {
      list->size *= 2;
      if (list->ops == list->inline_ops)
        list->ops = g_memdup2 (list->inline_ops, sizeof list->inline_ops);
      list->ops = g_renew (CsOperation *, list->ops, list->size);
    }

  list->ops[list->len++] = _cs_operation_ref (op);
}

void
_cs_operation_list_clear (CsOperationList *list)
{
  for (guint i = 0; i < list->len; i++)
    _cs_operation_unref (list->ops[i]);
  if (list->ops != list->inline_ops)
    g_free (list->ops);
  _cs_operation_list_init (list);
}

void
_cs_reader_index_init (CsReaderIndex *self)
{
  g_queue_init (&self->next);
  g_queue_init (&self->scan);
  self->buckets = NULL;
  self->n_readers = 0;
  self->n_predicates = 0;
  self->next_serial = 0;
}

void
_cs_reader_index_clear (CsReaderIndex *self)
{
  g_assert (self->n_readers == 0);

  g_clear_pointer (&self->buckets, g_hash_table_unref);
}

/* Adds a reader, which must have its start generation. @key, if not NULL, is
 * the value its equality predicate waits for, as the accessor holds it and
 * hashable: taken. */
void
_cs_reader_index_add (CsReaderIndex *self,
                      CsOperation   *op,
                      GValue        *key)
{
  g_assert (op->list == NULL);

  op->serial = self->next_serial++;

  if (key != NULL)
    {
      Bucket *bucket;

      if (self->buckets == NULL)
        self->buckets = g_hash_table_new_full (_cs_value_hash, _cs_value_hash_equal,
                                               NULL, bucket_free);

      bucket = g_hash_table_lookup (self->buckets, key);
      if (bucket == NULL)
        {
          bucket = g_new0 (Bucket, 1);
          bucket->key = *key;
          g_hash_table_insert (self->buckets, &bucket->key, bucket);
        }
      else
        g_value_unset (key);
      *key = (GValue) G_VALUE_INIT;

      op->list = &bucket->readers;
      op->place = CS_OPERATION_IN_BUCKET;
    }
  else if (op->predicate == NULL)
    {
      op->list = &self->next;
      op->place = CS_OPERATION_IN_NEXT;
    }
  else
    {
      op->list = &self->scan;
      op->place = CS_OPERATION_IN_SCAN;
    }

  g_queue_push_tail_link (op->list, &op->link);
  self->n_readers++;
  if (op->place != CS_OPERATION_IN_NEXT)
    self->n_predicates++;
}

void
_cs_reader_index_remove (CsReaderIndex *self,
                         CsOperation   *op)
{
  g_assert (op->list != NULL);

  g_queue_unlink (op->list, &op->link);
  self->n_readers--;
  if (op->place != CS_OPERATION_IN_NEXT)
    self->n_predicates--;

  /* an emptied bucket goes: the table holds only values waited for */
  if (op->place == CS_OPERATION_IN_BUCKET && g_queue_is_empty (op->list))
    {
      Bucket *bucket = G_STRUCT_MEMBER_P (op->list, -G_STRUCT_OFFSET (Bucket, readers));

      g_hash_table_remove (self->buckets, &bucket->key);
    }

  op->list = NULL;
  op->place = CS_OPERATION_IN_NONE;
}

static int
compare_arrival (gconstpointer a,
                 gconstpointer b)
{
  guint64 serial_a = (*(CsOperation * const *) a)->serial;
  guint64 serial_b = (*(CsOperation * const *) b)->serial;

  return serial_a < serial_b ? -1 : serial_a > serial_b;
}

/* Adds the readers of @queue that came before the write @generation. Returns
 * whether it added any. */
static gboolean
collect_before (GQueue          *queue,
                guint64          generation,
                CsOperationList *due)
{
  gboolean added = FALSE;

  /* in order of arrival: the rest came after the write */
  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      CsOperation *op = l->data;

      if (op->start_generation >= generation)
        break;

      _cs_operation_list_add (due, op);
      added = TRUE;
    }

  return added;
}

/* Adds the readers of @queue that a group notification re-checks: all but the
 * WAIT_FOR_WRITE ones that have not yet seen a write of their own. */
static gboolean
collect_rechecked (GQueue          *queue,
                   guint64          woken_generation,
                   CsOperationList *due)
{
  gboolean added = FALSE;

  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      CsOperation *op = l->data;

      if ((op->flags & CS_GET_FLAGS_WAIT_FOR_WRITE) && woken_generation <= op->start_generation)
        continue;

      _cs_operation_list_add (due, op);
      added = TRUE;
    }

  return added;
}

static GQueue *
bucket_for (CsReaderIndex *self,
            const GValue  *value)
{
  Bucket *bucket;

  if (self->buckets == NULL || g_hash_table_size (self->buckets) == 0 ||
      value == NULL || !_cs_value_is_hashable (value))
    return NULL;

  bucket = g_hash_table_lookup (self->buckets, value);

  return bucket != NULL ? &bucket->readers : NULL;
}

static void
sort_if_merged (CsOperationList *due,
                guint            n_lists)
{
  if (n_lists > 1)
    qsort (due->ops, due->len, sizeof (CsOperation *), compare_arrival);
}

/* The readers the write @generation of @value concerns, in order of arrival:
 * every reader that came before it, but the equality readers of other values.
 * Equality readers in the list have matched; the others are to be checked. */
void
_cs_reader_index_collect_write (CsReaderIndex   *self,
                                const GValue    *value,
                                guint64          generation,
                                CsOperationList *due)
{
  GQueue *bucket = bucket_for (self, value);
  guint n_lists = 0;

  n_lists += collect_before (&self->next, generation, due);
  if (bucket != NULL)
    n_lists += collect_before (bucket, generation, due);
  n_lists += collect_before (&self->scan, generation, due);

  sort_if_merged (due, n_lists);
}

/* The readers a group notification re-checks with the current @value. */
void
_cs_reader_index_collect_recheck (CsReaderIndex   *self,
                                  const GValue    *value,
                                  guint64          woken_generation,
                                  CsOperationList *due)
{
  GQueue *bucket = bucket_for (self, value);
  guint n_lists = 0;

  if (bucket != NULL)
    n_lists += collect_rechecked (bucket, woken_generation, due);
  n_lists += collect_rechecked (&self->scan, woken_generation, due);

  sort_if_merged (due, n_lists);
}

static void
collect_queue (GQueue          *queue,
               CsOperationList *all)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    _cs_operation_list_add (all, l->data);
}

/* Every reader, in order of arrival. */
void
_cs_reader_index_collect_all (CsReaderIndex   *self,
                              CsOperationList *all)
{
  collect_queue (&self->next, all);
  collect_queue (&self->scan, all);

  if (self->buckets != NULL)
    {
      GHashTableIter iter;
      Bucket *bucket;

      g_hash_table_iter_init (&iter, self->buckets);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
        collect_queue (&bucket->readers, all);
    }

  qsort (all->ops, all->len, sizeof (CsOperation *), compare_arrival);
}

/* Calls @func on every reader, in no particular order; @func must not add or
 * remove readers. */
void
_cs_reader_index_foreach (CsReaderIndex *self,
                          GFunc          func,
                          gpointer       user_data)
{
  g_queue_foreach (&self->next, func, user_data);
  g_queue_foreach (&self->scan, func, user_data);

  if (self->buckets != NULL)
    {
      GHashTableIter iter;
      Bucket *bucket;

      g_hash_table_iter_init (&iter, self->buckets);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
        g_queue_foreach (&bucket->readers, func, user_data);
    }
}
