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
 * - GObject's reference count is atomic inside libgobject, so what one thread
 *   wrote into an object before dropping its reference looks unordered with
 *   the finalization in the thread that drops the last one.
 *
 * Linked into the test programs of ThreadSanitizer builds only. These
 * definitions interpose the functions that codestare, the tests, GObject and
 * GIO call (libglib's and libgio's calls to their own functions are bound
 * inside them and stay as they are): each calls GLib's function and tells TSan
 * the ordering GLib documents, as TSan's pthread interceptors do: a
 * g_mutex_unlock() before the next g_mutex_lock(), every g_object_unref() of
 * an object before its finalization. They add no synchronization of
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

/* GObject: the last reference, dropped in any thread, is dropped after every
 * other one, as GObject's atomic reference count orders it: a release by each
 * g_object_unref(), seen by the one that finalizes. */

typedef void (*UnrefFunc) (gpointer object);

void
g_object_unref (gpointer object)
{
  REAL (UnrefFunc, g_object_unref);

  __tsan_release (object);
  __tsan_acquire (object);
  real (object);
}

/* GType: registering an interface locks inside GObject (where TSan watches
 * nothing: data/tsan.supp) and unlocks in a tail call that returns into the
 * caller's registration code, so TSan sees the unlock alone. Called through
 * here, this function shows in the report's stack, and data/tsan.supp names
 * it. */

typedef void (*AddInterfaceFunc) (GType                 instance_type,
                                  GType                 interface_type,
                                  const GInterfaceInfo *info);

void
g_type_add_interface_static (GType                 instance_type,
                             GType                 interface_type,
                             const GInterfaceInfo *info)
{
  REAL (AddInterfaceFunc, g_type_add_interface_static);

  real (instance_type, interface_type, info);
}
