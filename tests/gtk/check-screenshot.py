# check-screenshot.py DIR — checks the scripted runs of the GTK demo
#
# DIR holds one directory a run (full, close-early) as run-gtk-demo.sh leaves
# them: the program's stdout and stderr, its exit status, the time it took, and
# the screenshots it saved. The C demo (examples/gtk/cs-gtk-demo-script.c) and
# the Python one (examples/gtk/demo_script.py) print the same lines:
#
#   snapshot NAME FILE WIDTHxHEIGHT
#   widget NAME WIDGET visible=0|1 sensitive=0|1 bounds=X,Y,W,H [fraction=F] [text=…]
#
# plus what the app, its workers and the script did. The checks read the
# widgets' states from those lines and the pixels from the PNGs, at the
# places the lines give. Output is TAP.
import os
import sys

import gi

gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf  # noqa: E402

JOBS = ('alpha.iso', 'beta.tar', 'gamma.img')
QUESTION = 'beta.tar already exists. Replace it?'
MAX_SECONDS = 25

# every line either program prints starts with one of these
KNOWN = ('question from ', 'answer to ', 'worker ', 'all finished: ', 'closed: ',
         'script: ', 'snapshot ', 'widget ')


class Run:
    """What one scripted run printed and saved."""

    def __init__(self, directory):
        def read(name):
            with open(os.path.join(directory, name), encoding='utf-8', errors='replace') as f:
                return f.read()

        self.status = int(read('status'))
        self.seconds = int(read('elapsed-ms')) / 1000
        self.stderr = read('stderr')
        self.lines = read('stdout').splitlines()
        self.snapshots = {}   # name → (file, width, height)
        self.widgets = {}     # (snapshot, widget) → {key: value}, 'text' included
        for line in self.lines:
            if line.startswith('snapshot '):
                _, name, path, size = line.split(' ', 3)
                width, height = (int(n) for n in size.split('x'))
                self.snapshots[name] = (path, width, height)
            elif line.startswith('widget '):
                head, sep, text = line.partition(' text=')
                _, shot, name, *pairs = head.split(' ')
                attrs = dict(pair.split('=', 1) for pair in pairs)
                if sep:
                    attrs['text'] = text
                self.widgets[shot, name] = attrs

    def index(self, line):
        """Where @line is in the output (-1: not there)."""
        return self.lines.index(line) if line in self.lines else -1

    def starting(self, prefix):
        return [line for line in self.lines if line.startswith(prefix)]

    def widget(self, shot, name):
        return self.widgets.get((shot, name), {})

    def bounds(self, shot, name):
        return tuple(int(n) for n in self.widget(shot, name).get('bounds', '0,0,0,0').split(','))


class Image:
    def __init__(self, path):
        self.pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
        self.width, self.height = self.pixbuf.get_width(), self.pixbuf.get_height()
        self.pixels = self.pixbuf.get_pixels()
        self.stride = self.pixbuf.get_rowstride()
        self.channels = self.pixbuf.get_n_channels()

    def rgb(self, x, y):
        offset = y * self.stride + x * self.channels
        return tuple(self.pixels[offset:offset + 3])

    def region(self, x, y, width, height):
        return [self.rgb(i, j)
                for j in range(max(y, 0), min(y + height, self.height))
                for i in range(max(x, 0), min(x + width, self.width))]

    def colours(self):
        return len(set(self.region(0, 0, self.width, self.height)))


# Adwaita's accent blue (#3584e4) fills progress bars and suggested buttons;
# the banner is #26a269 (data/cs-gtk-demo.css).
def is_accent(rgb):
    r, g, b = rgb
    return b >= 160 and b - r >= 90 and b - g >= 40


def is_banner_green(rgb):
    r, g, b = rgb
    return g >= 130 and g - r >= 80 and g - b >= 30


def is_white(rgb):
    return min(rgb) >= 235


def is_dark(rgb):
    return max(rgb) <= 110


def share(pixels, test):
    return sum(1 for p in pixels if test(p)) / max(len(pixels), 1)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = False

    def ok(self, passed, description, diagnostics=''):
        self.n += 1
        print('%s %d - %s' % ('ok' if passed else 'not ok', self.n, description))
        if not passed:
            self.failed = True
            for line in str(diagnostics).splitlines():
                print('# ' + line)
        return passed

    def done(self):
        print('1..%d' % self.n)
        return 1 if self.failed else 0


def check_common(tap, mode, run):
    output = '\n'.join(run.lines[-12:]) + '\n' + run.stderr
    tap.ok(run.status == 0, '%s: exits with status 0' % mode,
           'status %d\n%s' % (run.status, output))
    tap.ok(run.seconds < MAX_SECONDS,
           '%s: takes under %d s (%.1f s)' % (mode, MAX_SECONDS, run.seconds))
    tap.ok(run.stderr.strip() == '', '%s: no warnings on stderr' % mode, run.stderr)
    unknown = [line for line in run.lines if not line.startswith(KNOWN)]
    tap.ok(not unknown, '%s: nothing unexpected on stdout' % mode, '\n'.join(unknown))

    # the handoff reached the window, which showed the question
    tap.ok(run.index('question from beta.tar: ' + QUESTION) >= 0,
           '%s: the window read the question beta.tar handed over' % mode, output)
    tap.ok(run.widget('dialog', 'question').get('text') == QUESTION,
           '%s: the dialog shows the question' % mode, run.widget('dialog', 'question'))
    mid_state = run.widget('mid', 'beta.tar/state')
    mid_bar = run.widget('mid', 'beta.tar/progress')
    tap.ok(mid_state.get('text') == 'asking' and mid_bar.get('fraction') == '0.500',
           '%s: meanwhile beta.tar waits halfway, "asking"' % mode, (mid_state, mid_bar))

    # a clean close: the window closed last, and every worker had ended
    tap.ok(run.lines[-1:] == ['closed: 0 workers still running'] and
           run.index('script: closing the window') >= 0,
           '%s: closing the window leaves no worker running' % mode, output)
    ends = [run.starting('worker %s: ' % job) for job in JOBS]
    tap.ok(all(ends), '%s: every worker reported its end' % mode, output)


def check_screenshots(tap, mode, run, shots):
    tap.ok(sorted(run.snapshots) == sorted(shots),
           '%s: saved the screenshots %s' % (mode, ', '.join(shots)), sorted(run.snapshots))
    for shot, (path, width, height) in sorted(run.snapshots.items()):
        image = Image(path)
        tap.ok((image.width, image.height) == (width, height) and image.colours() >= 16,
               '%s: %s.png is the %dx%d window, not blank' % (mode, shot, width, height),
               '%dx%d, %d colours' % (image.width, image.height, image.colours()))

    # the progress bars are painted filled to the fraction they report
    for shot in ('mid', 'end'):
        if shot not in run.snapshots:
            continue
        image = Image(run.snapshots[shot][0])
        problems = []
        for job in JOBS:
            x, y, width, height = run.bounds(shot, job + '/progress')
            fraction = float(run.widget(shot, job + '/progress').get('fraction', 'nan'))
            # the fill is a few pixels high, at most a pixel or two off the
            # bounds GTK reports (rounding): its fullest row
            painted = max(share(image.region(x, row, width, 1), is_accent)
                          for row in range(y - 3, y + height + 3))
            if not (abs(painted - fraction) <= 0.03 + 2 / max(width, 1)):
                problems.append('%s: fraction %.3f, painted %.3f' % (job, fraction, painted))
        tap.ok(width > 50 and not problems,
               '%s: %s.png: each bar is painted filled to its fraction' % (mode, shot),
               '\n'.join(problems) or 'bars too narrow')

    if 'dialog' in run.snapshots:
        image = Image(run.snapshots['dialog'][0])
        replace = image.region(*run.bounds('dialog', 'answer/replace'))
        question = image.region(*run.bounds('dialog', 'question'))
        tap.ok(share(replace, is_accent) > 0.5 and share(question, is_dark) > 0.03,
               '%s: dialog.png: the question in dark text, Replace in accent blue' % mode,
               'replace %.2f blue, question %.2f dark'
               % (share(replace, is_accent), share(question, is_dark)))

    if 'mid' in run.snapshots:
        image = Image(run.snapshots['mid'][0])
        green = share(image.region(0, 0, image.width, image.height), is_banner_green)
        tap.ok(run.widget('mid', 'banner').get('visible') == '0' and green < 0.001,
               '%s: mid.png: no banner yet' % mode,
               '%s, %.4f of the pixels green' % (run.widget('mid', 'banner'), green))


def check_full(tap, run):
    check_common(tap, 'full', run)
    output = '\n'.join(run.lines)

    # the answer came from the dialog, and the worker went on with it
    clicked = run.index('script: clicked answer/replace')
    answered = run.index('answer to beta.tar: replace')
    received = run.index('worker beta.tar: answer replace')
    tap.ok(0 <= clicked < answered < received,
           'full: the dialog answered, and the blocked worker received the answer', output)
    tap.ok(run.widget('end', 'beta.tar/state').get('text') == 'done' and
           run.widget('end', 'beta.tar/progress').get('fraction') == '1.000',
           'full: beta.tar then finished', run.widget('end', 'beta.tar/state'))

    # a cancellation
    cancel = run.index('script: clicked gamma.img/cancel')
    cancelled = [i for i, line in enumerate(run.lines)
                 if line.startswith('worker gamma.img: cancelled')]
    tap.ok(cancel >= 0 and cancelled and cancelled[0] > cancel,
           'full: Cancel stopped the gamma.img worker', output)
    state = run.widget('end', 'gamma.img/state')
    bar = run.widget('end', 'gamma.img/progress')
    button = run.widget('end', 'gamma.img/cancel')
    tap.ok(state.get('text') == 'cancelled' and 0.25 <= float(bar.get('fraction', 1)) < 1 and
           button.get('sensitive') == '0',
           'full: gamma.img shows "cancelled", its bar stopped, its Cancel insensitive',
           (state, bar, button))
    tap.ok(all(run.widget('end', job + '/state').get('text') == 'done'
               for job in ('alpha.iso', 'beta.tar')),
           'full: the other two are done')

    # the group predicate fired once, after the last job finished
    finished = run.starting('all finished: ')
    ends = [run.starting('worker %s: ' % job) for job in JOBS]
    last_end = max(run.index(lines[-1]) for lines in ends) if all(ends) else len(run.lines)
    tap.ok(finished == ['all finished: alpha.iso=done beta.tar=done gamma.img=cancelled'] and
           run.index(finished[0]) > last_end,
           'full: "all finished" fired once, after the last worker ended', output)
    banner = run.widget('end', 'banner')
    tap.ok(banner.get('visible') == '1' and
           banner.get('text') == 'All downloads finished: 2 done, 1 cancelled',
           'full: end: the banner shows the outcome', banner)
    if 'end' in run.snapshots:
        image = Image(run.snapshots['end'][0])
        pixels = image.region(*run.bounds('end', 'banner'))
        tap.ok(share(pixels, is_banner_green) > 0.6 and share(pixels, is_white) > 0.02,
               'full: end.png: the banner is painted green, with white text',
               '%.2f green, %.2f white' % (share(pixels, is_banner_green),
                                           share(pixels, is_white)))

    check_screenshots(tap, 'full', run, ('dialog', 'mid', 'end'))


def check_close_early(tap, run):
    check_common(tap, 'close-early', run)
    output = '\n'.join(run.lines)

    # beta.tar's worker was blocked on the answer when the window closed
    closing = run.index('script: closing the window')
    beta_end = run.starting('worker beta.tar: ')
    tap.ok(closing >= 0 and beta_end and beta_end[0].startswith('worker beta.tar: closed') and
           run.index(beta_end[0]) > closing,
           'close-early: the close released the worker blocked on the answer', output)
    tap.ok(not run.starting('all finished: ') and not run.starting('answer to '),
           'close-early: nothing was answered or finished', output)
    tap.ok(len(run.starting('worker ')) == len(JOBS),
           'close-early: each worker ended once', output)

    check_screenshots(tap, 'close-early', run, ('dialog', 'mid'))


def main(directory):
    tap = Tap()
    for mode, check in (('full', check_full), ('close-early', check_close_early)):
        try:
            run = Run(os.path.join(directory, mode))
        except (OSError, ValueError) as error:
            tap.ok(False, '%s: the run left its output' % mode, error)
            continue
        check(tap, run)
    return tap.done()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
