/* cs-accessor-funcs.c: accessors over reader and writer functions given as
 * closures or as binding-friendly callbacks
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-value-private.h"

typedef struct
{
  GClosure *read;
  GClosure *write;
} Closures;

static void
closures_free (gpointer data)
{
  Closures *closures = data;

  g_clear_pointer (&closures->read, g_closure_unref);
  g_clear_pointer (&closures->write, g_closure_unref);
  g_free (closures);
}

static void
closures_read (GValue   *value,
               gpointer  user_data)
{
  Closures *closures = user_data;

  g_closure_invoke (closures->read, value, 0, NULL, NULL);
}

static gboolean
closures_write (const GValue  *value,
                gpointer       user_data,
                GError       **error)
{
  Closures *closures = user_data;
  g_auto(GValue) accepted = G_VALUE_INIT;

  g_value_init (&accepted, G_TYPE_BOOLEAN);
  g_closure_invoke (closures->write, &accepted, 1, value, NULL);

  if (!g_value_get_boolean (&accepted))
    {
      g_set_error_literal (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_FAILED,
                           "The writer rejected the value");
      return FALSE;
    }

  return TRUE;
}

static GClosure *
closure_take (GClosure *closure)
{
  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  return closure;
}

/**
 * cs_accessor_new_with_closures:
 * @value_type: the type of the value
 * @name: (nullable): a name for debugging
 * @condition: (nullable): the notification group to join; a new one if %NULL
 * @read: (nullable): a closure taking no argument and returning the current
 *   value, of @value_type
 * @write: (nullable): a closure taking the new value and returning %TRUE if it
 *   stored it
 *
 * Creates an accessor over a value kept elsewhere, as
 * [ctor@Cs.Accessor.new_full] does, with closures: the form language bindings
 * use. A write that @write refuses fails with %CS_ACCESSOR_ERROR_FAILED.
 *
 * Returns: (transfer full): a new accessor
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new_with_closures (GType        value_type,
                               const char  *name,
                               CsCondition *condition,
                               GClosure    *read,
                               GClosure    *write)
{
  Closures *closures;

  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (condition == NULL || CS_IS_CONDITION (condition), NULL);
  g_return_val_if_fail (read != NULL || write == NULL, NULL);

  if (read == NULL)
    return _cs_accessor_new_internal (value_type, name, condition, NULL, NULL, NULL, NULL);

  closures = g_new0 (Closures, 1);
  closures->read = closure_take (read);
  if (write != NULL)
    closures->write = closure_take (write);

  return _cs_accessor_new_internal (value_type, name, condition,
                            closures_read, write != NULL ? closures_write : NULL,
                            closures, closures_free);
}

typedef struct
{
  CsAccessorGetFunc    read;
  gpointer             read_data;
  GDestroyNotify       read_destroy;
  CsAccessorWriteFunc  write;
  gpointer             write_data;
  GDestroyNotify       write_destroy;
} Funcs;

static void
funcs_free (gpointer data)
{
  Funcs *funcs = data;

  if (funcs->read_destroy != NULL)
    funcs->read_destroy (funcs->read_data);
  if (funcs->write_destroy != NULL)
    funcs->write_destroy (funcs->write_data);
  g_free (funcs);
}

static void
funcs_read (GValue   *value,
            gpointer  user_data)
{
  Funcs *funcs = user_data;
  g_auto(GValue) produced = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  funcs->read (&produced, funcs->read_data);

  if (G_VALUE_TYPE (&produced) == G_TYPE_INVALID)
    return;

  if (G_VALUE_HOLDS (&produced, G_VALUE_TYPE (value)))
    g_value_copy (&produced, value);
  else
    {
      g_auto(GValue) converted = G_VALUE_INIT;

      if (_cs_value_convert (&produced, G_VALUE_TYPE (value), &converted, &error))
        g_value_copy (&converted, value);
      else
        g_warning ("A reader produced a value of type “%s”: %s",
                   G_VALUE_TYPE_NAME (&produced), error->message);
    }
}

static gboolean
funcs_write (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  Funcs *funcs = user_data;

  return funcs->write (value, funcs->write_data, error);
}

/**
 * cs_accessor_new_with_funcs:
 * @value_type: the type of the value
 * @name: (nullable): a name for debugging
 * @condition: (nullable): the notification group to join; a new one if %NULL
 * @read: (nullable) (scope notified) (closure read_data) (destroy read_destroy): returns
 *   the current value
 * @read_data: data for @read
 * @read_destroy: (nullable): frees @read_data when the accessor is finalized
 * @write: (nullable) (scope notified) (closure write_data) (destroy write_destroy): stores
 *   a new value
 * @write_data: data for @write
 * @write_destroy: (nullable): frees @write_data when the accessor is finalized
 *
 * Creates an accessor over a value kept elsewhere, as
 * [ctor@Cs.Accessor.new_full] does, in the form language bindings call best:
 * each function has data of its own, and @read returns the value (in the
 * Python module `codestare.async_utils`, `accessor(funcs=(fget, fset))`). In
 * Vala, both are lambdas, and the writer may throw: its error reaches the
 * writer's caller with its message; in JavaScript the writer may throw too.
 *
 * Returns: (transfer full): a new accessor
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new_with_funcs (GType                value_type,
                            const char          *name,
                            CsCondition         *condition,
                            CsAccessorGetFunc    read,
                            gpointer             read_data,
                            GDestroyNotify       read_destroy,
                            CsAccessorWriteFunc  write,
                            gpointer             write_data,
                            GDestroyNotify       write_destroy)
{
  Funcs *funcs;

  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (condition == NULL || CS_IS_CONDITION (condition), NULL);
  g_return_val_if_fail (read != NULL || write == NULL, NULL);

  funcs = g_new0 (Funcs, 1);
  funcs->read = read;
  funcs->read_data = read_data;
  funcs->read_destroy = read_destroy;
  funcs->write = write;
  funcs->write_data = write_data;
  funcs->write_destroy = write_destroy;

  if (read == NULL)
    return _cs_accessor_new_internal (value_type, name, condition, NULL, NULL, funcs, funcs_free);

  return _cs_accessor_new_internal (value_type, name, condition,
                            funcs_read, write != NULL ? funcs_write : NULL,
                            funcs, funcs_free);
}
