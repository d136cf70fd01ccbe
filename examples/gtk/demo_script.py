# demo_script.py — drives demo.py from inside, for its test
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The same steps as cs-gtk-demo-script.c, and the same output, so that
# tests/gtk/check-screenshot.py checks both demos alike: it clicks through
# GTK's own API, finds widgets by the names the demo gives them, and awaits
# states with the library (Cs.object_get_accessor() works on any property,
# a progress bar's "fraction" included). Nothing sleeps.
#
#   full         the question dialog shows → screenshots "dialog" and "mid"
#                → gamma.img reaches 25% → click its Cancel → click Replace
#                → the banner shows → screenshot "end" → close the window
#   close-early  the question dialog shows → screenshots "dialog" and "mid"
#                → close the window while beta.tar's worker waits for the
#                answer

import asyncio
import ctypes
import os
import sys

import gbulb
import gi

gi.require_version('Cs', '1.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Cs, GLib, Gtk  # noqa: E402

WATCHDOG_SECONDS = 20

def say(line):
    """Prints @line in one write, so that lines printed by other threads
    (the workers) cannot cut into it, as print()'s separate newline allows."""
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


waiting_for = 'the question dialog'


def fail(message):
    print('script: FAILED: ' + message, file=sys.stderr, flush=True)
    os._exit(1)


def find_widget(root, name):
    child = root.get_first_child()
    while child is not None:
        if child.get_name() == name:
            return child
        found = find_widget(child, name)
        if found is not None:
            return found
        child = child.get_next_sibling()
    return None


def get_widget(window, name):
    widget = find_widget(window, name)
    if widget is None:
        fail('no widget named ' + name)
    return widget


def click(window, name):
    button = get_widget(window, name)
    if not button.is_sensitive():
        fail(name + ' is insensitive')   # a user could not click it either
    say('script: clicked ' + name)
    button.emit('clicked')


# Snapshots

def report_widget(shot, root, widget):
    ok, bounds = widget.compute_bounds(root)
    x, y, width, height = ((int(bounds.get_x()), int(bounds.get_y()),
                            int(bounds.get_width()), int(bounds.get_height()))
                           if ok else (0, 0, 0, 0))
    line = 'widget %s %s visible=%d sensitive=%d bounds=%d,%d,%d,%d' % (
        shot, widget.get_name(), widget.is_drawable(), widget.is_sensitive(),
        x, y, width, height)
    if isinstance(widget, Gtk.ProgressBar):
        line += ' fraction=%.3f' % widget.get_fraction()
    elif isinstance(widget, Gtk.Label):
        line += ' text=' + widget.get_label()
    say(line)


def report_widgets(shot, root, parent):
    """The widgets the demo named: "JOB/WHAT", "answer/WHAT", "banner", "question"."""
    child = parent.get_first_child()
    while child is not None:
        name = child.get_name()
        if '/' in name or name in ('banner', 'question'):
            report_widget(shot, root, child)
        report_widgets(shot, root, child)
        child = child.get_next_sibling()


class _GrapheneRect(ctypes.Structure):
    _fields_ = [('x', ctypes.c_float), ('y', ctypes.c_float),
                ('width', ctypes.c_float), ('height', ctypes.c_float)]


def _c_functions():
    """PyGObject 3.42 cannot hold a GskRenderNode (a fundamental type, not a
    GObject): Gtk.Snapshot.to_node() raises TypeError. The node goes from the
    snapshot to the renderer through ctypes instead."""
    gtk = ctypes.CDLL('libgtk-4.so.1')
    gtk.gtk_snapshot_to_node.restype = ctypes.c_void_p
    gtk.gtk_snapshot_to_node.argtypes = [ctypes.c_void_p]
    gtk.gsk_renderer_render_texture.restype = ctypes.c_void_p
    gtk.gsk_renderer_render_texture.argtypes = [ctypes.c_void_p, ctypes.c_void_p,
                                                ctypes.POINTER(_GrapheneRect)]
    gtk.gdk_texture_save_to_png.restype = ctypes.c_int
    gtk.gdk_texture_save_to_png.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    gtk.gsk_render_node_unref.argtypes = [ctypes.c_void_p]
    gtk.g_object_unref.argtypes = [ctypes.c_void_p]
    return gtk


def _address(gobject):
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(gobject.__gpointer__, None)


def save_snapshot(window, shot, directory):
    gtk = _c_functions()
    width, height = window.get_width(), window.get_height()
    snapshot = Gtk.Snapshot()
    Gtk.WidgetPaintable.new(window).snapshot(snapshot, width, height)
    node = gtk.gtk_snapshot_to_node(_address(snapshot))
    if not node:
        fail('the %s window drew nothing' % shot)
    texture = gtk.gsk_renderer_render_texture(_address(window.get_renderer()), node,
                                              _GrapheneRect(0, 0, width, height))
    path = os.path.join(directory, shot + '.png')
    saved = gtk.gdk_texture_save_to_png(texture, os.fsencode(path))
    gtk.g_object_unref(texture)
    gtk.gsk_render_node_unref(node)
    if not saved:
        fail('could not write ' + path)
    say('snapshot %s %s %dx%d' % (shot, path, width, height))
    report_widgets(shot, window, window)


async def snapshot_after_paint(window, shot, directory):
    """Right after a paint the widgets show what was painted: nothing else
    runs in between."""
    global waiting_for
    waiting_for = shot
    future = asyncio.get_running_loop().create_future()
    frame_clock = window.get_frame_clock()

    def after_paint(frame_clock):
        frame_clock.disconnect(handler)
        save_snapshot(window, shot, directory)
        future.set_result(None)

    handler = frame_clock.connect('after-paint', after_paint)
    window.queue_draw()
    await future


async def wait_for(accessor, what, predicate):
    global waiting_for
    waiting_for = what
    return await accessor.get(predicate)


async def run(window, mode, directory, dialog_added, gamma_fraction, banner_visible):
    _application, dialog = await dialog_added
    say('script: a dialog shows')
    if not dialog.get_mapped():
        await gbulb.wait_signal(dialog, 'map')
    await snapshot_after_paint(dialog, 'dialog', directory)
    await snapshot_after_paint(window, 'mid', directory)

    if mode == 'full':
        await wait_for(gamma_fraction, 'fraction', lambda fraction: fraction >= 0.25)
        click(window, 'gamma.img/cancel')
        click(dialog, 'answer/replace')
        # the group predicate shows the banner once all three have finished
        await wait_for(banner_visible, 'visible', lambda visible: visible)
        await snapshot_after_paint(window, 'end', directory)

    say('script: closing the window')
    window.close()


def start(window, mode, directory):
    def watchdog():
        fail('timed out after %d s waiting for %s' % (WATCHDOG_SECONDS, waiting_for))

    # The accessors the steps wait on, made before the workers start: with
    # this version of the library, making an accessor on the GUI thread while
    # a worker's write to a bound property is queued deadlocks (see
    # cs-gtk-demo-script.c).
    gamma_fraction = Cs.object_get_accessor(get_widget(window, 'gamma.img/progress'), 'fraction')
    banner_visible = Cs.object_get_accessor(get_widget(window, 'banner'), 'visible')
    dialog_added = gbulb.wait_signal(window.get_application(), 'window-added')

    GLib.timeout_add_seconds(WATCHDOG_SECONDS, watchdog)
    task = asyncio.ensure_future(run(window, mode, directory, dialog_added,
                                     gamma_fraction, banner_visible))

    def done(task):
        if not task.cancelled() and task.exception() is not None:
            fail('%s: %s' % (type(task.exception()).__name__, task.exception()))

    task.add_done_callback(done)
