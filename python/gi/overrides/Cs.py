# Cs.py — the PyGObject override of codestare (Cs-1.0): awaitable accessors
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Loaded by PyGObject with `from gi.repository import Cs`. It adds what the
# C API cannot say in Python:
#
#   acc = Cs.Accessor(int)                       # or a GType, a GObject class;
#   acc = Cs.Accessor(funcs=(fget, fset))        # no type: any Python object
#   value = await acc.get(lambda v: v >= 30)      # the predicate may raise
#   await acc.set(3, wait_for_read=False)         # so may fset
#   await acc.wait_for_read()
#   acc.value                                     # the current value, now
#
#   class Download(GObject.Object):
#       progress = Cs.ConditionProperty(float)   # a GObject property whose
#                                                 # attribute is its accessor
#
# The awaitables need an asyncio event loop that runs the GLib main context:
# gbulb's (python3-gbulb: gbulb.install()) or, with PyGObject >= 3.50, the one
# of gi.events.GLibEventLoopPolicy. Exceptions raised by predicates and by
# fset come out of the await with their own type and message.

import asyncio
import collections
import contextlib
import itertools
import sys
import threading

from gi.repository import GLib, GObject, Gio

from ..module import get_introspection_module
from ..overrides import override

Cs = get_introspection_module('Cs')

__all__ = []

_GET_ASYNC = Cs.Accessor.get_async
_GET_FINISH = Cs.Accessor.get_finish
_SET_ASYNC = Cs.Accessor.set_async
_SET_FINISH = Cs.Accessor.set_finish
_WAIT_ASYNC = Cs.Accessor.wait_for_read_async
_WAIT_FINISH = Cs.Accessor.wait_for_read_finish
_GET_SYNC = Cs.Accessor.get
_SET_SYNC = Cs.Accessor.set


class _Exceptions:
    """Python exceptions on their way through C, each with its own operation.

    A writer (fset) or a shared Cs.Predicate that raises leaves its exception
    here and raises a GLib.Error of this domain instead, whose code is the
    exception's ticket; the operation that fails with it takes the exception
    back. An exception nobody takes (a read made with the plain callback API,
    which gets the GLib.Error) is dropped once KEEP newer ones came. A
    predicate given to get() as a callable keeps its exception with its own
    read instead (_OwnRead), so any number of them may fail at once."""

    DOMAIN = 'codestare-python-exception'
    KEEP = 4096

    def __init__(self):
        self._lock = threading.Lock()
        self._tickets = itertools.count(1)
        self._waiting = collections.OrderedDict()

    @classmethod
    def error(cls, exc, code):
        message = '%s: %s' % (type(exc).__name__, exc)
        return GLib.Error.new_literal(GLib.quark_from_string(cls.DOMAIN), message, code)

    def error_for(self, exc):
        with self._lock:
            ticket = next(self._tickets) % 0x7fffffff or 1
            self._waiting[ticket] = exc
            while len(self._waiting) > self.KEEP:
                self._waiting.popitem(last=False)
        return self.error(exc, ticket)

    def take(self, error):
        """The exception behind @error, or @error itself."""
        if error.domain != self.DOMAIN:
            return error
        with self._lock:
            exc = self._waiting.pop(error.code, None)
        return exc if exc is not None else error


_exceptions = _Exceptions()


def _python_predicate(func, own=None):
    """@func as the C API's predicate function. What it raises goes by ticket
    (_exceptions), or, with @own, stays there for its one read."""
    def test(value, *user_data):
        try:
            return bool(func(value))
        except GLib.Error:
            raise
        except Exception as exc:
            raise (own.keep(exc) if own is not None else _exceptions.error_for(exc)) from None
    return test


class _OwnRead:
    """The exception of a predicate that judges one read only (a callable
    given to get()): it stays here, for that read (code 0: no ticket)."""

    def __init__(self):
        self.raised = None

    def keep(self, exc):
        self.raised = exc
        return _Exceptions.error(exc, 0)

    def take(self, error):
        if error.domain == _Exceptions.DOMAIN and error.code == 0 and self.raised is not None:
            exc, self.raised = self.raised, None
            return exc
        return _exceptions.take(error)


def _gtype_of(value_type):
    """The GType an accessor of @value_type holds: `int` is a 64-bit integer,
    `float` a double, no type at all any Python object."""
    if value_type is None:
        return GObject.TYPE_PYOBJECT
    if isinstance(value_type, GObject.GType):
        return value_type
    simple = {
        bool: GObject.TYPE_BOOLEAN,
        int: GObject.TYPE_INT64,
        float: GObject.TYPE_DOUBLE,
        str: GObject.TYPE_STRING,
        object: GObject.TYPE_PYOBJECT,
    }
    if value_type in simple:
        return simple[value_type]
    gtype = getattr(value_type, '__gtype__', None)
    if isinstance(gtype, GObject.GType):
        return gtype
    raise TypeError('an accessor holds values of a GType, a GObject class, bool, int, '
                    'float or str, or, without a type, any Python object; not %r'
                    % (value_type,))


def _gvalue(gtype, value):
    """@value as a GValue for an accessor of @gtype, made here: PyGObject
    would guess a 32-bit int for any Python int, and GObject.Value (gtype, v)
    would truncate a float written to an int. A Python number goes as the
    widest GValue of its kind, for the library to convert it exactly or
    refuse it (CS_ACCESSOR_ERROR_INVALID_VALUE), as for every language."""
    if isinstance(value, GObject.Value):
        return value
    if gtype == GObject.TYPE_PYOBJECT:
        return GObject.Value(GObject.TYPE_PYOBJECT, value)
    if value is None:
        # GObject.Value (gtype, None) of a number would hold 0: None is no
        # number, so it goes as what it is, for the library to refuse
        if gtype.fundamental in _NOT_NULLABLE:
            return GObject.Value(GObject.TYPE_POINTER, None)
        return GObject.Value(gtype, None)
    if isinstance(value, (GObject.GEnum, GObject.GFlags)):
        return GObject.Value(value.__gtype__, value)
    if isinstance(value, bool):
        return GObject.Value(GObject.TYPE_BOOLEAN, value)
    if isinstance(value, int):
        number = int(value)
        if -2 ** 63 <= number < 2 ** 63:
            return GObject.Value(GObject.TYPE_INT64, number)
        if 0 <= number < 2 ** 64:
            return GObject.Value(GObject.TYPE_UINT64, number)
        return GObject.Value(GObject.TYPE_PYOBJECT, value)
    if isinstance(value, float):
        return GObject.Value(GObject.TYPE_DOUBLE, value)
    if isinstance(value, str):
        return GObject.Value(GObject.TYPE_STRING, value)
    try:
        return GObject.Value(gtype, value)
    except (TypeError, OverflowError, ValueError):
        return GObject.Value(GObject.TYPE_PYOBJECT, value)


# the fundamental types whose values cannot be NULL
_NOT_NULLABLE = frozenset((
    GObject.TYPE_CHAR, GObject.TYPE_UCHAR, GObject.TYPE_BOOLEAN, GObject.TYPE_INT,
    GObject.TYPE_UINT, GObject.TYPE_LONG, GObject.TYPE_ULONG, GObject.TYPE_INT64,
    GObject.TYPE_UINT64, GObject.TYPE_ENUM, GObject.TYPE_FLAGS, GObject.TYPE_FLOAT,
    GObject.TYPE_DOUBLE,
))


def _running_glib_loop():
    """The running asyncio loop, if it runs on GLib; a clear error if not."""
    loop = asyncio.get_running_loop()
    module = type(loop).__module__ or ''
    if module.split('.')[0] == 'gbulb' or module.startswith('gi.events'):
        return loop
    raise RuntimeError(
        'codestare needs an asyncio event loop that runs the GLib main context, '
        'but this one is %r: install one before asyncio.run(), with gbulb.install() '
        '(Debian: python3-gbulb), or, with PyGObject 3.50 or later, with '
        'asyncio.set_event_loop_policy(gi.events.GLibEventLoopPolicy())' % (loop,))


def _loop_context(loop):
    """The GLib main context @loop runs (gbulb runs a context of its own for
    every loop but the first of the main thread)."""
    context = getattr(loop, '_context', None)
    return context if isinstance(context, GLib.MainContext) else GLib.MainContext.default()


@contextlib.contextmanager
def _in_context(context):
    """Makes @context the thread-default main context meanwhile, so that what
    starts here belongs to it and calls back there."""
    current = GLib.MainContext.get_thread_default() or GLib.MainContext.default()
    if context == current:
        yield
        return
    context.push_thread_default()
    try:
        yield
    finally:
        context.pop_thread_default()


def _await(start, finish, accessor, *args, take=_exceptions.take):
    """Runs one asynchronous call as an asyncio future: its result, or its
    error (a Python exception as it was raised); cancelling the future
    cancels the call. The callback comes in the loop's GLib context."""
    loop = _running_glib_loop()
    future = loop.create_future()
    cancellable = Gio.Cancellable()

    def done(source, result, *user_data):
        try:
            value = finish(source, result)
        except GLib.Error as error:
            if not future.done():
                future.set_exception(take(error))
            return
        if not future.done():
            future.set_result(value)

    def cancelled(future):
        if future.cancelled():
            cancellable.cancel()

    future.add_done_callback(cancelled)
    with _in_context(_loop_context(loop)):
        start(accessor, *args, cancellable, done)
    return future


def _running_loop_context():
    """The GLib context of the running GLib-driven asyncio loop, if any."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    module = type(loop).__module__ or ''
    if module.split('.')[0] == 'gbulb' or module.startswith('gi.events'):
        return _loop_context(loop)
    return None


def _predicate(predicate):
    if predicate is None or isinstance(predicate, Cs.Predicate):
        return predicate
    if not callable(predicate):
        raise ValueError('a predicate is a callable or a Cs.Predicate, not %r' % (predicate,))
    return Predicate.new(predicate)


def _own_predicate(predicate):
    """(predicate, take) for one read: a callable keeps what it raises with
    that read (_OwnRead); a Cs.Predicate may be shared, so goes by ticket."""
    if predicate is None or isinstance(predicate, Cs.Predicate) or not callable(predicate):
        return _predicate(predicate), _exceptions.take
    own = _OwnRead()
    return Cs.Predicate.new(_python_predicate(predicate, own)), own.take


def _get_flags(wait_for_write):
    if wait_for_write is None:
        return Cs.GetFlags.NONE
    return Cs.GetFlags.WAIT_FOR_WRITE if wait_for_write else Cs.GetFlags.NO_WAIT_FOR_WRITE


class Predicate(Cs.Predicate):
    """The test a reader waits for: any callable of the value. What it raises
    fails its read with the same exception."""

    @classmethod
    def new(cls, func, *user_data):
        return Cs.Predicate.new(_python_predicate(func), *user_data)


Predicate = override(Predicate)
__all__.append('Predicate')


class Accessor(Cs.Accessor):
    """A value that coroutines can await (`codestare.async_utils.accessor`).

    Accessor(value_type=None, *, name=None, condition=None, funcs=None):
    @value_type is a Python type (bool, int (64 bits), float, str, a GObject
    class) or a GType; without one the accessor holds any Python object.
    @funcs is (fget, fset): fget() returns the value, fset(value) stores it and
    may raise, which fails the write with that exception (returning False
    rejects it too, with CS_ACCESSOR_ERROR_FAILED).

    The blocking calls of the C API, for worker threads, are get_sync() and
    set_sync(); get() and set() are coroutines."""

    def __new__(cls, value_type=None, *, name=None, condition=None, funcs=None):
        # made in a coroutine, it belongs to the context the loop runs
        context = _running_loop_context()
        if context is not None:
            with _in_context(context):
                return cls._make(value_type, name, condition, funcs)
        return cls._make(value_type, name, condition, funcs)

    @staticmethod
    def _make(value_type, name, condition, funcs):
        gtype = _gtype_of(value_type)
        if funcs is None:
            return Cs.Accessor.new_full(gtype, name, condition)

        fget, fset = funcs

        def read(*user_data):
            # converted as a write of it would be: exactly, or not at all
            return _gvalue(gtype, fget())

        def write(value, *user_data):
            try:
                stored = fset(value)
            except GLib.Error:
                raise
            except Exception as exc:
                raise _exceptions.error_for(exc) from None
            # a writer in the C API's style says no with False
            if stored is False:
                raise GLib.Error.new_literal(Cs.accessor_error_quark(),
                                             'The writer of accessor “%s” rejected the value'
                                             % (name or '(unnamed)'),
                                             int(Cs.AccessorError.FAILED))
            return True

        return Cs.Accessor.new_with_funcs(gtype, name, condition,
                                          read=read, write=write if fset is not None else None)

    def __init__(self, *args, **kwargs):
        # made in __new__, by a C constructor
        pass

    @classmethod
    def new_with_funcs(cls, value_type, name=None, condition=None, read=None, write=None):
        """The C constructor for custom readers and writers, with Python
        callables: read() returns the value, write(value) stores it and may
        raise (see funcs= of the constructor)."""
        return cls(value_type, name=name, condition=condition,
                   funcs=(read, write) if read is not None else None)

    @classmethod
    def new_full(cls, value_type, name=None, condition=None, read=None, write=None,
                 *user_data):
        """As new_with_funcs(); the C function's user_data, if any, is passed
        to read and write after their own arguments."""
        if read is None:
            return cls(value_type, name=name, condition=condition)
        fget = (lambda: read(*user_data))
        fset = (lambda value: write(value, *user_data)) if write is not None else None
        return cls(value_type, name=name, condition=condition, funcs=(fget, fset))

    @property
    def value(self):
        """The current value, without waiting."""
        return self.dup_value()

    async def get(self, predicate=None, *, wait_for_write=None):
        """Awaitable: the next value written, or the first one @predicate (a
        callable, or a Cs.Predicate) accepts; @wait_for_write as in the Python
        module codestare.async_utils."""
        predicate, take = _own_predicate(predicate)
        return await _await(_GET_ASYNC, _GET_FINISH, self, predicate,
                            _get_flags(wait_for_write), take=take)

    async def set(self, value, *, wait_for_read=False):
        """Awaitable: writes @value; with @wait_for_read, once a reader waits."""
        flags = Cs.SetFlags.WAIT_FOR_READ if wait_for_read else Cs.SetFlags.NONE
        await _await(_SET_ASYNC, _SET_FINISH, self, _gvalue(self.props.value_type, value), flags)

    async def wait_for_read(self):
        """Awaitable: until a reader is waiting."""
        await _await(_WAIT_ASYNC, _WAIT_FINISH, self)

    def get_sync(self, predicate=None, flags=Cs.GetFlags.NONE, cancellable=None):
        """The blocking read of the C API (cs_accessor_get()), for worker
        threads."""
        predicate, take = _own_predicate(predicate)
        try:
            return _GET_SYNC(self, predicate, flags, cancellable)
        except GLib.Error as error:
            raise take(error) from None

    def set_sync(self, value, flags=Cs.SetFlags.NONE, cancellable=None):
        """The blocking write of the C API (cs_accessor_set()), for worker
        threads."""
        try:
            return _SET_SYNC(self, _gvalue(self.props.value_type, value), flags, cancellable)
        except GLib.Error as error:
            raise _exceptions.take(error) from None

    def set_async(self, value, flags, cancellable, callback, *user_data):
        return _SET_ASYNC(self, _gvalue(self.props.value_type, value), flags, cancellable,
                          callback, *user_data)

    def get_async(self, predicate, flags, cancellable, callback, *user_data):
        return _GET_ASYNC(self, _predicate(predicate), flags, cancellable, callback, *user_data)


Accessor = override(Accessor)
__all__.append('Accessor')


class ConditionProperty(GObject.Property):
    """A GObject property that is also awaitable, declared in one line:

        class Download(GObject.Object):
            progress = Cs.ConditionProperty(float, default=0.0)

    It is a real GObject property (notify::progress, bind_property,
    introspection, obj.props.progress); the attribute itself is its accessor
    (Cs.object_get_accessor (obj, 'progress')), as with
    codestare.async_utils.condition_property:

        await download.progress.get(lambda p: p >= 1.0)
        await download.progress.set(0.5)
        download.progress.value

    Assigning to the attribute sets the property. @type int means a 64-bit
    integer, as for Cs.Accessor. It is a property of Python's own: set on a
    worker thread, its notify handlers run there; workers write through the
    accessor (download.progress.set_sync (0.5)), which applies the write in
    the accessor's main context."""

    def __init__(self, type=None, default=None, nick='', blurb='',
                 flags=GObject.ParamFlags.READWRITE, minimum=None, maximum=None):
        # int is a 64-bit integer here too, as for Cs.Accessor (int)
        if type is int:
            type = GObject.TYPE_INT64
        super().__init__(getter=self._get_stored, setter=self._set_stored, type=type,
                         default=default, nick=nick, blurb=blurb, flags=flags,
                         minimum=minimum, maximum=maximum)

    def _key(self):
        return '_cs_condition_property_' + self.name

    def _get_stored(self, instance):
        return instance.__dict__.get(self._key(), self.default)

    def _set_stored(self, instance, value):
        instance.__dict__[self._key()] = value

    def __get__(self, instance, klass=None):
        if instance is None:
            return self
        # PyGObject's getter of Python-defined properties reads the attribute
        # (gi/_propertyhelper.py, obj_get_property): it gets the value
        caller = sys._getframe(1)
        if (caller.f_code.co_name == 'obj_get_property' and
                caller.f_globals.get('__name__') == 'gi._propertyhelper'):
            return self._get_stored(instance)
        return Cs.object_get_accessor(instance, self.name)

    def __set__(self, instance, value):
        instance.set_property(self.name, value)


__all__.append('ConditionProperty')
