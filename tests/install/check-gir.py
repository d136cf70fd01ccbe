# check-gir.py GIR — the installed Cs-1.0.gir names what a binding needs
import sys
import xml.etree.ElementTree as ET

NS = {'core': 'http://www.gtk.org/introspection/core/1.0',
      'c': 'http://www.gtk.org/introspection/c/1.0'}

repo = ET.parse(sys.argv[1]).getroot()
ns = repo.find('core:namespace', NS)
problems = []
if ns is None:
    sys.exit('no <namespace>')
if (ns.get('name'), ns.get('version')) != ('Cs', '1.0'):
    problems.append(f'namespace {ns.get("name")}-{ns.get("version")}')
if ns.get('shared-library') != 'libcodestare-1.so.0':
    problems.append(f'shared-library {ns.get("shared-library")}')
if [p.get('name') for p in repo.findall('core:package', NS)] != ['codestare-1']:
    problems.append('package is not codestare-1')
if [i.get('name') for i in repo.findall('c:include', NS)] != ['codestare.h']:
    problems.append('c:include is not codestare.h')
for cls in ('Accessor', 'Predicate', 'Condition'):
    if ns.find(f"core:class[@name='{cls}']", NS) is None:
        problems.append(f'no class {cls}')
if problems:
    sys.exit('; '.join(problems))
print('Cs-1.0: ok')
