#!/usr/bin/python3
# test_accessor.py — CsAccessor through PyGObject
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run against a build tree (PyGObject is only in the system interpreter):
#   GI_TYPELIB_PATH=_build/src LD_LIBRARY_PATH=_build/src \
#       /usr/bin/python3 tests/python/test_accessor.py
#
# PyGObject 3.42 cannot await GI async calls, so every test drives the default
# main loop with callbacks (LoopTestCase.run_until, which fails after 10 s).

import gc
import threading
import unittest

import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs, Gio, GLib, GObject  # noqa: E402

import taptest  # noqa: E402

ERROR_DOMAIN = 'cs-accessor-error-quark'


def get_finish(source, result):
    return source.get_finish(result)


def set_finish(source, result):
    return source.set_finish(result)


def wait_for_read_finish(source, result):
    return source.wait_for_read_finish(result)


class AccessorTestCase(taptest.LoopTestCase):
    def assertCsError(self, error, code):
        self.assertIsInstance(error, GLib.Error)
        self.assertEqual(error.domain, ERROR_DOMAIN)
        self.assertEqual(error.code, int(code), error.message)
        self.assertTrue(error.matches(Cs.accessor_error_quark(), code))

    def assertIOError(self, error, code):
        self.assertIsInstance(error, GLib.Error)
        self.assertTrue(error.matches(Gio.io_error_quark(), code),
                        '%s (%s, %d)' % (error.message, error.domain, error.code))

    def assertOk(self, outcome, expected):
        self.assertIsNotNone(outcome, 'the call did not complete')
        kind, value = outcome
        self.assertEqual(kind, 'ok', 'failed: %r' % (value,))
        self.assertEqual(value, expected)

    def assertFailed(self, outcome):
        self.assertIsNotNone(outcome, 'the call did not complete')
        kind, value = outcome
        self.assertEqual(kind, 'error', 'succeeded with %r' % (value,))
        return value

    def read(self, accessor, predicate=None, flags=Cs.GetFlags.NONE, cancellable=None):
        """Start get_async; returns the dict its outcome lands in (key 'r')."""
        box = {}
        accessor.get_async(predicate, flags, cancellable, self.finisher(get_finish, box, 'r'))
        return box

    def write(self, accessor, value, flags=Cs.SetFlags.NONE, cancellable=None):
        box = {}
        accessor.set_async(value, flags, cancellable, self.finisher(set_finish, box, 'r'))
        return box


# The seed's documentation examples

class Thing:
    """The seed's Thing: a property whose setter rejects falsy values."""

    def __init__(self):
        self._value = None

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, val):
        if not val:
            raise ValueError('Illegal value %r' % (val,))
        self._value = val


class BetterThing(Thing):
    """The seed's BetterThing, with Cs.Accessor.new_with_closures for funcs=(fget, fset)."""

    def __init__(self):
        super().__init__()
        self.value_accessor = Cs.Accessor.new_with_closures(
            GObject.TYPE_INT, 'value', None, self._read, self._write)

    def _read(self):
        return 0 if self.value is None else self.value

    def _write(self, value):
        try:
            self.value = value
        except ValueError:
            return False
        return True


class GThing(GObject.Object):
    """BetterThing the GObject way: the range of the pspec does the validation."""

    value = GObject.Property(type=int, minimum=1, maximum=GLib.MAXINT32, default=1)


class Sensor(GObject.Object):
    reading = GObject.Property(type=str)
    level = GObject.Property(type=int, default=0)
    serial = GObject.Property(type=int, default=4, flags=GObject.ParamFlags.READABLE)


class TestSeedExamples(AccessorTestCase):
    def test_background_reader_gets_bar(self):
        foo = Cs.Accessor.new(GObject.TYPE_STRING)
        background = self.read(foo)
        self.spin()
        self.assertEqual(background, {})
        self.assertEqual(foo.get_n_waiting_reads(), 1)

        written = self.write(foo, 'Bar')
        self.run_until(lambda: 'r' in background and 'r' in written)
        self.assertOk(background['r'], 'Bar')
        self.assertOk(written['r'], True)
        self.assertEqual(foo.get_n_waiting_reads(), 0)

    def test_better_thing_with_closures(self):
        thing = Thing()
        thing.value = 3
        self.assertEqual(thing.value, 3)
        with self.assertRaises(ValueError):
            thing.value = 0

        better_thing = BetterThing()
        accessor = better_thing.value_accessor
        background = self.read(accessor)
        written = self.write(accessor, 3)
        self.run_until(lambda: 'r' in background and 'r' in written)
        self.assertOk(background['r'], 3)
        self.assertOk(written['r'], True)
        self.assertEqual(better_thing.value, 3)
        self.assertEqual(accessor.get_generation(), 1)

        # A rejected write: the error reaches the writer, nothing changes and
        # a waiting reader keeps waiting.
        background = self.read(accessor)
        written = self.write(accessor, 0)
        self.run_until(lambda: 'r' in written)
        self.assertCsError(self.assertFailed(written['r']), Cs.AccessorError.FAILED)
        self.spin()
        self.assertEqual(background, {})
        self.assertEqual(better_thing.value, 3)
        self.assertEqual(accessor.props.value, 3)
        self.assertEqual(accessor.get_generation(), 1)
        self.assertEqual(accessor.get_n_waiting_reads(), 1)

        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync(0, Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.FAILED)

        accessor.close()
        self.run_until(lambda: 'r' in background)
        self.assertCsError(self.assertFailed(background['r']), Cs.AccessorError.CLOSED)

    def test_better_thing_with_new_full(self):
        # funcs=(fget, fset) as the seed has them: the writer's own error
        # reaches the caller unchanged.
        thing = Thing()

        def fget():
            return 0 if thing.value is None else thing.value

        def fset(value):
            try:
                thing.value = value
            except ValueError as e:
                raise GLib.Error(str(e), 'thing-error', 7)
            return True

        accessor = Cs.Accessor.new_full(GObject.TYPE_INT, 'value', None, fget, fset)
        background = self.read(accessor)
        self.assertTrue(accessor.set_sync(3, Cs.SetFlags.NONE, None))
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 3)
        self.assertEqual(thing.value, 3)

        background = self.read(accessor)
        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync(0, Cs.SetFlags.NONE, None)
        self.assertEqual(caught.exception.domain, 'thing-error')
        self.assertEqual(caught.exception.code, 7)
        self.assertEqual(caught.exception.message, 'Illegal value 0')
        self.spin()
        self.assertEqual(background, {})
        self.assertEqual(thing.value, 3)
        self.assertEqual(accessor.get_generation(), 1)
        self.assertEqual(accessor.get_n_waiting_reads(), 1)
        accessor.close()
        self.run_until(lambda: 'r' in background)
        self.assertCsError(self.assertFailed(background['r']), Cs.AccessorError.CLOSED)

    def test_better_thing_with_property(self):
        thing = GThing()
        accessor = Cs.Accessor.new_for_property(thing, 'value')
        self.assertEqual(accessor.get_value_type(), GObject.TYPE_INT)

        background = self.read(accessor)
        written = self.write(accessor, 3)
        self.run_until(lambda: 'r' in background and 'r' in written)
        self.assertOk(background['r'], 3)
        self.assertOk(written['r'], True)
        self.assertEqual(thing.props.value, 3)

        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync(0, Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.INVALID_VALUE)
        self.assertEqual(thing.props.value, 3)
        self.assertEqual(accessor.props.value, 3)


class TestGetSet(AccessorTestCase):
    def test_sync_get_set(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        self.assertEqual(accessor.dup_value(), 0)
        self.assertEqual(accessor.get_generation(), 0)
        self.assertTrue(accessor.set_sync(5, Cs.SetFlags.NONE, None))
        self.assertEqual(accessor.dup_value(), 5)
        self.assertEqual(accessor.get_generation(), 1)
        self.assertEqual(accessor.props.generation, 1)
        self.assertEqual(accessor.get_sync(None, Cs.GetFlags.NO_WAIT_FOR_WRITE, None), 5)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)

    def test_set_gvalue(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        self.assertTrue(accessor.set_sync(GObject.Value(GObject.TYPE_INT, 7), Cs.SetFlags.NONE, None))
        self.assertEqual(accessor.dup_value(), 7)

    def test_construct_properties(self):
        condition = Cs.Condition.new()
        accessor = GObject.new(Cs.Accessor, value_type=GObject.TYPE_STRING, name='mailbox',
                               condition=condition)
        self.assertEqual(accessor.get_name(), 'mailbox')
        self.assertEqual(accessor.props.name, 'mailbox')
        self.assertEqual(accessor.get_value_type(), GObject.TYPE_STRING)
        self.assertIs(accessor.get_condition(), condition)
        self.assertIsNone(accessor.props.value)
        self.assertFalse(accessor.props.closed)
        self.assertIsNotNone(Cs.Accessor.new(GObject.TYPE_INT).get_condition())

    def test_props_value_round_trip(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        self.assertEqual(accessor.props.value, 0)
        accessor.props.value = 5
        self.assertEqual(accessor.props.value, 5)
        self.assertEqual(accessor.get_generation(), 1)

        strings = Cs.Accessor.new(GObject.TYPE_STRING)
        strings.props.value = 'hello'
        self.assertEqual(strings.props.value, 'hello')
        self.assertEqual(strings.dup_value(), 'hello')

    def test_props_value_wakes_reader(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        notified = []
        accessor.connect('notify::value', lambda obj, pspec: notified.append(obj.props.value))
        background = self.read(accessor)
        accessor.props.value = 8
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 8)
        self.assertEqual(notified, [8])

    def test_python_int_into_wide_types(self):
        for gtype, value, expected in (
            (GObject.TYPE_INT64, 42, 42),
            (GObject.TYPE_INT64, -42, -42),
            (GObject.TYPE_UINT64, 42, 42),
            (GObject.TYPE_DOUBLE, 3, 3.0),
            (GObject.TYPE_UINT, 7, 7),
        ):
            with self.subTest(gtype=gtype.name, value=value):
                accessor = Cs.Accessor.new(gtype)
                self.assertTrue(accessor.set_sync(value, Cs.SetFlags.NONE, None))
                self.assertEqual(accessor.props.value, expected)
                self.assertIsInstance(accessor.props.value, type(expected))
                accessor.props.value = value + 1
                self.assertEqual(accessor.props.value, expected + 1)

    def test_wide_values_as_gvalue(self):
        for gtype, value in (
            (GObject.TYPE_INT64, 2 ** 40),
            (GObject.TYPE_INT64, -2 ** 62),
            (GObject.TYPE_UINT64, 2 ** 64 - 1),
        ):
            with self.subTest(gtype=gtype.name, value=value):
                accessor = Cs.Accessor.new(gtype)
                self.assertTrue(accessor.set_sync(GObject.Value(gtype, value), Cs.SetFlags.NONE, None))
                self.assertEqual(accessor.props.value, value)
        accessor = Cs.Accessor.new(GObject.TYPE_DOUBLE)
        self.assertTrue(accessor.set_sync(GObject.Value(GObject.TYPE_INT64, 2 ** 53),
                                     Cs.SetFlags.NONE, None))
        self.assertEqual(accessor.props.value, 2.0 ** 53)

    def test_plain_python_int_beyond_int32(self):
        # PyGObject 3.42 alone turns a plain int given for a GValue argument
        # into a G_TYPE_INT GValue, and raises OverflowError for 2 ** 40; the
        # override builds the GValue of the accessor's type itself.
        accessor = Cs.Accessor.new(GObject.TYPE_INT64)
        self.assertTrue(accessor.set_sync(2 ** 40, Cs.SetFlags.NONE, None))
        self.assertEqual(accessor.props.value, 2 ** 40)
        self.assertEqual(accessor.props.generation, 1)

        # a number the type cannot hold is the library's INVALID_VALUE
        small = Cs.Accessor.new(GObject.TYPE_INT)
        with self.assertRaises(GLib.Error) as caught:
            small.set_sync(2 ** 40, Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.INVALID_VALUE)
        self.assertEqual(small.props.value, 0)
        self.assertEqual(small.props.generation, 0)

    def test_numbers_that_do_not_fit(self):
        for gtype, value in (
            (GObject.TYPE_UINT64, -1),
            (GObject.TYPE_UINT, -1),
            (GObject.TYPE_INT, 2.5),
            (GObject.TYPE_INT, 'x'),
            (GObject.TYPE_DOUBLE, GObject.Value(GObject.TYPE_INT64, 2 ** 53 + 1)),
        ):
            with self.subTest(gtype=gtype.name, value=value):
                accessor = Cs.Accessor.new(gtype)
                with self.assertRaises(GLib.Error) as caught:
                    accessor.set_sync(value, Cs.SetFlags.NONE, None)
                self.assertCsError(caught.exception, Cs.AccessorError.INVALID_VALUE)
                self.assertEqual(accessor.get_generation(), 0)

    def test_object_values(self):
        accessor = Cs.Accessor.new(Gio.Cancellable.__gtype__)
        self.assertIsNone(accessor.props.value)
        cancellable = Gio.Cancellable()
        background = self.read(accessor)
        accessor.set_sync(cancellable, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], cancellable)
        self.assertIs(accessor.props.value, cancellable)
        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync(Sensor(), Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.INVALID_VALUE)
        self.assertIs(accessor.dup_value(), cancellable)

        # A subtype is accepted.
        objects = Cs.Accessor.new(GObject.TYPE_OBJECT)
        sensor = Sensor()
        objects.props.value = sensor
        self.assertIs(objects.props.value, sensor)

    def test_default_read_waits_for_next_write(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        background = self.read(accessor)
        self.spin()
        self.assertEqual(background, {})
        self.assertTrue(accessor.has_waiting_read())
        self.assertEqual(accessor.props.n_waiting_reads, 1)
        accessor.set_sync(6, Cs.SetFlags.NONE, None)
        accessor.set_sync(7, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 6)
        self.assertFalse(accessor.has_waiting_read())

    def test_has_waiting_read_notifies(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        seen = []
        accessor.connect('notify::has-waiting-read',
                         lambda obj, pspec: seen.append(obj.props.has_waiting_read))
        background = self.read(accessor)
        accessor.set_sync(1, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 1)
        self.assertEqual(seen, [True, False])

    def test_blocking_get_on_owner_thread_would_block(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        with self.assertRaises(GLib.Error) as caught:
            accessor.get_sync(None, Cs.GetFlags.NONE, None)
        self.assertIOError(caught.exception, Gio.IOErrorEnum.WOULD_BLOCK)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)

    def test_blocking_get_in_worker_thread(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        box = {}

        def worker():
            try:
                box['r'] = ('ok', accessor.get_sync(None, Cs.GetFlags.NONE, None))
            except GLib.Error as error:
                box['r'] = ('error', error)
            GLib.idle_add(lambda: self.poke() and False)

        waited = {}
        accessor.wait_for_read_async(None, self.finisher(wait_for_read_finish, waited, 'r'))
        thread = threading.Thread(target=worker)
        thread.start()
        self.run_until(lambda: 'r' in waited, 'the worker to start reading')
        self.assertOk(waited['r'], True)
        accessor.set_sync(11, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in box, 'the worker to read')
        thread.join(10)
        self.assertOk(box['r'], 11)


class TestPredicates(AccessorTestCase):
    def test_predicate_evaluate(self):
        predicate = Cs.Predicate.new(lambda v: v > 3)
        self.assertTrue(predicate.evaluate(4))
        self.assertFalse(predicate.evaluate(3))

    def test_predicate_sees_every_write(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        seen = []

        def at_least_three(value):
            seen.append(value)
            return value >= 3

        background = self.read(accessor, Cs.Predicate.new(at_least_three))
        for value in (1, 2, 3, 4):
            accessor.set_sync(value, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        # The exact value that matched, not the later 4.
        self.assertOk(background['r'], 3)
        self.assertEqual([v for v in seen if v != 0][:3], [1, 2, 3])
        self.assertNotIn(4, seen)

    def test_predicate_matching_now_completes_at_once(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        background = self.read(accessor, Cs.Predicate.new(lambda v: v > 3))
        self.assertEqual(accessor.get_n_waiting_reads(), 0)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 5)
        self.assertEqual(accessor.get_generation(), 1)

    def test_new_equal_with_plain_value(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        background = self.read(accessor, Cs.Predicate.new_equal(4))
        for value in (1, 2, 3, 4, 5):
            accessor.set_sync(value, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 4)

    def test_new_equal_with_gvalue(self):
        predicate = Cs.Predicate.new_equal(GObject.Value(GObject.TYPE_STRING, 'go'))
        self.assertTrue(predicate.evaluate('go'))
        self.assertFalse(predicate.evaluate('stop'))
        accessor = Cs.Accessor.new(GObject.TYPE_STRING)
        background = self.read(accessor, predicate)
        for value in ('wait', 'stop', 'go', 'wait'):
            accessor.set_sync(value, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 'go')

    def test_new_not_equal(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        background = self.read(accessor, Cs.Predicate.new_not_equal(0))
        self.spin()
        self.assertEqual(background, {})
        accessor.set_sync(0, Cs.SetFlags.NONE, None)
        accessor.set_sync(9, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 9)

    def test_condition_group(self):
        condition = Cs.Condition.new()
        a = GObject.new(Cs.Accessor, value_type=GObject.TYPE_INT, name='a', condition=condition)
        b = GObject.new(Cs.Accessor, value_type=GObject.TYPE_INT, name='b', condition=condition)
        # A predicate on a that looks at b: a write to b re-checks it.
        background = self.read(a, Cs.Predicate.new(lambda v: b.props.value == 2))
        b.set_sync(1, Cs.SetFlags.NONE, None)
        self.spin()
        self.assertEqual(background, {})
        b.set_sync(2, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 0)

    def test_condition_notify_all(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        outside = {'ready': False}
        background = self.read(accessor, Cs.Predicate.new(lambda v: outside['ready']))
        self.spin()
        self.assertEqual(background, {})
        outside['ready'] = True
        accessor.get_condition().notify_all()
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 0)
        self.assertEqual(accessor.get_generation(), 0)


class TestFlags(AccessorTestCase):
    def test_wait_for_write_ignores_current_value(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        background = self.read(accessor, Cs.Predicate.new(lambda v: v > 3),
                               Cs.GetFlags.WAIT_FOR_WRITE)
        self.spin()
        self.assertEqual(background, {})
        accessor.set_sync(2, Cs.SetFlags.NONE, None)
        self.spin()
        self.assertEqual(background, {})
        accessor.set_sync(7, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 7)

    def test_wait_for_write_alone_is_default_read(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        background = self.read(accessor, None, Cs.GetFlags.WAIT_FOR_WRITE)
        self.spin()
        self.assertEqual(background, {})
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 5)
        self.assertEqual(accessor.get_generation(), 2)

    def test_no_wait_for_write_alone(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(5, Cs.SetFlags.NONE, None)
        background = self.read(accessor, None, Cs.GetFlags.NO_WAIT_FOR_WRITE)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 5)

    def test_no_wait_for_write_with_predicate(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(1, Cs.SetFlags.NONE, None)
        background = self.read(accessor, Cs.Predicate.new(lambda v: v == 3),
                               Cs.GetFlags.NO_WAIT_FOR_WRITE)
        self.spin()
        self.assertEqual(background, {})
        accessor.set_sync(3, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 3)

    def test_both_get_flags_invalid_argument(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        both = Cs.GetFlags.WAIT_FOR_WRITE | Cs.GetFlags.NO_WAIT_FOR_WRITE
        background = self.read(accessor, Cs.Predicate.new(lambda v: True), both)
        self.run_until(lambda: 'r' in background)
        self.assertIOError(self.assertFailed(background['r']), Gio.IOErrorEnum.INVALID_ARGUMENT)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)
        with self.assertRaises(GLib.Error) as caught:
            accessor.get_sync(None, both, None)
        self.assertIOError(caught.exception, Gio.IOErrorEnum.INVALID_ARGUMENT)


class TestWaitForRead(AccessorTestCase):
    def test_wait_for_read_async(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        first = {}
        accessor.wait_for_read_async(None, self.finisher(wait_for_read_finish, first, 'r'))
        self.spin()
        self.assertEqual(first, {})

        background = self.read(accessor)
        self.run_until(lambda: 'r' in first)
        self.assertOk(first['r'], True)

        # Each call waits afresh; one is pending now, so this one completes.
        second = {}
        accessor.wait_for_read_async(None, self.finisher(wait_for_read_finish, second, 'r'))
        self.run_until(lambda: 'r' in second)
        self.assertOk(second['r'], True)

        accessor.set_sync(1, Cs.SetFlags.NONE, None)
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 1)

        cancellable = Gio.Cancellable()
        third = {}
        accessor.wait_for_read_async(cancellable,
                                     self.finisher(wait_for_read_finish, third, 'r'))
        self.spin()
        self.assertEqual(third, {})
        cancellable.cancel()
        self.run_until(lambda: 'r' in third)
        self.assertIOError(self.assertFailed(third['r']), Gio.IOErrorEnum.CANCELLED)

    def test_handoff_three_values_in_order(self):
        accessor = Cs.Accessor.new(GObject.TYPE_STRING)
        parcels = ['apple', 'banana', 'cherry']
        delivered = []
        for parcel in parcels:
            accessor.set_async(parcel, Cs.SetFlags.WAIT_FOR_READ, None,
                               self.finisher(set_finish, delivered))
        self.spin()
        self.assertEqual(delivered, [])
        self.assertEqual(accessor.get_generation(), 0)
        self.assertIsNone(accessor.props.value)

        received = []

        def on_received(source, result):
            try:
                received.append(source.get_finish(result))
            except GLib.Error as error:
                received.append(error)
            if len(received) < len(parcels):
                source.get_async(None, Cs.GetFlags.NONE, None, on_received)
            self.poke()

        accessor.get_async(None, Cs.GetFlags.NONE, None, on_received)
        self.run_until(lambda: len(received) == 3 and len(delivered) == 3)
        self.assertEqual(received, parcels)
        self.assertEqual(delivered, [('ok', True)] * 3)
        self.assertEqual(accessor.get_generation(), 3)
        self.assertEqual(accessor.props.value, 'cherry')
        self.assertEqual(accessor.get_n_waiting_reads(), 0)


class TestCancellation(AccessorTestCase):
    def test_cancel_read(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        cancellable = Gio.Cancellable()
        background = self.read(accessor, None, Cs.GetFlags.NONE, cancellable)
        self.spin()
        self.assertEqual(accessor.get_n_waiting_reads(), 1)
        cancellable.cancel()
        self.run_until(lambda: 'r' in background)
        self.assertIOError(self.assertFailed(background['r']), Gio.IOErrorEnum.CANCELLED)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)
        self.assertTrue(accessor.set_sync(1, Cs.SetFlags.NONE, None))
        self.assertEqual(accessor.get_generation(), 1)

    def test_already_cancelled_read(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        cancellable = Gio.Cancellable()
        cancellable.cancel()
        background = self.read(accessor, None, Cs.GetFlags.NONE, cancellable)
        self.run_until(lambda: 'r' in background)
        self.assertIOError(self.assertFailed(background['r']), Gio.IOErrorEnum.CANCELLED)
        self.assertEqual(accessor.get_n_waiting_reads(), 0)

    def test_cancel_handoff_write(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        cancellable = Gio.Cancellable()
        written = self.write(accessor, 4, Cs.SetFlags.WAIT_FOR_READ, cancellable)
        self.spin()
        self.assertEqual(written, {})
        cancellable.cancel()
        self.run_until(lambda: 'r' in written)
        self.assertIOError(self.assertFailed(written['r']), Gio.IOErrorEnum.CANCELLED)

        # The cancelled write is gone: a reader arriving now still waits.
        background = self.read(accessor)
        self.spin()
        self.assertEqual(background, {})
        self.assertEqual(accessor.get_generation(), 0)
        self.assertEqual(accessor.props.value, 0)
        accessor.close()
        self.run_until(lambda: 'r' in background)
        self.assertCsError(self.assertFailed(background['r']), Cs.AccessorError.CLOSED)


class TestErrors(AccessorTestCase):
    def test_close(self):
        reading = Cs.Accessor.new(GObject.TYPE_INT)
        background = self.read(reading)
        writing = Cs.Accessor.new(GObject.TYPE_INT)
        written = self.write(writing, 1, Cs.SetFlags.WAIT_FOR_READ)
        self.spin()
        self.assertEqual((background, written), ({}, {}))

        closed = []
        reading.connect('notify::closed', lambda obj, pspec: closed.append(obj.props.closed))
        reading.close()
        writing.close()
        self.run_until(lambda: 'r' in background and 'r' in written)
        self.assertCsError(self.assertFailed(background['r']), Cs.AccessorError.CLOSED)
        self.assertCsError(self.assertFailed(written['r']), Cs.AccessorError.CLOSED)
        self.assertTrue(reading.is_closed())
        self.assertTrue(reading.props.closed)
        self.assertEqual(closed, [True])
        self.assertEqual(reading.get_n_waiting_reads(), 0)
        self.assertEqual(writing.get_generation(), 0)

        # Everything later fails too.
        later_read = self.read(reading, Cs.Predicate.new(lambda v: True))
        later_write = self.write(reading, 2)
        later_wait = {}
        reading.wait_for_read_async(None, self.finisher(wait_for_read_finish, later_wait, 'r'))
        self.run_until(lambda: 'r' in later_read and 'r' in later_write and 'r' in later_wait)
        self.assertCsError(self.assertFailed(later_read['r']), Cs.AccessorError.CLOSED)
        self.assertCsError(self.assertFailed(later_write['r']), Cs.AccessorError.CLOSED)
        self.assertCsError(self.assertFailed(later_wait['r']), Cs.AccessorError.CLOSED)
        for call in (lambda: reading.set_sync(2, Cs.SetFlags.NONE, None),
                     lambda: reading.get_sync(None, Cs.GetFlags.NO_WAIT_FOR_WRITE, None)):
            with self.assertRaises(GLib.Error) as caught:
                call()
            self.assertCsError(caught.exception, Cs.AccessorError.CLOSED)

    def test_invalid_value_str_into_int(self):
        accessor = Cs.Accessor.new(GObject.TYPE_INT)
        accessor.set_sync(3, Cs.SetFlags.NONE, None)
        background = self.read(accessor)
        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync('three', Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.INVALID_VALUE)
        written = self.write(accessor, 'three')
        self.run_until(lambda: 'r' in written)
        self.assertCsError(self.assertFailed(written['r']), Cs.AccessorError.INVALID_VALUE)
        self.spin()
        self.assertEqual(background, {})
        self.assertEqual(accessor.props.value, 3)
        self.assertEqual(accessor.get_generation(), 1)
        accessor.close()
        self.run_until(lambda: 'r' in background)

    def test_read_only_closures(self):
        accessor = Cs.Accessor.new_with_closures(GObject.TYPE_INT, 'constant', None,
                                                 lambda: 42, None)
        self.assertEqual(accessor.props.value, 42)
        with self.assertRaises(GLib.Error) as caught:
            accessor.set_sync(1, Cs.SetFlags.NONE, None)
        self.assertCsError(caught.exception, Cs.AccessorError.READ_ONLY)
        self.assertEqual(accessor.props.value, 42)
        self.assertEqual(accessor.get_generation(), 0)

    def test_read_only_property(self):
        sensor = Sensor()
        accessor = Cs.Accessor.new_for_property(sensor, 'serial')
        self.assertEqual(accessor.props.value, 4)
        written = self.write(accessor, 5)
        self.run_until(lambda: 'r' in written)
        self.assertCsError(self.assertFailed(written['r']), Cs.AccessorError.READ_ONLY)
        self.assertEqual(sensor.props.serial, 4)


class TestObjectAccessor(AccessorTestCase):
    def test_python_property_wakes_reader(self):
        sensor = Sensor()
        accessor = Cs.object_get_accessor(sensor, 'reading')
        self.assertIs(Cs.object_get_accessor(sensor, 'reading'), accessor)
        self.assertIsNot(Cs.object_get_accessor(sensor, 'level'), accessor)
        self.assertEqual(accessor.get_value_type(), GObject.TYPE_STRING)

        background = self.read(accessor)
        self.spin()
        self.assertEqual(background, {})
        sensor.props.reading = 'warm'
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 'warm')
        self.assertEqual(accessor.props.value, 'warm')

        # A predicate read through set_property, and a write through the accessor.
        background = self.read(accessor, Cs.Predicate.new_equal('hot'))
        sensor.set_property('reading', 'warmer')
        sensor.set_property('reading', 'hot')
        self.run_until(lambda: 'r' in background)
        self.assertOk(background['r'], 'hot')
        self.assertTrue(accessor.set_sync('cold', Cs.SetFlags.NONE, None))
        self.assertEqual(sensor.props.reading, 'cold')

    def test_accessor_closes_with_object(self):
        sensor = Sensor()
        accessor = Cs.object_get_accessor(sensor, 'level')
        background = self.read(accessor)
        self.spin()
        self.assertEqual(background, {})
        del sensor
        gc.collect()
        self.run_until(lambda: 'r' in background)
        self.assertCsError(self.assertFailed(background['r']), Cs.AccessorError.CLOSED)
        self.assertTrue(accessor.is_closed())


if __name__ == '__main__':
    taptest.main()
