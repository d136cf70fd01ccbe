/* tsan-glib.c: lets ThreadSanitizer see the ordering GLib provides
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* GLib is not built with ThreadSanitizer, so TSan sees none of the
 * synchronization done inside it, and reports the accesses it orders as races:
 *
 * - on Linux a GMutex is GLib's own futex-based lock, not a pthread mutex that
 *   TSan intercepts, so every access a GMutex protects (in codestare, in the
 *   tests) looks unprotected;
 * - a GTask returned in one thread and finished in another is handed over
 *   through the main context's internal lock, so what the returning thread
 *   wrote (the task data, the result) looks unordered with what the finishing
 *   thread reads or frees.
 *
 * Linked into the test programs of ThreadSanitizer builds only. These
 * definitions interpose the functions that codestare, the tests, GObject and
 * GIO call (libglib's and libgio's calls to their own functions are bound
 * inside them and stay as they are): each calls GLib's function and tells TSan
 * the ordering GLib documents, as TSan's pthread interceptors do: a
 * g_mutex_unlock() before the next g_mutex_lock(), a g_task_return_*() before
 * the g_task_propagate_*() of the same task. They add no synchronization of
 * their own, so they hide no race: an access made without the lock, or after
 * the return, is still reported. */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <sanitizer/tsan_interface.h>

#include <gio/gio.h>

/* GLib's own function called @name; looked up at first use, since GObject's
 * constructor may lock before this program's run. */
static gpointer
real_func (gpointer   *cache,
           const char *name)
{
  gpointer func = __atomic_load_n (cache, __ATOMIC_ACQUIRE);

  if (G_UNLIKELY (func == NULL))
    {
      func = dlsym (RTLD_NEXT, name);
      if (func == NULL)
        g_error ("tsan-glib: no %s in GLib: %s", name, dlerror ());
      __atomic_store_n (cache, func, __ATOMIC_RELEASE);
    }

  return func;
}

#define REAL(type, name) \
  static gpointer name##_cache; \
  type real = (type) real_func (&name##_cache, #name)

typedef void (*MutexFunc) (GMutex *mutex);
typedef gboolean (*TryLockFunc) (GMutex *mutex);
typedef void (*CondWaitFunc) (GCond *cond, GMutex *mutex);
typedef gboolean (*CondWaitUntilFunc) (GCond *cond, GMutex *mutex, gint64 end_time);

void
g_mutex_lock (GMutex *mutex)
{
  REAL (MutexFunc, g_mutex_lock);

  real (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  REAL (TryLockFunc, g_mutex_trylock);

  if (!real (mutex))
    return FALSE;

  __tsan_acquire (mutex);
  return TRUE;
}

void
g_mutex_unlock (GMutex *mutex)
{
  REAL (MutexFunc, g_mutex_unlock);

  __tsan_release (mutex);
  real (mutex);
}

/* The wait unlocks and locks again inside libglib. */
void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  REAL (CondWaitFunc, g_cond_wait);

  __tsan_release (mutex);
  real (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  REAL (CondWaitUntilFunc, g_cond_wait_until);
  gboolean ret;

  __tsan_release (mutex);
  ret = real (cond, mutex, end_time);
  __tsan_acquire (mutex);

  return ret;
}

/* GTask: returning releases, propagating acquires. */

typedef void (*ReturnValueFunc) (GTask *task, GValue *result);
typedef void (*ReturnBooleanFunc) (GTask *task, gboolean result);
typedef void (*ReturnIntFunc) (GTask *task, gssize result);
typedef void (*ReturnPointerFunc) (GTask *task, gpointer result, GDestroyNotify destroy);
typedef void (*ReturnErrorFunc) (GTask *task, GError *error);
typedef gboolean (*ReturnIfCancelledFunc) (GTask *task);
typedef gboolean (*PropagateValueFunc) (GTask *task, GValue *value, GError **error);
typedef gboolean (*PropagateBooleanFunc) (GTask *task, GError **error);
typedef gssize (*PropagateIntFunc) (GTask *task, GError **error);
typedef gpointer (*PropagatePointerFunc) (GTask *task, GError **error);
typedef gboolean (*HadErrorFunc) (GTask *task);

void
g_task_return_value (GTask  *task,
                     GValue *result)
{
  REAL (ReturnValueFunc, g_task_return_value);

  __tsan_release (task);
  real (task, result);
}

void
g_task_return_boolean (GTask    *task,
                       gboolean  result)
{
  REAL (ReturnBooleanFunc, g_task_return_boolean);

  __tsan_release (task);
  real (task, result);
}

void
g_task_return_int (GTask  *task,
                   gssize  result)
{
  REAL (ReturnIntFunc, g_task_return_int);

  __tsan_release (task);
  real (task, result);
}

void
g_task_return_pointer (GTask          *task,
                       gpointer        result,
                       GDestroyNotify  result_destroy)
{
  REAL (ReturnPointerFunc, g_task_return_pointer);

  __tsan_release (task);
  real (task, result, result_destroy);
}

void
g_task_return_error (GTask  *task,
                     GError *error)
{
  REAL (ReturnErrorFunc, g_task_return_error);

  __tsan_release (task);
  real (task, error);
}

/* the same as GIO's: the error, formatted, then g_task_return_error() */
void
g_task_return_new_error (GTask       *task,
                         GQuark       domain,
                         gint         code,
                         const char  *format,
                         ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);

  g_task_return_error (task, error);
}

gboolean
g_task_return_error_if_cancelled (GTask *task)
{
  REAL (ReturnIfCancelledFunc, g_task_return_error_if_cancelled);

  __tsan_release (task);
  return real (task);
}

gboolean
g_task_propagate_value (GTask   *task,
                        GValue  *value,
                        GError **error)
{
  REAL (PropagateValueFunc, g_task_propagate_value);

  __tsan_acquire (task);
  return real (task, value, error);
}

gboolean
g_task_propagate_boolean (GTask   *task,
                          GError **error)
{
  REAL (PropagateBooleanFunc, g_task_propagate_boolean);

  __tsan_acquire (task);
  return real (task, error);
}

gssize
g_task_propagate_int (GTask   *task,
                      GError **error)
{
  REAL (PropagateIntFunc, g_task_propagate_int);

  __tsan_acquire (task);
  return real (task, error);
}

gpointer
g_task_propagate_pointer (GTask   *task,
                          GError **error)
{
  REAL (PropagatePointerFunc, g_task_propagate_pointer);

  __tsan_acquire (task);
  return real (task, error);
}

gboolean
g_task_had_error (GTask *task)
{
  REAL (HadErrorFunc, g_task_had_error);

  __tsan_acquire (task);
  return real (task);
}
