# taptest.py — run unittest cases and report them as TAP
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every test method is one TAP line, so meson counts each case. A failure's
# traceback follows its "not ok" line as "# " comments. Also provides
# LoopTestCase, which runs the GLib main loop with a 10 s safety net and turns
# exceptions raised inside GI callbacks (which PyGObject only prints) into
# failures of the running test.

import sys
import traceback
import unittest


from gi.repository import GLib

LOOP_TIMEOUT_SECONDS = 10


class LoopTestCase(unittest.TestCase):
    """A test case that can run the default main loop until something happened."""

    def setUp(self):
        super().setUp()
        self.loop = GLib.MainLoop()
        self._quit_condition = None
        self._callback_errors = []
        self._saved_excepthook = sys.excepthook
        sys.excepthook = self._record_callback_error

    def tearDown(self):
        sys.excepthook = self._saved_excepthook
        # Let finalizers and idle completions run before the next case.
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)
        self._check_callback_errors()
        super().tearDown()

    def _record_callback_error(self, exc_type, exc, tb):
        self._callback_errors.append(''.join(traceback.format_exception(exc_type, exc, tb)))
        if self.loop.is_running():
            self.loop.quit()

    def _check_callback_errors(self):
        if self._callback_errors:
            errors, self._callback_errors = self._callback_errors, []
            self.fail('exception in a callback:\n' + '\n'.join(errors))

    def poke(self):
        """Quit the running loop if what it waits for has happened."""
        if self._quit_condition is not None and self._quit_condition():
            self.loop.quit()

    def run_until(self, condition, what='the expected callbacks'):
        """Run the main loop until condition() holds; fail after 10 s."""
        if condition():
            self._check_callback_errors()
            return

        timed_out = []

        def on_timeout():
            timed_out.append(True)
            self.loop.quit()
            return GLib.SOURCE_REMOVE

        def on_idle():
            self.poke()
            return GLib.SOURCE_REMOVE

        timeout_id = GLib.timeout_add_seconds(LOOP_TIMEOUT_SECONDS, on_timeout)
        self._quit_condition = condition
        # Callbacks that ran before the loop started cannot quit it: check once.
        GLib.idle_add(on_idle)
        try:
            self.loop.run()
        finally:
            self._quit_condition = None
            if not timed_out:
                GLib.source_remove(timeout_id)

        self._check_callback_errors()
        if timed_out:
            self.fail('timed out after %d s waiting for %s' % (LOOP_TIMEOUT_SECONDS, what))

    def spin(self):
        """Dispatch everything that is ready now, without blocking."""
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)
        self._check_callback_errors()

    def finisher(self, finish, results, key=None):
        """A GAsyncReadyCallback storing ('ok', value) or ('error', GLib.Error)."""

        def callback(source, result, *user_data):
            try:
                outcome = ('ok', finish(source, result))
            except GLib.Error as error:
                outcome = ('error', error)
            if key is None:
                results.append(outcome)
            else:
                results[key] = outcome
            self.poke()

        return callback


class TAPResult(unittest.TestResult):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.count = 0

    def _line(self, text):
        self.stream.write(text + '\n')
        self.stream.flush()

    def _comment(self, text):
        for line in text.rstrip('\n').split('\n'):
            self._line('# ' + line)

    @staticmethod
    def _name(test):
        return '%s.%s' % (type(test).__name__, test._testMethodName)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.count += 1
        self._line('ok %d - %s' % (self.count, self._name(test)))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.count += 1
        self._line('not ok %d - %s' % (self.count, self._name(test)))
        self._comment(self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        self.count += 1
        self._line('not ok %d - %s' % (self.count, self._name(test)))
        self._comment(self.errors[-1][1])

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.count += 1
        self._line('ok %d - %s # SKIP %s' % (self.count, self._name(test), reason))

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.count += 1
        self._line('not ok %d - %s # TODO expected failure' % (self.count, self._name(test)))
        self._comment(self.expectedFailures[-1][1])

    def addSubTest(self, test, subtest, err):
        # a failing subtest fails its test, which then reports no outcome of
        # its own: stopTest() prints it, once
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = self.failures if issubclass(err[0], test.failureException) else self.errors
            self._subtest_failures.setdefault(test, []).append(kind[-1][1])

    def startTest(self, test):
        super().startTest(test)
        if not hasattr(self, '_subtest_failures'):
            self._subtest_failures = {}

    def stopTest(self, test):
        failures = self._subtest_failures.pop(test, None)
        if failures:
            self.count += 1
            self._line('not ok %d - %s' % (self.count, self._name(test)))
            for failure in failures:
                self._comment(failure)
        super().stopTest(test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.count += 1
        self._line('ok %d - %s # TODO unexpected success' % (self.count, self._name(test)))


def main(module='__main__'):
    """Run every test of module (or the ones named on the command line) as TAP."""
    loader = unittest.TestLoader()
    if len(sys.argv) > 1:
        suite = loader.loadTestsFromNames(sys.argv[1:], sys.modules[module])
    else:
        suite = loader.loadTestsFromModule(sys.modules[module])

    result = TAPResult(sys.stdout)
    print('1..%d' % suite.countTestCases(), flush=True)
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
