/* cs-condition.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-condition-private.h"

/**
 * CsCondition:
 *
 * A notification group of accessors (in the Python module
 * `codestare.async_utils`, the `asyncio.Condition` that accessors share).
 *
 * Accessors created with the same condition form a group: a write to any of
 * them re-checks the predicates of the readers of all of them, so a predicate
 * may look at several accessors. [method@Cs.Condition.notify_all] re-checks
 * them on demand, after a change the accessors cannot see.
 *
 * A condition belongs to the thread-default main context in which it was
 * created, and so does every accessor of its group: their writes are applied,
 * and their notifications and predicates run, in that context.
 *
 * Since: 1.0
 */
struct _CsCondition
{
  GObject    parent_instance;

  /* Read-only after construction */
  CsOwner    owner;

  /* Atomic: a re-check posted by another thread and not yet begun */
  gint       notify_all_posted;

  /* Owner context only */
  GQueue     events;      /* CsEvent*, in order */
  GQueue     watchers;    /* CsConditionMember*: members with predicate readers */
  CsEvent   *spare;       /* a free event, to spare an allocation a write */
  gboolean   dispatching;
  gint       dispatch_depth;  /* g_main_depth() when the dispatch began */
  gboolean   rechecking;  /* the event being dispatched is a notify_all */
  guint      round_budget;   /* rechecking: the predicate checks this round may make */
  guint      round_checks;   /* rechecking: the checks made so far this round */
  guint      round_request;  /* rechecking: checks before the last call to
                              * notify_all made this round, plus one */
};

G_DEFINE_FINAL_TYPE (CsCondition, cs_condition, G_TYPE_OBJECT)

/* The members to re-check, each with a reference: on the stack while they are
 * few, as they usually are. */
typedef struct
{
  CsConditionMember **members;
  guint               len;
  CsConditionMember  *inline_members[8];
} MemberList;

static void
cs_condition_finalize (GObject *object)
{
  CsCondition *self = (CsCondition *)object;

  /* events and watchers hold references on members, which hold the condition */
  g_assert (self->events.length == 0);
  g_assert (self->watchers.length == 0);

  g_clear_pointer (&self->spare, g_free);
  _cs_owner_clear (&self->owner);

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
}

/* A condition of @context, whose owner thread is @thread. */
CsCondition *
_cs_condition_new_for_owner (GMainContext *context,
                             GThread      *thread)
{
  CsCondition *self = g_object_new (CS_TYPE_CONDITION, NULL);

  _cs_owner_init (&self->owner, context, thread);

  return self;
}

/**
 * cs_condition_new:
 *
 * Creates a new, empty notification group, belonging to the thread-default
 * main context of the calling thread.
 *
 * Returns: (transfer full): a new condition
 *
 * Since: 1.0
 */
CsCondition *
cs_condition_new (void)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  return _cs_condition_new_for_owner (context, g_thread_self ());
}

const CsOwner *
_cs_condition_get_owner (CsCondition *self)
{
  return &self->owner;
}

void
_cs_condition_member_init (CsConditionMember *member,
                           GObject           *instance,
                           CsWakeFunc         wake,
                           CsWakeFunc         delivered)
{
  member->instance = instance;
  member->wake = wake;
  member->delivered = delivered;
  member->link.data = member;
  member->watching = FALSE;
  member->busy = FALSE;
  member->recheck_pending = FALSE;
}

/* Whether @member is re-checked when the group changes: while it has readers
 * with predicates. Leaving costs the same whatever the size of the group. */
void
_cs_condition_watch (CsCondition       *self,
                     CsConditionMember *member,
                     gboolean           watching)
{
  if (member->watching == watching)
    return;

  member->watching = watching;
  if (watching)
    g_queue_push_tail_link (&self->watchers, &member->link);
  else
    g_queue_unlink (&self->watchers, &member->link);
}

/* Queues an event from @source (NULL for the group), for the next
 * _cs_condition_dispatch(); the caller fills in the value and generation of a
 * write. Owner context only. */
CsEvent *
_cs_condition_push (CsCondition       *self,
                    CsEventKind        kind,
                    CsConditionMember *source)
{
  CsEvent *event = g_steal_pointer (&self->spare);

  if (event == NULL)
    event = g_new (CsEvent, 1);

  event->link.data = event;
  event->link.prev = event->link.next = NULL;
  event->kind = kind;
  event->source = source;
  if (source != NULL)
    g_object_ref (source->instance);
  event->value = (GValue) G_VALUE_INIT;
  event->generation = 0;
  g_queue_push_tail_link (&self->events, &event->link);

  return event;
}

static void
member_list_collect (MemberList        *list,
                     CsCondition       *self,
                     CsConditionMember *except)
{
  guint i = 0;

  list->members = list->inline_members;
  if (self->watchers.length > G_N_ELEMENTS (list->inline_members))
    list->members = g_new (CsConditionMember *, self->watchers.length);

  for (GList *l = self->watchers.head; l != NULL; l = l->next)
    {
      CsConditionMember *member = l->data;

      if (member != except)
        {
          g_object_ref (member->instance);
          list->members[i++] = member;
        }
    }

  list->len = i;
}

static void
member_list_clear (MemberList *list)
{
  for (guint i = 0; i < list->len; i++)
    g_object_unref (list->members[i]->instance);
  if (list->members != list->inline_members)
    g_free (list->members);
}

/* Delivers @event to @member. A member whose wake-up is under way further up
 * the stack (a main loop run by one of its predicates dispatches the group's
 * events) is not woken again in the middle of it: it re-checks its
 * predicates when that wake-up is done, so that its readers see the values
 * in order. */
static void
wake_member (CsConditionMember *member,
             CsEvent           *event)
{
  static CsEvent recheck = { .kind = CS_EVENT_NOTIFY_ALL };

  if (member->busy)
    {
      member->recheck_pending = TRUE;
      return;
    }

  member->busy = TRUE;
  member->wake (member, event);
  while (member->recheck_pending && member->watching)
    {
      member->recheck_pending = FALSE;
      member->wake (member, &recheck);
    }
  member->recheck_pending = FALSE;
  member->busy = FALSE;
}

/* A re-check of the whole group (notify_all). A predicate that asks for one
 * while it runs has made a change that the predicates checked before it in
 * this round have not seen: they take another round, the same checks in the
 * same order, stopped after that many. Each round is shorter than the one
 * before, so predicates that keep asking cannot keep it going for ever. */
static void
recheck_members (CsCondition *self,
                 MemberList  *members,
                 CsEvent     *event)
{
  self->round_budget = G_MAXUINT;

  while (self->round_budget > 0)
    {
      self->round_checks = 0;
      self->round_request = 0;
      for (guint i = 0; i < members->len && self->round_checks < self->round_budget; i++)
        if (members->members[i]->watching)
          wake_member (members->members[i], event);

      if (self->round_request == 0)
        break;
      self->round_budget = self->round_request - 1;
    }
}

/* Before a reader's predicate runs for an event: FALSE if a re-check round
 * has made all the checks it may (see recheck_members()). */
gboolean
_cs_condition_begin_check (CsCondition *self)
{
  if (!self->rechecking)
    return TRUE;

  if (self->round_checks >= self->round_budget)
    return FALSE;

  self->round_checks++;
  return TRUE;
}

static void
dispatch_event (CsCondition *self,
                CsEvent     *event)
{
  MemberList others;

  /* the source first, so its readers see its write before anyone else's
   * predicate runs; then the members with predicates, in order; then the
   * source hears that its write has reached everyone (its next handoff may
   * go) */
  if (event->source != NULL)
    wake_member (event->source, event);

  if (event->kind == CS_EVENT_CLOSE)
    return;

  if (self->watchers.length > 0)
    {
      member_list_collect (&others, self, event->source);
      if (event->kind == CS_EVENT_NOTIFY_ALL)
        recheck_members (self, &others, event);
      else
        for (guint i = 0; i < others.len; i++)
          if (others.members[i]->watching)
            wake_member (others.members[i], event);
      member_list_clear (&others);
    }

  if (event->source != NULL && event->source->delivered != NULL)
    event->source->delivered (event->source, event);
}

/* Delivers the queued events, in order. A call made while a dispatch is under
 * way (a write made by a predicate) only queues: the dispatch under way
 * delivers its event after the current one, so every reader sees every write
 * in the order they were made. The exception is a main loop run from inside
 * the dispatch (by a predicate or a notify handler): what it waits for may
 * need the events queued meanwhile, so they are delivered from there, up to
 * the first one whose source is still being woken further up the stack,
 * which must finish with the earlier write first. Owner context only. */
void
_cs_condition_dispatch (CsCondition *self)
{
  gboolean was_dispatching = self->dispatching;
  gboolean was_rechecking = self->rechecking;
  guint saved_budget = self->round_budget;
  guint saved_checks = self->round_checks;
  guint saved_request = self->round_request;
  gint saved_depth = self->dispatch_depth;
  gint depth = g_main_depth ();
  CsEvent *event;

  if (self->dispatching && depth <= self->dispatch_depth)
    return;

  g_object_ref (self);
  self->dispatching = TRUE;
  self->dispatch_depth = depth;

  while (self->events.head != NULL)
    {
      event = self->events.head->data;
      if (event->source != NULL && event->source->busy)
        break;
      g_queue_unlink (&self->events, &event->link);

      self->rechecking = event->kind == CS_EVENT_NOTIFY_ALL;
      dispatch_event (self, event);

      if (event->source != NULL)
        g_object_unref (event->source->instance);
      if (G_VALUE_TYPE (&event->value) != G_TYPE_INVALID)
        g_value_unset (&event->value);
      if (self->spare == NULL)
        self->spare = event;
      else
        g_free (event);
    }

  self->dispatching = was_dispatching;
  self->rechecking = was_rechecking;
  self->round_budget = saved_budget;
  self->round_checks = saved_checks;
  self->round_request = saved_request;
  self->dispatch_depth = saved_depth;
  g_object_unref (self);
}

typedef struct
{
  CsWork       work;
  CsCondition *condition;
} NotifyAllWork;

static void
notify_all_now (CsCondition *self)
{
  _cs_condition_push (self, CS_EVENT_NOTIFY_ALL, NULL);
  _cs_condition_dispatch (self);
}

static void
notify_all_work (CsWork *work)
{
  NotifyAllWork *item = (NotifyAllWork *) work;

  /* a call made from now on re-checks again */
  g_atomic_int_set (&item->condition->notify_all_posted, FALSE);
  notify_all_now (item->condition);
  g_object_unref (item->condition);
  g_free (item);
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
 * woken. It may be called from any thread: the predicates run in the main
 * context the condition belongs to, at once when the calling thread may work
 * there, otherwise as soon as that context runs.
 *
 * A predicate may call it too, to tell the others about a change it made: the
 * re-check comes after the event being delivered. While the group is already
 * being re-checked, the predicates checked before that one are checked again;
 * each such round is shorter than the one before, so predicates that keep
 * asking cannot keep the re-checks going for ever.
 *
 * Since: 1.0
 */
void
cs_condition_notify_all (CsCondition *self)
{
  CsOwnerScope scope;

  g_return_if_fail (CS_IS_CONDITION (self));

  if (_cs_owner_enter (&self->owner, &scope))
    {
      /* a predicate asking while the group is being re-checked: the members
       * before it take another round (see recheck_members()) */
      if (self->rechecking && g_main_depth () <= self->dispatch_depth)
        self->round_request = MAX (self->round_checks, 1);
      else
        notify_all_now (self);
      _cs_owner_leave (&self->owner, &scope);
    }
  /* a re-check already on its way, not yet begun, covers this one too */
  else if (g_atomic_int_compare_and_exchange (&self->notify_all_posted, FALSE, TRUE))
    {
      NotifyAllWork *item = g_new0 (NotifyAllWork, 1);

      item->work.func = notify_all_work;
      item->condition = g_object_ref (self);
      _cs_owner_post (&self->owner, &item->work);
    }
}
