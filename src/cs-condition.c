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
  /* CsConditionEvent*, waiting to be dispatched, in order */
  GQueue     events;
  guint      dispatching : 1;
};

G_DEFINE_FINAL_TYPE (CsCondition, cs_condition, G_TYPE_OBJECT)

/* Events live on their writer's stack unless they must outlive it. */
static void
event_clear (CsConditionEvent *event)
{
  g_clear_object (&event->source);
  if (G_IS_VALUE (&event->value))
    g_value_unset (&event->value);
  if (event->on_heap)
    g_free (event);
}

static void
cs_condition_finalize (GObject *object)
{
  CsCondition *self = (CsCondition *)object;

  g_assert (self->members->len == 0);

  g_queue_clear_full (&self->events, (GDestroyNotify) event_clear);
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

/* Queues @event, whose source and value it takes. The caller keeps the event
 * until it has called _cs_condition_dispatch(), which runs it unless a
 * dispatch is already under way further down the stack: then the event is
 * moved to the heap, for that dispatch to run once the caller has returned. */
void
_cs_condition_push (CsCondition      *self,
                    CsConditionEvent *event)
{
  if (event->source != NULL)
    g_object_ref (event->source);

  g_mutex_lock (&self->mutex);
  if (self->dispatching)
    {
      CsConditionEvent *copy = g_memdup2 (event, sizeof *event);

      copy->on_heap = TRUE;
      event->source = NULL;
      event->value = (GValue) G_VALUE_INIT;
      event = copy;
    }
  g_queue_push_tail (&self->events, event);
  g_mutex_unlock (&self->mutex);
}

static void
dispatch_event (CsCondition      *self,
                CsConditionEvent *event)
{
  g_autoptr(GPtrArray) members = NULL;

  /* The written accessor first, so its readers see its write before anyone
   * else's predicate runs; then the rest of the group, in order. */
  if (event->source != NULL)
    _cs_accessor_wake (event->source, &event->value, event->generation, TRUE);

  g_mutex_lock (&self->mutex);
  if (self->members->len > 1 || event->source == NULL)
    {
      members = g_ptr_array_new_full (self->members->len, g_object_unref);
      for (guint i = 0; i < self->members->len; i++)
        g_ptr_array_add (members, g_object_ref (g_ptr_array_index (self->members, i)));
    }
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; members != NULL && i < members->len; i++)
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
      CsConditionEvent *event = g_queue_pop_head (&self->events);

      if (event == NULL)
        break;

      g_mutex_unlock (&self->mutex);
      dispatch_event (self, event);
      event_clear (event);
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
  CsConditionEvent event = { NULL, G_VALUE_INIT, 0, FALSE };

  g_return_if_fail (CS_IS_CONDITION (self));

  _cs_condition_push (self, &event);
  _cs_condition_dispatch (self);
}
