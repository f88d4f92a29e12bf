#!/usr/bin/env python3
"""Lists the module cycles of a crate's non-test code.

Each top-level module (a file or directory directly under `src/`) depends on
another when its non-test code names `crate::<other>` — directly, inside a
`crate::{a, b::c}` group, or through a root re-export (`crate::Name` where
the root's `pub use other::…::Name`); cycles are the strongly connected
components of that graph with more than one module. Comments (doc links
included), `#[cfg(test)]` / `#[cfg(all(test, …))]` modules at the end of
files, and test-only files (`tests.rs`, `*_tests.rs`) are left out.

    scripts/module-cycles.py src server/src        # exit 1 when any has a cycle
"""
import os
import re
import sys
from collections import defaultdict


def strip_comments(text):
    return re.sub(r'//[^\n]*', '', text)


def non_test(text):
    return re.sub(r'#\[cfg\((?:all\()?test\b.*', '', text, flags=re.S)


def modules(root):
    found = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith('.rs') or name == 'tests.rs' or name.endswith('_tests.rs'):
                continue
            path = os.path.join(dirpath, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] in ('mod', 'lib', 'main'):
                parts = parts[:-1]
            top = parts[0] if parts else 'crate'
            with open(path, encoding='utf-8') as f:
                text = f.read()
            found.setdefault(top, []).append(non_test(strip_comments(text)))
    return found


def reexports(mods):
    """Names the crate root re-exports, mapped to the module they come from."""
    names = {}
    for text in mods.get('crate', []):
        for module, rest in re.findall(r'pub use ([a-z_][a-z0-9_]*)::([^;]*);', text):
            for name in re.findall(r'\b([A-Za-z_][A-Za-z0-9_]*)\b', rest):
                names.setdefault(name, module)
    return names


def targets(text, reexported):
    """The top-level modules `text` names through `crate::`."""
    out = set()
    for match in re.finditer(r'crate::(\{|[A-Za-z_][A-Za-z0-9_]*)', text):
        if match.group(1) == '{':
            depth, i, start, items = 1, match.end(), match.end(), []
            while i < len(text) and depth:
                if text[i] == '{':
                    depth += 1
                elif text[i] == '}':
                    depth -= 1
                elif text[i] == ',' and depth == 1:
                    items.append(text[start:i])
                    start = i + 1
                i += 1
            items.append(text[start:i - 1])
            heads = [item.strip().split('::')[0].strip() for item in items]
        else:
            heads = [match.group(1)]
        for head in heads:
            if head in reexported:
                out.add(reexported[head])
            elif head:
                out.add(head)
    return out


def cycles(root):
    mods = modules(root)
    reexported = reexports(mods)
    edges = defaultdict(set)
    for top, texts in mods.items():
        if top == 'crate':
            continue
        for text in texts:
            for target in targets(text, reexported):
                if target != top and target in mods and target != 'crate':
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
