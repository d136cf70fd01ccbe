#!/usr/bin/python3
# demo.py — the GTK demo in Python: a download manager whose workers and
# window meet in accessors
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The same app as cs-gtk-demo.c, in the style of the Python module
# codestare.async_utils: the window's side is coroutines that `await`
# accessors, on gbulb's asyncio loop, which runs GLib's main context.
#
# - A Job's progress, state, question and answer are Cs.ConditionProperty:
#   GObject properties (bind_property works) whose attribute is an accessor.
# - Workers are threading.Threads. They write with acc.set_sync(), applied in
#   the GUI's main context, so no GTK code runs on a worker.
# - "All finished" is a lambda over every job, awaited; it shows the banner.
# - beta.tar's worker hands its question over with WAIT_FOR_READ and blocks
#   in acc.get_sync() until the dialog writes the answer.
# - Cancel cancels the Gio.Cancellable the worker's blocking calls take.
# - Closing the window closes the accessors, so every worker ends; each is
#   joined.
#
#   demo.py [--step-ms MS] [--script full|close-early --snapshot-dir DIR]
#
# Needs gbulb (Debian: python3-gbulb) and, from a build tree, the override:
#   PYTHONPATH=python GI_TYPELIB_PATH=_build/src LD_LIBRARY_PATH=_build/src \
#       /usr/bin/python3 examples/gtk/demo.py

import argparse
import asyncio
import os
import sys
import threading
import time

import gbulb
import gi

gi.require_version('Cs', '1.0')
gi.require_version('Gdk', '4.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Cs, Gdk, Gio, GLib, GObject, Gtk  # noqa: E402

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, 'data')

def say(line):
    """Prints @line in one write, so that lines printed by other threads
    (the workers) cannot cut into it, as print()'s separate newline allows."""
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


# the states a job ends in
FINAL_STATES = ('done', 'skipped', 'cancelled', 'failed')


class Job(GObject.Object):
    """One download, run on a worker thread."""

    progress = Cs.ConditionProperty(float, default=0.0, minimum=0.0, maximum=1.0)
    state = Cs.ConditionProperty(str, default='queued')
    question = Cs.ConditionProperty(str)
    answer = Cs.ConditionProperty(str)

    def __init__(self, name, n_steps, step_ms, ask=None):
        super().__init__()
        self.name = name
        self.n_steps = n_steps
        self.step_ms = step_ms
        self.ask = ask
        self.cancellable = Gio.Cancellable()
        self.thread = None
        # The accessor of a property of a Python class belongs to the main
        # context of the thread that first asks for it: ask here, on the GUI
        # thread, before any worker does.
        self.accessors = (self.progress, self.state, self.question, self.answer)

    # The worker's side. set_sync() returns once the GUI's context has
    # applied the write: the worker never runs ahead of the window. It raises
    # once the cancellable is cancelled or the accessor is closed.

    def ask_user(self):
        """Asks the user; returns the answer."""
        # Clear the last answer first: the read below then accepts the first
        # answer written after it, even one written before the read is
        # registered in the GUI's context (it looks at the current value).
        self.answer.set_sync(None, cancellable=self.cancellable)
        self.state.set_sync('asking', cancellable=self.cancellable)
        # A handoff: returns once the window's reader has the question.
        self.question.set_sync(self.ask, Cs.SetFlags.WAIT_FOR_READ, self.cancellable)
        # Blocks until the dialog answers (or Cancel, or a close).
        answer = self.answer.get_sync(lambda answer: answer is not None,
                                      cancellable=self.cancellable)
        say('worker %s: answer %s' % (self.name, answer))
        return answer

    def run(self):
        end, message = 'done', ''
        try:
            self.state.set_sync('downloading', cancellable=self.cancellable)
            for step in range(1, self.n_steps + 1):
                time.sleep(self.step_ms / 1000)   # a chunk of "download"
                self.progress.set_sync(step / self.n_steps, cancellable=self.cancellable)
                if self.ask and step == self.n_steps // 2:
                    if self.ask_user() == 'skip':
                        end = 'skipped'
                        break
                    self.state.set_sync('downloading', cancellable=self.cancellable)
        except GLib.Error as error:
            message = ', ' + error.message
            if error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED):
                end = 'cancelled'
            elif error.matches(Cs.accessor_error_quark(), Cs.AccessorError.CLOSED):
                end = None   # the window has gone: nobody to tell
            else:
                end = 'failed'

        say('worker %s: %s%s' % (self.name, end or 'closed', message))
        if end:
            try:
                # without the cancellable, which may be cancelled by now
                self.state.set_sync(end)
            except GLib.Error:
                pass   # the window closed meanwhile

    # The GUI's side

    def start(self):
        # a daemon: a worker stuck by a bug must not keep the process alive
        self.thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self.thread.start()

    def cancel(self):
        self.cancellable.cancel()

    def close(self):
        """Fails whatever the worker waits for, and every call it makes later."""
        for accessor in self.accessors:
            accessor.close()

    def join(self, deadline):
        """Whether the worker ended before @deadline (time.monotonic())."""
        if self.thread is not None:
            self.thread.join(max(deadline - time.monotonic(), 0))
        return self.thread is None or not self.thread.is_alive()


@Gtk.Template(filename=os.path.join(DATA_DIR, 'cs-gtk-demo.ui'))
class DemoWindow(Gtk.ApplicationWindow):
    __gtype_name__ = 'DemoWindow'

    jobs_grid = Gtk.Template.Child()
    banner = Gtk.Template.Child()

    def __init__(self, application, step_ms):
        super().__init__(application=application)
        self.jobs = [
            Job('alpha.iso', 30, step_ms),
            Job('beta.tar', 40, step_ms, ask='beta.tar already exists. Replace it?'),
            Job('gamma.img', 100, step_ms),
        ]
        self.tasks = []
        self.workers_left = 0
        for row, job in enumerate(self.jobs):
            self.add_job(row, job)
        self.tasks.append(asyncio.ensure_future(self.announce_when_all_finished()))
        self.connect('close-request', self.on_close_request)

    def add_job(self, row, job):
        # names for the script (demo_script.py) to find the widgets by
        widgets = (
            Gtk.Label(label=job.name, xalign=0),
            Gtk.ProgressBar(name=job.name + '/progress', hexpand=True,
                            valign=Gtk.Align.CENTER),
            Gtk.Label(name=job.name + '/state', xalign=0, width_chars=11),
            Gtk.Button(name=job.name + '/cancel', label='Cancel'),
        )
        for column, widget in enumerate(widgets):
            self.jobs_grid.attach(widget, column, row, 1, 1)
        _, bar, state, cancel = widgets

        # Condition properties bind like any property; the workers' writes
        # reach them on this thread.
        sync = GObject.BindingFlags.SYNC_CREATE
        job.bind_property('progress', bar, 'fraction', sync)
        job.bind_property('state', state, 'label', sync)
        job.bind_property('state', cancel, 'sensitive', sync,
                          lambda _binding, state: state not in FINAL_STATES)
        cancel.connect('clicked', lambda _button: job.cancel())

        self.tasks.append(asyncio.ensure_future(self.answer_questions(job)))

    def start(self):
        for job in self.jobs:
            job.start()

    async def answer_questions(self, job):
        """The reader that the worker's handoff waits for."""
        while True:
            question = await job.question.get()
            say('question from %s: %s' % (job.name, question))
            answer = await self.ask_user(job, question)
            say('answer to %s: %s' % (job.name, answer))
            # the worker, blocked on the answer, wakes up
            await job.answer.set(answer)

    def ask_user(self, job, question):
        """A modal window with the question; a future of the answer."""
        future = asyncio.get_running_loop().create_future()
        # the application tracks it, and emits "window-added"
        dialog = Gtk.Window(title=job.name, transient_for=self, modal=True,
                            destroy_with_parent=True, resizable=False,
                            application=self.get_application())
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=18, margin_top=24,
                      margin_bottom=18, margin_start=24, margin_end=24)
        buttons = Gtk.Box(spacing=12, halign=Gtk.Align.END)
        box.append(Gtk.Label(name='question', label=question))
        box.append(buttons)
        dialog.set_child(box)

        def answered(answer):
            if not future.done():   # a second click before the dialog goes
                future.set_result(answer)

        def close_request(_dialog):
            answered('skip')   # closing the dialog without answering skips the file
            return True

        # The dialog lives as long as the question: until it is answered, or
        # the coroutine awaiting it is cancelled. (destroy_with_parent does
        # not do it while Python still holds the window.)
        future.add_done_callback(lambda _future: dialog.destroy())

        for label, answer in (('Skip', 'skip'), ('Replace', 'replace')):
            button = Gtk.Button(name='answer/' + answer, label=label)
            button.connect('clicked', lambda _button, answer: answered(answer), answer)
            buttons.append(button)
        button.add_css_class('suggested-action')
        dialog.connect('close-request', close_request)

        dialog.present()
        return future

    async def announce_when_all_finished(self):
        # looks at the whole group, not only at the job whose state was written
        all_finished = lambda _state: all(job.props.state in FINAL_STATES  # noqa: E731
                                          for job in self.jobs)
        # Each condition property has a condition of its own, so a write to a
        # job's state re-checks only the readers of that state: one reader a
        # job sees a write to any of them. The first to complete wins.
        readers = [asyncio.ensure_future(job.state.get(all_finished)) for job in self.jobs]
        try:
            done, _ = await asyncio.wait(readers, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for reader in readers:
                reader.cancel()
        done.pop().result()   # raises if the window closed first

        states = [job.props.state for job in self.jobs]
        say('all finished: ' + ' '.join('%s=%s' % (job.name, state)
                                        for job, state in zip(self.jobs, states)))
        counts = ['%d %s' % (states.count(state), state)
                  for state in FINAL_STATES if state in states]
        self.banner.set_label('All downloads finished: ' + ', '.join(counts))
        self.banner.set_visible(True)

    def on_close_request(self, _window):
        # A worker blocked in get_sync() or set_sync() now fails with
        # Cs.AccessorError.CLOSED, and so does its next call.
        for job in self.jobs:
            job.close()
        # So each ends at once; one still running after 2 s is a bug.
        deadline = time.monotonic() + 2
        self.workers_left = sum(not job.join(deadline) for job in self.jobs)
        say('closed: %d workers still running' % self.workers_left)

        # The coroutines end when they see the closed accessors or are
        # cancelled; the application waits for them before it quits.
        application = self.get_application()
        application.hold()
        for task in self.tasks:
            task.cancel()

        async def finish():
            await asyncio.gather(*self.tasks, return_exceptions=True)
            application.release()

        asyncio.ensure_future(finish())
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--step-ms', type=int, default=100, help='time a download step takes')
    parser.add_argument('--script', choices=('full', 'close-early'), help='drive the window')
    parser.add_argument('--snapshot-dir', help='where the script saves its screenshots')
    args = parser.parse_args()
    if args.step_ms <= 0 or (args.script and not args.snapshot_dir):
        parser.error('--step-ms must be positive, and --script needs --snapshot-dir')

    # GTK 4 has no Gtk.main(): gbulb's GLib loop (gtk=False) runs the
    # application itself, and coroutines run on the same main context.
    gbulb.install(gtk=False)
    loop = asyncio.get_event_loop_policy().get_default_loop()
    application = Gtk.Application(application_id='org.codestare.GtkDemoPython',
                                  flags=Gio.ApplicationFlags.NON_UNIQUE)
    windows = []

    def activate(application):
        if windows:
            windows[0].present()
            return
        css = Gtk.CssProvider()
        css.load_from_path(os.path.join(DATA_DIR, 'cs-gtk-demo.css'))
        Gtk.StyleContext.add_provider_for_display(Gdk.Display.get_default(), css,
                                                  Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)
        window = DemoWindow(application, args.step_ms)
        windows.append(window)
        window.present()
        if args.script:
            import demo_script
            demo_script.start(window, args.script, args.snapshot_dir)
        window.start()

    application.connect('activate', activate)
    loop.run_forever(application=application, argv=sys.argv[:1])
    return 1 if any(window.workers_left for window in windows) else 0


if __name__ == '__main__':
    sys.exit(main())
