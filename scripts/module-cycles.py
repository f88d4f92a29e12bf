#!/usr/bin/env python3
"""Lists the module cycles of a crate's non-test code.

Each top-level module (a file or directory directly under `src/`) depends on
another when its non-test code names `crate::<other>`; cycles are the
strongly connected components of that graph with more than one module.
`#[cfg(test)] mod tests { ... }` blocks at the end of files are left out.

    scripts/module-cycles.py src server/src        # exit 1 when any has a cycle
"""
import os
import re
import sys
from collections import defaultdict


def modules(root):
    found = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith('.rs'):
                continue
            path = os.path.join(dirpath, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] in ('mod', 'lib', 'main'):
                parts = parts[:-1]
            top = parts[0] if parts else 'crate'
            with open(path, encoding='utf-8') as f:
                text = f.read()
            text = re.sub(r'#\[cfg\(test\)\]\s*mod tests\s*\{.*', '', text, flags=re.S)
            found.setdefault(top, []).append(text)
    return found


def cycles(root):
    mods = modules(root)
    edges = defaultdict(set)
    for top, texts in mods.items():
        for text in texts:
            for target in re.findall(r'crate::([a-z_][a-z0-9_]*)', text):
                if target != top and target in mods:
                    edges[top].add(target)
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(mods):
        if v not in index:
            visit(v)
    return out


def main():
    failed = False
    for root in sys.argv[1:]:
        found = cycles(root)
        for component in found:
            print(f'{root}: module cycle: ' + ' ⇄ '.join(component))
        failed |= bool(found)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
