/* cs-condition.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-condition-private.h"

/**
 * CsCondition:
 *
 * A notification group of accessors (the seed's shared `asyncio.Condition`).
 *
 * Accessors created with the same condition form a group: a write to any of
 * them re-checks the predicates of the readers of all of them, so a predicate
 * may look at several accessors. [method@Cs.Condition.notify_all] re-checks
 * them on demand, after a change the accessors cannot see.
 *
 * The members of a group should belong to the same main context.
 *
 * Since: 1.0
 */
struct _CsCondition
{
  GObject    parent_instance;

  GMutex     mutex;
  /* CsAccessor*, not owned: an accessor leaves its group when disposed */
  GPtrArray *members;
  /* Event*, waiting to be dispatched, in order */
  GQueue     events;
  guint      dispatching : 1;
};

typedef struct
{
  CsAccessor *source;       /* owned; NULL for notify_all */
  GValue      value;
  guint64     generation;
} Event;

G_DEFINE_FINAL_TYPE (CsCondition, cs_condition, G_TYPE_OBJECT)

static void
event_free (Event *event)
{
  g_clear_object (&event->source);
  if (G_IS_VALUE (&event->value))
    g_value_unset (&event->value);
  g_free (event);
}

static void
cs_condition_finalize (GObject *object)
{
  CsCondition *self = (CsCondition *)object;

  g_assert (self->members->len == 0);

  g_queue_clear_full (&self->events, (GDestroyNotify) event_free);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cs_condition_parent_class)->finalize (object);
}

static void
cs_condition_class_init (CsConditionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_condition_finalize;
}

static void
cs_condition_init (CsCondition *self)
{
  g_mutex_init (&self->mutex);
  self->members = g_ptr_array_new ();
}

/**
 * cs_condition_new:
 *
 * Creates a new, empty notification group.
 *
 * Returns: (transfer full): a new condition
 *
 * Since: 1.0
 */
CsCondition *
cs_condition_new (void)
{
  return g_object_new (CS_TYPE_CONDITION, NULL);
}

void
_cs_condition_add_member (CsCondition *self,
                          CsAccessor  *accessor)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->members, accessor);
  g_mutex_unlock (&self->mutex);
}

void
_cs_condition_remove_member (CsCondition *self,
                             CsAccessor  *accessor)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_remove (self->members, accessor);
  g_mutex_unlock (&self->mutex);
}

/* Queues the dispatch of a write to @source, which wrote @value (taken) as its
 * write number @generation. Run the queue with _cs_condition_dispatch(). */
void
_cs_condition_push_write (CsCondition *self,
                          CsAccessor  *source,
                          GValue      *value,
                          guint64      generation)
{
  Event *event = g_new0 (Event, 1);

  event->source = source != NULL ? g_object_ref (source) : NULL;
  if (value != NULL)
    {
      event->value = *value;
      *value = (GValue) G_VALUE_INIT;
    }
  event->generation = generation;

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->events, event);
  g_mutex_unlock (&self->mutex);
}

static void
dispatch_event (CsCondition *self,
                Event       *event)
{
  g_autoptr(GPtrArray) members = NULL;

  g_mutex_lock (&self->mutex);
  members = g_ptr_array_new_full (self->members->len, g_object_unref);
  for (guint i = 0; i < self->members->len; i++)
    g_ptr_array_add (members, g_object_ref (g_ptr_array_index (self->members, i)));
  g_mutex_unlock (&self->mutex);

  /* The written accessor first, so its readers see its write before anyone
   * else's predicate runs; then the rest of the group, in order. */
  if (event->source != NULL)
    _cs_accessor_wake (event->source, &event->value, event->generation, TRUE);

  for (guint i = 0; i < members->len; i++)
    {
      CsAccessor *member = g_ptr_array_index (members, i);

      if (member != event->source)
        _cs_accessor_wake (member, NULL, 0, FALSE);
    }
}

/* Dispatches the queued events, in order. Re-entrant calls (a write made by a
 * predicate or a callback while an event is dispatched) only queue theirs: the
 * outermost call dispatches them after the current one, so every reader sees
 * every write in the order they were made. */
void
_cs_condition_dispatch (CsCondition *self)
{
  g_object_ref (self);

  g_mutex_lock (&self->mutex);
  if (self->dispatching)
    {
      g_mutex_unlock (&self->mutex);
      g_object_unref (self);
      return;
    }
  self->dispatching = TRUE;

  for (;;)
    {
      Event *event = g_queue_pop_head (&self->events);

      if (event == NULL)
        break;

      g_mutex_unlock (&self->mutex);
      dispatch_event (self, event);
      event_free (event);
      g_mutex_lock (&self->mutex);
    }

  self->dispatching = FALSE;
  g_mutex_unlock (&self->mutex);

  g_object_unref (self);
}

/**
 * cs_condition_notify_all:
 * @self: a condition
 *
 * Re-checks the predicate of every reader waiting on an accessor of the group,
 * as a write to one of them would.
 *
 * Use it after changing something the predicates look at that is not one of the
 * group's accessors. Readers waiting for a write without a predicate are not
 * woken.
 *
 * Since: 1.0
 */
void
cs_condition_notify_all (CsCondition *self)
{
  g_return_if_fail (CS_IS_CONDITION (self));

  _cs_condition_push_write (self, NULL, NULL, 0);
  _cs_condition_dispatch (self);
}
