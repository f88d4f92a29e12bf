// The order of a release wasm's functions (issue 23; docs/weight.md, "Similar
// functions side by side"). gzip finds repeats only within its last 32 KB,
// and the linker lays functions out by crate and module, so the copies of a
// generic function (a signal's `try_update` for each of its types, serde's
// visitor for each struct) lie far apart. Ordered by size, then by their
// bytes, the functions that are alike come next to each other.
//
// binaryen sorts functions by their names (`--reorder-functions-by-name`);
// this module gives each function a name that sorts where it belongs:
// `sortNames` replaces the names section's function names with sort keys,
// each ending in `\u0001` and the function's own name, and `restoreNames`
// takes the keys off again (for the bench's names-kept builds). The names
// section is only read by tools: nothing in the page depends on it, and the
// release wasm drops it.
//
// Measured on the guides' page (node's zlib, level 9, as ./scripts/bench.sh):
// see docs/weight.md. Ordering by name alone (binaryen's pass on the names
// rustc gave) made the wasm larger.
//
// The wasm is read by hand (LEB128, the section list, the code and names
// sections): binaryen's JS API (the `binaryen` npm package scripts/tools.sh
// installs, 132) reads a module's functions but has no way to rename one,
// and the keys are the bodies' bytes, which it does not give.

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    if (at >= bytes.length) throw new Error('wasm-order: the wasm ends inside a number');
    byte = bytes[at];
    at += 1;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** An unsigned LEB128. */
function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The wasm's sections: [{id, start, body: [from, to)}]. */
function sections(bytes) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('wasm-order: not a wasm module');
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    if (body + size > bytes.length) throw new Error('wasm-order: a section runs past the end');
    out.push({ id, start, from: body, to: body + size });
    at = body + size;
  }
  return out;
}

/** How many functions the module imports (they come first in the index space). */
function importedFunctions(bytes, section) {
  let [count, at] = readLeb(bytes, section.from);
  let functions = 0;
  for (let i = 0; i < count; i += 1) {
    for (let name = 0; name < 2; name += 1) {
      const [length, next] = readLeb(bytes, at);
      at = next + length;
    }
    const kind = bytes[at];
    at += 1;
    if (kind === 0) {
      functions += 1;
      [, at] = readLeb(bytes, at);
    } else if (kind === 1) {
      at += 1; // reference type
      let flags;
      [flags, at] = readLeb(bytes, at);
      [, at] = readLeb(bytes, at);
      if (flags & 1) [, at] = readLeb(bytes, at);
    } else if (kind === 2) {
      let flags;
      [flags, at] = readLeb(bytes, at);
      [, at] = readLeb(bytes, at);
      if (flags & 1) [, at] = readLeb(bytes, at);
    } else if (kind === 3) {
      at += 2; // value type, mutability
    } else if (kind === 4) {
      at += 1;
      [, at] = readLeb(bytes, at);
    } else {
      throw new Error(`wasm-order: an import of unknown kind ${kind}`);
    }
  }
  return functions;
}

/** Each defined function's body (locals and code), by function index. */
function bodies(bytes) {
  const all = sections(bytes);
  const imports = all.find((s) => s.id === 2);
  const code = all.find((s) => s.id === 10);
  if (!code) throw new Error('wasm-order: no code section');
  const first = imports ? importedFunctions(bytes, imports) : 0;
  const out = new Map();
  let [count, at] = readLeb(bytes, code.from);
  for (let i = 0; i < count; i += 1) {
    const [size, body] = readLeb(bytes, at);
    out.set(first + i, bytes.subarray(body, body + size));
    at = body + size;
  }
  return out;
}

/**
 * Where a function belongs: its size class (`log2` of its length, rounded),
 * then its bytes. Imported functions (no body) sort first; binaryen keeps
 * them in place anyway.
 */
export function sortKey(body) {
  if (!body) return '0';
  const sizeClass = String(Math.round(Math.log2(Math.max(body.length, 1)))).padStart(2, '0');
  return `1${sizeClass}${body.toString('hex')}`;
}

/** Rewrites the function names of the names section with `rename(index, name)`. */
function renameFunctions(bytes, rename) {
  const all = sections(bytes);
  const names = all.find((s) => {
    if (s.id !== 0) return false;
    const [length, at] = readLeb(bytes, s.from);
    return bytes.subarray(at, at + length).toString() === 'name';
  });
  if (!names) throw new Error('wasm-order: the wasm has no names section (build it with names: wasm-opt -g)');
  const [nameLength, afterName] = readLeb(bytes, names.from);
  let at = afterName + nameLength;
  const subsections = [];
  let renamed = false;
  while (at < names.to) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    if (id !== 1) {
      subsections.push(bytes.subarray(at, body + size));
    } else {
      let [count, p] = readLeb(bytes, body);
      const entries = [];
      for (let i = 0; i < count; i += 1) {
        let index;
        let length;
        [index, p] = readLeb(bytes, p);
        [length, p] = readLeb(bytes, p);
        const name = bytes.subarray(p, p + length).toString();
        p += length;
        const text = Buffer.from(rename(index, name));
        entries.push(leb(index), leb(text.length), text);
      }
      const content = Buffer.concat([leb(count), ...entries]);
      subsections.push(Buffer.concat([Buffer.from([1]), leb(content.length), content]));
      renamed = true;
    }
    at = body + size;
  }
  if (!renamed) throw new Error('wasm-order: the names section names no functions');
  const label = Buffer.from('name');
  const content = Buffer.concat([leb(label.length), label, ...subsections]);
  return Buffer.concat([
    bytes.subarray(0, names.start),
    Buffer.from([0]), leb(content.length), content,
    bytes.subarray(names.to),
  ]);
}

/** The wasm with each function named by its sort key, then `\u0001` and its name. */
export function sortNames(bytes) {
  const code = bodies(bytes);
  return renameFunctions(bytes, (index, name) => `${sortKey(code.get(index))}\u0001${name}`);
}

/** The wasm with the sort keys taken off its function names again. */
export function restoreNames(bytes) {
  return renameFunctions(bytes, (_, name) => name.slice(name.indexOf('\u0001') + 1));
}
