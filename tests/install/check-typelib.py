# check-typelib.py ROOT — Cs-1.0 from the installed typelib under ROOT
import sys

import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs, GObject  # noqa: E402

root = sys.argv[1]

typelib = gi.Repository.get_default().get_typelib_path('Cs')
if not typelib.startswith(root):
    sys.exit(f'Cs loaded from {typelib}, not from {root}')

accessor = Cs.Accessor.new(GObject.TYPE_INT)
accessor.set(7, Cs.SetFlags.NONE, None)
value = accessor.dup_value()
if value != 7 or accessor.get_generation() != 1:
    sys.exit(f'dup_value() = {value!r}, generation {accessor.get_generation()}')

with open('/proc/self/maps') as maps:
    libs = {line.split()[-1] for line in maps if 'libcodestare-1.so' in line}
if not libs or not all(lib.startswith(root) for lib in libs):
    sys.exit(f'libcodestare-1 mapped from {sorted(libs)}')

print(f'{typelib}: {value}')
