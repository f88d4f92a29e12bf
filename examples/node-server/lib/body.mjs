// Request bodies as checkout-server reads them (server/src/merchant/extract.rs
// and protocol/src/bodies.rs): a JSON object, each field of the right type,
// no unknown field (a page cannot slip in an amount or a price), with the
// same messages. A small JSON parser keeps each number's literal, so that
// `3.0` is not a whole quantity (serde_json reads it as a float) while
// JSON.parse would make it 3.

export const MSG_NOT_JSON_TYPE = 'Expected a JSON body with `Content-Type: application/json`.';
export const MSG_NOT_JSON = 'The request body is not valid JSON.';
export const MSG_NOT_OBJECT = 'The request body must be a JSON object.';

/** A number as written: `raw` literal, `value`. */
export class Num {
  constructor(raw) {
    this.raw = raw;
    this.value = Number(raw);
  }

  /** serde_json's reading: 'u64', 'i64' or 'f64'. */
  get kind() {
    if (/[.eE]/.test(this.raw)) return 'f64';
    const n = BigInt(this.raw);
    if (n >= 0n && n <= 18446744073709551615n) return 'u64';
    if (n < 0n && n >= -9223372036854775808n) return 'i64';
    return 'f64';
  }
}

class SyntaxErr extends Error {}

const MAX_DEPTH = 128; // serde_json's recursion limit

/** Parses JSON `text`: objects (null prototype, last duplicate wins), arrays, strings, Num, booleans, null. Throws on bad syntax. */
export function parseJson(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const err = () => { throw new SyntaxErr(`bad JSON at ${i}`); };
  const value = (depth) => {
    if (depth > MAX_DEPTH) err();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = Object.create(null);
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') err();
        const key = string();
        ws();
        if (text[i] !== ':') err();
        i++;
        obj[key] = value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        err();
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        err();
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) { i += word.length; return v; }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') err();
    i += m[0].length;
    // serde_json refuses a number out of f64's range ("number out of range").
    if (!Number.isFinite(Number(m[0]))) err();
    return new Num(m[0]);
  };
  const string = () => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) err();
      const c = text.charCodeAt(i);
      if (c === 0x22) { i++; break; }
      if (c < 0x20) err();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) err();
          const code = parseInt(text.slice(i + 2, i + 6), 16);
          if (code >= 0xd800 && code <= 0xdbff) {
            // serde_json refuses a lone surrogate
            if (text.slice(i + 6, i + 8) !== '\\u') err();
            const low = parseInt(text.slice(i + 8, i + 12), 16);
            if (!(low >= 0xdc00 && low <= 0xdfff)) err();
            i += 12;
          } else if (code >= 0xdc00 && code <= 0xdfff) {
            err();
          } else i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e ?? 'x')) err();
        i += 2;
        continue;
      }
      i++;
    }
    return JSON.parse(text.slice(start, i));
  };
  const v = value(0);
  ws();
  if (i !== text.length) err();
  return v;
}

export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Num);

/** serde's name of an unexpected value ("integer `5`", "boolean `true`", "sequence", "map"…). */
function unexpected(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (Array.isArray(v)) return 'sequence';
  if (v instanceof Num) {
    if (v.kind === 'f64') {
      let s = Number.isInteger(v.value) && Math.abs(v.value) < 1e21 ? BigInt(v.value).toString() : String(v.value);
      if (Number.isFinite(v.value) && !/[.eE]/.test(s)) s += '.0';
      return `floating point \`${s}\``;
    }
    return `integer \`${v.raw}\``;
  }
  return 'map';
}

function expected(fields) {
  if (fields.length === 0) return 'there are no fields';
  if (fields.length === 1) return `expected \`${fields[0]}\``;
  if (fields.length === 2) return `expected \`${fields[0]}\` or \`${fields[1]}\``;
  return `expected one of ${fields.map((f) => `\`${f}\``).join(', ')}`;
}

/**
 * The shape of each request body: field → 'string' (an Option<String>), or
 * 'any' (read by the endpoint: `discounts`, `quantity`). Fields are listed
 * in the struct's order (serde's "expected" list).
 */
export const SHAPES = {
  create: ['customer_email'],
  interval: ['checkout_session_id', 'interval'],
  session: ['checkout_session_id'],
  discounts: ['checkout_session_id', 'discounts'],
  quantity: ['checkout_session_id', 'line_item_id', 'quantity'],
};
const ANY = new Set(['discounts', 'quantity']);

export class BodyError extends Error {}

/**
 * `value` as the request of `shape`: a plain object of its fields (strings,
 * or the raw value of `discounts`/`quantity`), or a BodyError with
 * checkout-server's message. serde_json's map is sorted, so the first error
 * found is the first key in sorted order.
 */
export function readShape(value, shape) {
  if (!isObject(value)) throw new BodyError(MSG_NOT_OBJECT);
  const fields = SHAPES[shape];
  const out = {};
  for (const key of Object.keys(value).sort(byBytes)) {
    const v = value[key];
    if (!fields.includes(key)) {
      throw new BodyError(`The request body has the wrong shape: unknown field \`${key}\`, ${expected(fields)}`);
    }
    if (ANY.has(key)) {
      out[key] = v;
    } else if (v === null) {
      out[key] = undefined;
    } else if (typeof v !== 'string') {
      throw new BodyError(`The request body has the wrong shape: invalid type: ${unexpected(v)}, expected a string`);
    } else out[key] = v;
  }
  return out;
}

function byBytes(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** protocol's Quantity: {valid: n} for a whole number 1..=10, 'missing', or 'invalid'. */
export function readQuantity(v) {
  if (v === undefined || v === null) return 'missing';
  if (v instanceof Num && v.kind === 'u64') {
    const n = BigInt(v.raw);
    if (n >= 1n && n <= 10n) return { valid: Number(n) };
  }
  return 'invalid';
}

/** protocol's Discounts: {list: n} (a list, or ""), 'missing', or 'invalid'. */
export function readDiscounts(v) {
  if (v === undefined || v === null) return 'missing';
  if (Array.isArray(v)) return { list: v.length };
  if (v === '') return { list: 0 };
  return 'invalid';
}

/** Whether a Content-Type is JSON as axum's `Json` takes it (application/json or application/*+json). */
export function isJsonContentType(value, strict = false) {
  if (typeof value !== 'string') return false;
  const mime = value.split(';')[0].trim().toLowerCase();
  if (mime === 'application/json') return true;
  return !strict && /^application\/[^/\s]+\+json$/.test(mime);
}
