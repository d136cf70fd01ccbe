#!/usr/bin/python3
# test_await.py — the Python face of codestare: `await`, the override of Cs,
# and the codestare.async_utils package, on an asyncio loop that runs on GLib
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run against a build tree, with the override and the package from the source
# tree (python/) and gbulb (Debian: python3-gbulb):
#   PYTHONPATH=python:tests/python GI_TYPELIB_PATH=_build/src \
#       LD_LIBRARY_PATH=_build/src /usr/bin/python3 tests/python/test_await.py

import ast
import asyncio
import contextlib
import doctest
import gc
import io
import threading
import unittest

import gbulb
import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs, Gio, GLib, GObject  # noqa: E402

import taptest  # noqa: E402

# The two examples of the documentation of the Python module
# codestare.async_utils.descriptor (the accessor class), verbatim but for one
# typo of the original: `@value._setter` stands for `@value.setter` (property
# has no `_setter`, so the original cannot run anywhere).
SEED_EXAMPLES = '''
>>> import asyncio
>>> from codestare.async_utils import accessor
>>> foo = accessor()
>>> async def wait_for_write(accessor_):
...     print(await accessor_.get())
...
>>> background = asyncio.create_task(wait_for_write(foo))
>>> await foo.set("Bar")
Bar

>>> class Thing:
...     def __init__(self):
...         self._value = None
...     @property
...     def value(self):
...         return self._value
...     @value.setter
...     def value(self, val):
...         if not val:
...             raise ValueError(f"Illegal value {val}")
...         self._value = val
...
>>> thing = Thing()
>>> thing.value = 3
>>> thing.value
3
>>> thing.value = 0
ValueError: Illegal value 0
>>> class BetterThing(Thing):
...     def __init__(self):
...         super().__init__()
...         self.value_accessor = accessor(funcs=(
...             type(self).value.fget.__get__(self),
...             type(self).value.fset.__get__(self)
...         ))
...
>>> better_thing = BetterThing()
>>> background = asyncio.create_task(wait_for_write(better_thing.value_accessor))
>>> await better_thing.value_accessor.set(3)
3
>>> better_thing.value
3
>>> await better_thing.value_accessor.set(0)
ValueError: Illegal value 0
'''


async def run_like_the_asyncio_repl(text):
    """Runs doctest-style @text as `python -m asyncio` runs what is typed:
    each statement may await at top level, and the loop runs between two
    statements (while the REPL waits for input). Returns [(source, want,
    got)] for the statements whose output differs."""
    namespace = {'__name__': '__seed__'}
    mismatches = []

    for example in doctest.DocTestParser().get_examples(text):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                code = compile(example.source, '<seed>', 'single',
                               flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                result = eval(code, namespace)  # noqa: S307 - the test's own text
                if asyncio.iscoroutine(result):
                    await result
            except Exception as exc:
                print('%s: %s' % (type(exc).__name__, exc))
            for _ in range(10):
                await asyncio.sleep(0)
        if out.getvalue() != example.want:
            mismatches.append((example.source, example.want, out.getvalue()))

    return mismatches


class AwaitTestCase(taptest.LoopTestCase):
    """Each test is a coroutine, run on gbulb's loop of the main thread, which
    runs the default GLib main context, as an application's does."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, method in list(vars(cls).items()):
            if name.startswith('test_') and asyncio.iscoroutinefunction(method):
                setattr(cls, name, cls._on_loop(method))

    @staticmethod
    def _on_loop(method):
        def test(self):
            loop = asyncio.get_event_loop_policy().get_default_loop()
            loop.run_until_complete(method(self))
        test.__name__ = method.__name__
        test.__doc__ = method.__doc__
        return test

    async def settle(self):
        for _ in range(10):
            await asyncio.sleep(0)

    async def wait(self, awaitable):
        return await asyncio.wait_for(awaitable, taptest.LOOP_TIMEOUT_SECONDS)


class TestSeedModule(AwaitTestCase):
    async def test_documentation_examples(self):
        mismatches = await self.wait(run_like_the_asyncio_repl(SEED_EXAMPLES))
        self.assertEqual(mismatches, [])

    async def test_predicate_and_wait_for_write(self):
        from codestare.async_utils import accessor

        temperature = accessor(name='temperature')
        await temperature.set(22)
        # a predicate that the current value passes: at once
        self.assertEqual(await temperature.get(predicate=lambda v: v > 20), 22)
        # wait_for_write=True: the next value written that passes
        later = asyncio.create_task(temperature.get(predicate=lambda v: v > 20,
                                                    wait_for_write=True))
        await self.settle()
        for value in (5, 31, 35):
            await temperature.set(value)
        self.assertEqual(await self.wait(later), 31)
        # wait_for_write=False without predicate: the current value, at once
        self.assertEqual(await temperature.get(wait_for_write=False), 35)
        self.assertEqual(temperature.value, 35)
        with self.assertRaises(ValueError):
            await temperature.get(predicate=42)

    async def test_has_waiting_read_rearms(self):
        from codestare.async_utils import accessor

        mailbox = accessor()
        self.assertFalse(mailbox.has_waiting_read)
        for round_ in range(2):
            waiting = asyncio.create_task(self.wait(mailbox.has_waiting_read))
            await self.settle()
            self.assertFalse(waiting.done())
            reader = asyncio.create_task(mailbox.get())
            await self.wait(waiting)
            self.assertTrue(mailbox.has_waiting_read)
            await mailbox.set(round_)
            self.assertEqual(await self.wait(reader), round_)

    async def test_wait_for_read_handoff(self):
        from codestare.async_utils import accessor

        mailbox = accessor()
        received = []

        async def consumer():
            for _ in range(3):
                received.append(await mailbox.get())

        task = asyncio.create_task(consumer())
        for parcel in ('apple', 'banana', 'cherry'):
            await self.wait(mailbox.set(parcel, wait_for_read=True))
        await self.wait(task)
        self.assertEqual(received, ['apple', 'banana', 'cherry'])

    async def test_condition_property(self):
        from codestare.async_utils import condition_property

        class Oven:
            def __init__(self):
                self._temperature = 20
                self.deleted = False

            @condition_property
            def temperature(self):
                return self._temperature

            @temperature.setter
            def temperature(self, value):
                if value < 0:
                    raise ValueError('below zero: %d' % value)
                self._temperature = value

            @temperature.deleter
            def temperature(self):
                self.deleted = True

        oven = Oven()
        self.assertIs(oven.temperature, oven.temperature)  # cached
        self.assertIsNot(oven.temperature, Oven().temperature)
        hot = asyncio.create_task(oven.temperature.get(predicate=lambda t: t >= 200))
        await self.settle()
        for t in (100, 220, 250):
            await oven.temperature.set(t)
        self.assertEqual(await self.wait(hot), 220)
        with self.assertRaisesRegex(ValueError, 'below zero: -5'):
            await oven.temperature.set(-5)
        self.assertEqual(oven.temperature.value, 250)

        cached = oven.temperature
        pending = asyncio.create_task(cached.get())
        await self.settle()
        del oven.temperature
        self.assertTrue(oven.deleted)
        with self.assertRaises(GLib.Error) as caught:
            await self.wait(pending)
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.CLOSED))
        self.assertIsNot(oven.temperature, cached)

    async def test_module_predicates_without_argument(self):
        # the module's documentation: `predicate=(lambda: True)` does not block
        from codestare.async_utils import accessor

        foo = accessor()
        self.assertIsInstance(foo.condition, Cs.Condition)
        await foo.set('now')
        self.assertEqual(await self.wait(foo.get(predicate=(lambda: True))), 'now')
        ready = []
        later = asyncio.create_task(foo.get(predicate=lambda: bool(ready)))
        await self.settle()
        self.assertFalse(later.done())
        ready.append(True)
        await foo.set('then')
        self.assertEqual(await self.wait(later), 'then')

    async def test_shared_condition(self):
        from codestare.async_utils import accessor

        group = asyncio.Condition()
        a = accessor(condition=group)
        b = accessor(condition=group)
        self.assertIs(a.condition, b.condition)
        self.assertIsInstance(a.condition, Cs.Condition)
        await a.set(1)
        both = asyncio.create_task(b.get(predicate=lambda v: a.value == 2 and v == 3))
        await self.settle()
        await b.set(3)
        await self.settle()
        self.assertFalse(both.done())
        await a.set(2)
        self.assertEqual(await self.wait(both), 3)


class TestOverride(AwaitTestCase):
    async def test_value_types(self):
        cases = [
            (int, 2 ** 40, GObject.TYPE_INT64),
            (float, 2.5, GObject.TYPE_DOUBLE),
            (str, 'text', GObject.TYPE_STRING),
            (bool, True, GObject.TYPE_BOOLEAN),
            (GObject.TYPE_UINT, 7, GObject.TYPE_UINT),
            (Cs.Condition, Cs.Condition.new(), Cs.Condition.__gtype__),
        ]
        for value_type, value, gtype in cases:
            with self.subTest(value_type=value_type):
                acc = Cs.Accessor(value_type)
                self.assertEqual(acc.props.value_type, gtype)
                reader = asyncio.create_task(acc.get())
                await self.settle()
                await acc.set(value)
                self.assertEqual(await self.wait(reader), value)
                self.assertEqual(acc.value, value)
                self.assertEqual(acc.props.generation, 1)

        with self.assertRaises(TypeError):
            Cs.Accessor(dict)

    async def test_any_python_object(self):
        acc = Cs.Accessor(name='anything')
        self.assertEqual(acc.props.value_type, GObject.TYPE_PYOBJECT)
        self.assertIsNone(acc.value)
        payload = {'answer': [42]}
        reader = asyncio.create_task(acc.get())
        await self.settle()
        await acc.set(payload)
        self.assertIs(await self.wait(reader), payload)
        self.assertIs(acc.value, payload)
        # Python objects compare by identity in the built-in predicates: an
        # equal but distinct big int is not the one held
        big = 10 ** 20
        same_number = int('1' + '0' * 20)
        self.assertEqual(big, same_number)
        self.assertIsNot(big, same_number)
        await acc.set(big)
        equal_big = Cs.Predicate.new_equal(GObject.Value(GObject.TYPE_PYOBJECT, big))
        self.assertTrue(equal_big.evaluate(GObject.Value(GObject.TYPE_PYOBJECT, big)))
        self.assertFalse(equal_big.evaluate(GObject.Value(GObject.TYPE_PYOBJECT, same_number)))
        # a predicate of Python's compares as Python does
        self.assertIs(await acc.get(lambda v: v == same_number), big)

    async def test_exceptions_keep_type_and_message(self):
        class Thermometer:
            def __init__(self):
                self.degrees = 0

            def set_degrees(self, value):
                if value > 1000:
                    raise OverflowError('%d is too hot to measure' % value)
                self.degrees = value

        thermometer = Thermometer()
        acc = Cs.Accessor(int, funcs=(lambda: thermometer.degrees, thermometer.set_degrees))

        def picky(value):
            if value == 13:
                raise KeyError('no thirteen')
            return value > 100

        reader = asyncio.create_task(acc.get(picky))
        other = asyncio.create_task(acc.get())
        await self.settle()
        await acc.set(13)
        with self.assertRaises(KeyError) as caught:
            await self.wait(reader)
        self.assertEqual(caught.exception.args, ('no thirteen',))
        self.assertEqual(await self.wait(other), 13)

        with self.assertRaisesRegex(OverflowError, '^5000 is too hot to measure$'):
            await acc.set(5000)
        self.assertEqual(acc.value, 13)
        self.assertEqual(acc.props.generation, 1)

        # another write in between does not mix the exceptions up
        first = asyncio.create_task(acc.set(2000))
        second = asyncio.create_task(acc.set(3000))
        results = await self.wait(asyncio.gather(first, second, return_exceptions=True))
        self.assertEqual([str(r) for r in results],
                         ['2000 is too hot to measure', '3000 is too hot to measure'])

        # the library's own errors come as GLib.Error
        with self.assertRaises(GLib.Error) as caught:
            await Cs.Accessor(int).set('not a number')
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.INVALID_VALUE))

    async def test_none_enums_and_flags(self):
        # None is no number: refused (as JavaScript's null is), not stored as 0
        for value_type, first in ((int, 5), (float, 2.5), (bool, True)):
            with self.subTest(value_type=value_type):
                acc = Cs.Accessor(value_type)
                await acc.set(first)
                reader = asyncio.create_task(acc.get())
                await self.settle()
                with self.assertRaises(GLib.Error) as caught:
                    await acc.set(None)
                self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                         Cs.AccessorError.INVALID_VALUE))
                self.assertEqual((acc.value, acc.props.generation), (first, 1))
                self.assertFalse(reader.done())
                reader.cancel()
        # where NULL is a value, None writes it
        text = Cs.Accessor(str)
        await text.set('x')
        await text.set(None)
        self.assertIsNone(text.value)

        # enums and flags are numbers (Semantics 11), written as such
        error_code = Cs.Accessor(Gio.IOErrorEnum)
        await error_code.set(Gio.IOErrorEnum.CANCELLED)
        self.assertEqual(error_code.value, Gio.IOErrorEnum.CANCELLED)
        condition = Cs.Accessor(GLib.IOCondition)
        await condition.set(GLib.IOCondition.IN | GLib.IOCondition.OUT)
        self.assertEqual(condition.value, GLib.IOCondition.IN | GLib.IOCondition.OUT)
        number = Cs.Accessor(int)
        await number.set(Gio.IOErrorEnum.CANCELLED)
        self.assertEqual(number.value, int(Gio.IOErrorEnum.CANCELLED))

    async def test_many_predicates_raise_at_once(self):
        # each read keeps its own exception, however many fail together
        acc = Cs.Accessor(int)

        def judge(i):
            def predicate(value):
                if value == 1:
                    raise KeyError('reader %d' % i)
                return False
            return predicate

        readers = [asyncio.create_task(acc.get(judge(i))) for i in range(600)]
        await self.settle()
        self.assertEqual(acc.get_n_waiting_reads(), 600)
        await acc.set(1)
        results = await self.wait(asyncio.gather(*readers, return_exceptions=True))
        self.assertEqual([(type(r), r.args) for r in results],
                         [(KeyError, ('reader %d' % i,)) for i in range(600)])

    async def test_fget_converts_as_a_write_would(self):
        # what fget returns is converted exactly, as a write of it, or refused
        # (with a warning: a reader has no caller to fail)
        numbers = {'value': 7}
        acc = Cs.Accessor(int, funcs=(lambda: numbers['value'], None))
        self.assertEqual(acc.value, 7)
        numbers['value'] = 2 ** 40
        self.assertEqual(acc.value, 2 ** 40)
        numbers['value'] = 3.0
        self.assertEqual(acc.value, 3)
        numbers['value'] = 3.5
        warnings = []

        def log(domain, level, message, *user_data):
            warnings.append(message)

        handler = GLib.log_set_handler('Codestare', GLib.LogLevelFlags.LEVEL_WARNING, log)
        try:
            value = acc.value
        finally:
            GLib.log_remove_handler('Codestare', handler)
        self.assertNotEqual(value, 3)
        self.assertEqual(len(warnings), 1)
        self.assertIn('“gdouble” cannot be stored as “gint64” without changing it', warnings[0])

    async def test_c_constructors_with_python_callables(self):
        store = {'value': 5}

        def write(value):
            if value < 0:
                return False
            store['value'] = value

        acc = Cs.Accessor.new_with_funcs(GObject.TYPE_INT, 'store', None,
                                         read=lambda: store['value'], write=write)
        self.assertEqual(acc.value, 5)
        await acc.set(6)
        self.assertEqual((store['value'], acc.value), (6, 6))
        with self.assertRaises(GLib.Error) as caught:
            await acc.set(-1)
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.FAILED))
        read_only = Cs.Accessor.new_with_funcs(GObject.TYPE_INT, read=lambda: 1)
        self.assertEqual(read_only.value, 1)
        with self.assertRaises(GLib.Error) as caught:
            await read_only.set(2)
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.READ_ONLY))

    async def test_plain_callback_api_predicate_raises(self):
        # Without await, through the C API's callbacks: a Python predicate that
        # raises fails its read with the exception's words, never leaves it
        # waiting.
        acc = Cs.Accessor.new(GObject.TYPE_INT)
        done = asyncio.get_running_loop().create_future()

        def finished(source, result, *user_data):
            try:
                done.set_result(source.get_finish(result))
            except GLib.Error as error:
                done.set_result(error)

        def raises(value):
            raise ValueError('cannot judge %d' % value)

        acc.get_async(Cs.Predicate.new(raises), Cs.GetFlags.WAIT_FOR_WRITE, None, finished)
        self.assertEqual(acc.get_n_waiting_reads(), 1)
        acc.set_sync(4)
        error = await self.wait(done)
        self.assertIsInstance(error, GLib.Error)
        self.assertEqual(error.message, 'ValueError: cannot judge 4')
        self.assertEqual(acc.get_n_waiting_reads(), 0)

    async def test_cancelling_the_task_cancels_the_read(self):
        acc = Cs.Accessor(int)
        reader = asyncio.create_task(acc.get(lambda v: v > 10))
        await self.settle()
        self.assertEqual(acc.get_n_waiting_reads(), 1)
        reader.cancel()
        with self.assertRaises(asyncio.CancelledError):
            await reader
        await self.settle()
        self.assertEqual(acc.get_n_waiting_reads(), 0)
        self.assertFalse(acc.props.has_waiting_read)

        # a cancelled handoff changes nothing
        handoff = asyncio.create_task(acc.set(5, wait_for_read=True))
        await self.settle()
        handoff.cancel()
        with self.assertRaises(asyncio.CancelledError):
            await handoff
        await self.settle()
        reader = asyncio.create_task(acc.get())
        await self.settle()
        self.assertFalse(reader.done())
        self.assertEqual(acc.value, 0)
        await acc.set(6)
        self.assertEqual(await self.wait(reader), 6)

    async def test_wait_for_read(self):
        acc = Cs.Accessor(str)
        waiting = asyncio.create_task(acc.wait_for_read())
        await self.settle()
        self.assertFalse(waiting.done())
        reader = asyncio.create_task(acc.get())
        await self.wait(waiting)
        await acc.set('here')
        self.assertEqual(await self.wait(reader), 'here')

    async def test_worker_thread_python_objects(self):
        # Python objects go through the library as GValues of TYPE_PYOBJECT;
        # PyGObject takes the GIL to copy and free them, so a worker thread may
        # write them with set_sync() (the write is applied here, in the
        # accessor's main context) and read them with the value property.
        acc = Cs.Accessor()
        payloads = [{'n': i} for i in range(50)]
        seen = []
        worker_reads = []

        def worker():
            for payload in payloads:
                acc.set_sync(payload, Cs.SetFlags.WAIT_FOR_READ)
                worker_reads.append(acc.value)

        async def reader():
            for _ in payloads:
                seen.append(await acc.get())

        task = asyncio.create_task(reader())
        await self.settle()
        thread = threading.Thread(target=worker)
        thread.start()
        await self.wait(task)
        thread.join()
        self.assertEqual(len(seen), len(payloads))
        for got, payload in zip(seen, payloads):
            self.assertIs(got, payload)
        self.assertEqual(len(worker_reads), len(payloads))


class Download(GObject.Object):
    __gtype_name__ = 'TestAwaitDownload'

    progress = Cs.ConditionProperty(float, default=0.0, minimum=0.0, maximum=1.0)
    state = Cs.ConditionProperty(str, default='idle')


class Job(GObject.Object):
    __gtype_name__ = 'TestAwaitJob'

    count = Cs.ConditionProperty(int)


class Label(GObject.Object):
    __gtype_name__ = 'TestAwaitLabel'

    text = GObject.Property(type=str, default='')


class TestConditionProperty(AwaitTestCase):
    async def test_gobject_property_and_accessor(self):
        download = Download()
        self.assertEqual([p.name for p in Download.list_properties()], ['progress', 'state'])
        self.assertIs(download.progress, Cs.object_get_accessor(download, 'progress'))
        self.assertEqual(download.props.progress, 0.0)
        self.assertEqual(download.progress.value, 0.0)

        notified = []
        download.connect('notify::progress', lambda obj, pspec: notified.append(obj.props.progress))
        label = Label()
        download.bind_property('state', label, 'text', GObject.BindingFlags.SYNC_CREATE)
        self.assertEqual(label.props.text, 'idle')

        finished = asyncio.create_task(download.progress.get(lambda p: p >= 1.0))
        await self.settle()
        for p in (0.25, 0.5, 1.0):
            download.progress = p
        self.assertEqual(await self.wait(finished), 1.0)
        self.assertEqual(notified, [0.25, 0.5, 1.0])

        await download.state.set('done')
        self.assertEqual(download.props.state, 'done')
        self.assertEqual(label.props.text, 'done')
        self.assertEqual(download.state.props.generation, 1)

        # the pspec's range holds for writes through the accessor
        with self.assertRaises(GLib.Error) as caught:
            await download.progress.set(2.0)
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.INVALID_VALUE))
        self.assertEqual(download.props.progress, 1.0)

    async def test_int_is_64_bits_and_workers_write_through_the_accessor(self):
        job = Job()
        self.assertEqual(Job.find_property('count').value_type, GObject.TYPE_INT64)
        await job.count.set(2 ** 40)
        self.assertEqual(job.props.count, 2 ** 40)

        # a worker writes through the accessor: the write, its notify and the
        # predicates run here, in the accessor's main context
        where = []
        job.connect('notify::count',
                    lambda obj, pspec: where.append(threading.current_thread().name))
        finished = asyncio.create_task(job.count.get(lambda n: n == 3))
        await self.settle()

        def worker():
            for n in (1, 2, 3):
                job.count.set_sync(n)

        thread = threading.Thread(target=worker, name='worker')
        thread.start()
        self.assertEqual(await self.wait(finished), 3)
        thread.join()
        self.assertEqual(where, ['MainThread'] * 3)
        self.assertEqual(job.count.props.generation, 4)

    async def test_dies_with_the_instance(self):
        download = Download()
        pending = asyncio.create_task(download.state.get())
        await self.settle()
        del download
        gc.collect()
        with self.assertRaises(GLib.Error) as caught:
            await self.wait(pending)
        self.assertTrue(caught.exception.matches(Cs.accessor_error_quark(),
                                                 Cs.AccessorError.CLOSED))


class TestLoopWithoutGLib(unittest.TestCase):
    def test_clear_error(self):
        acc = Cs.Accessor(int)

        async def read():
            return await acc.get()

        loop = asyncio.SelectorEventLoop()
        try:
            with self.assertRaisesRegex(RuntimeError, 'runs the GLib main context.*gbulb'):
                loop.run_until_complete(asyncio.wait_for(read(), 5))
        finally:
            loop.close()
        self.assertEqual(acc.get_n_waiting_reads(), 0)


if __name__ == '__main__':
    gbulb.install()
    taptest.main()
