# check-screenshot.py PNG WIDTHxHEIGHT — the PNG has that size and is not blank
import sys

import gi

gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf  # noqa: E402

path, size = sys.argv[1], sys.argv[2]
width, height = (int(n) for n in size.split('x'))

pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
if (pixbuf.get_width(), pixbuf.get_height()) != (width, height):
    sys.exit(f'{pixbuf.get_width()}x{pixbuf.get_height()}, not {width}x{height}')
if width < 100 or height < 100:
    sys.exit(f'{width}x{height} is too small for the window')

pixels = pixbuf.get_pixels()
stride, channels = pixbuf.get_rowstride(), pixbuf.get_n_channels()
colours = set()
for y in range(height):
    row = pixels[y * stride:y * stride + width * channels]
    colours.update(row[x:x + channels] for x in range(0, len(row), channels))

# a blank or single-colour window has one; text, a header bar and a
# background have many (antialiasing)
if len(colours) < 16:
    sys.exit(f'only {len(colours)} distinct colours')
print(f'{width}x{height}, {len(colours)} colours')
