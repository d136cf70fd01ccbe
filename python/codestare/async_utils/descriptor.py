# codestare.async_utils.descriptor — accessor and condition_property
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Shared awaitable values, backed by the codestare library (Cs-1.0).

`accessor` and `condition_property` keep the names, signatures and semantics of
the Python module `codestare.async_utils.descriptor`, with an asyncio event
loop that runs on GLib (`gbulb.install()`, or PyGObject's
`gi.events.GLibEventLoopPolicy` from 3.50 on). Where they deliberately differ:

- `get()` without a predicate waits for the next write to *this* accessor,
  not for any notification of a condition it shares with others;
- a reader receives exactly the value that satisfied it, even when later
  writes follow before it runs;
- a cancelled `get()` stops counting as a waiting read (none leaks);
- `has_waiting_read` waits afresh each time it is awaited;
- `condition` is a `Cs.Condition`. Passing any other object, such as an
  `asyncio.Condition`, gives every accessor made with that object one shared
  `Cs.Condition`;
- a predicate is called with the value (one that takes no argument, such as
  the module's `lambda: True`, is called without).
"""

import inspect
import weakref

import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs  # noqa: E402

__all__ = ['accessor', 'condition_property']

# any other object given as a condition → the Cs.Condition of its group
_conditions = weakref.WeakKeyDictionary()


def _cs_condition(condition):
    if condition is None or isinstance(condition, Cs.Condition):
        return condition
    group = _conditions.get(condition)
    if group is None:
        group = _conditions[condition] = Cs.Condition.new()
    return group


def _of_value(predicate):
    """A predicate called with the value. The Python module's predicates may
    also take no argument (its documentation passes `lambda: True`, as
    asyncio.Condition.wait_for() calls them): those are called without."""
    if predicate is None:
        return None
    try:
        parameters = inspect.signature(predicate).parameters.values()
    except (TypeError, ValueError):
        return predicate
    takes_one = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
                    for p in parameters)
    return predicate if takes_one else (lambda value: predicate())


class _WaitingRead:
    """`accessor.has_waiting_read`: awaiting it waits until a reader waits (at
    once if one does); each await waits afresh. It is true while a reader
    waits."""

    def __init__(self, cs_accessor):
        self._accessor = cs_accessor

    def __await__(self):
        return self._accessor.wait_for_read().__await__()

    def __bool__(self):
        return self._accessor.has_waiting_read()


class accessor:
    """An accessor provides easy shared access to a resource.

    accessor(*, funcs=None, condition=None, name=None): without `funcs`, it
    gets and sets a private value (None at first); with `funcs=(fget, fset)`,
    `fget()` returns the value and `fset(value)` stores it, and may raise: the
    exception comes out of `set()`. `condition` groups accessors: a predicate
    of a reader of one is checked again when any of them is written. `name` is
    for debugging.

    The value may be any Python object. The accessor belongs to the GLib main
    context of the thread that makes it (or of its condition).
    """

    def __init__(self, *, funcs=None, condition=None, name=None):
        self.name = name
        self.condition = _cs_condition(condition)
        if funcs is None:
            self._accessor = Cs.Accessor(None, name=name, condition=self.condition)
            self.fget = lambda: self._accessor.value
            self.fset = self._accessor.set_sync
        else:
            self.fget, self.fset = funcs
            self._accessor = Cs.Accessor(None, name=name, condition=self.condition,
                                         funcs=funcs)
        # a new one when none was given
        self.condition = self._accessor.get_condition()

    @property
    def value(self):
        """The value produced by fget, now, without waiting."""
        return self._accessor.value

    @property
    def has_waiting_read(self):
        """Awaitable: until a `get()` is waiting."""
        return _WaitingRead(self._accessor)

    async def set(self, value, wait_for_read=False):
        """Sets the value (using fset) and wakes the readers it concerns.

        With `wait_for_read`, the value is set only once a reader waits, and
        reaches that reader: a write waiting for a read."""
        await self._accessor.set(value, wait_for_read=wait_for_read)

    async def get(self, *, predicate=None, wait_for_write=None):
        """The value produced by fget, once available.

        Without `predicate`, the value of the next write. With one, the
        current value if it passes, else the first written value that passes.
        `wait_for_write=True` ignores the current value; `False` takes it
        (without a predicate: at once). Raises ValueError if `predicate` is
        not callable, and what the predicate raises."""
        if predicate is not None and not callable(predicate):
            raise ValueError('predicate must be a callable, not %r' % (predicate,))
        return await self._accessor.get(_of_value(predicate), wait_for_write=wait_for_write)

    def __repr__(self):
        return '<accessor %s %r>' % (self.name or hex(id(self)), self.value)


class condition_property:
    """A decorator that creates a cached accessor per instance.

    Used like `property`: the getter (and setter, deleter) are methods of the
    class; reading the attribute gives the instance's accessor, made on first
    use, whose funcs are the bound getter and setter. Deleting the attribute
    calls the deleter, if any, and closes and forgets the accessor.
    """

    def __init__(self, fget=None, fset=None, fdel=None, doc=None):
        self.fget = fget
        self.fset = fset
        self.fdel = fdel
        self.__doc__ = doc if doc is not None else getattr(fget, '__doc__', None)
        self.attrname = getattr(fget, '__name__', None)

    def __set_name__(self, owner, name):
        self.attrname = name

    def getter(self, fget):
        return type(self)(fget, self.fset, self.fdel, self.__doc__)

    def setter(self, fset):
        return type(self)(self.fget, fset, self.fdel, self.__doc__)

    def deleter(self, fdel):
        return type(self)(self.fget, self.fset, fdel, self.__doc__)

    def _key(self):
        return '_condition_property_' + self.attrname

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.fget is None:
            raise AttributeError('condition_property %r has no getter' % self.attrname)
        cached = instance.__dict__.get(self._key())
        if cached is None:
            fset = self.fset.__get__(instance) if self.fset is not None else None
            cached = accessor(funcs=(self.fget.__get__(instance), fset), name=self.attrname)
            instance.__dict__[self._key()] = cached
        return cached

    def __set__(self, instance, value):
        raise AttributeError('condition_property %r: write through its accessor, '
                             'await obj.%s.set(value)' % (self.attrname, self.attrname))

    def __delete__(self, instance):
        if self.fdel is not None:
            self.fdel(instance)
        cached = instance.__dict__.pop(self._key(), None)
        if cached is not None:
            cached._accessor.close()
