// The order store: an append-only journal of JSON lines, each written with
// one write(2) and fsync'd before the answer that depends on it, and replayed
// at start. Two kinds of line:
//
//   {"kind":"order", ...the order record}   a fulfilled order (once per session)
//   {"kind":"event","id":…,"type":…,"session_id":…,"at":…}   a handled webhook event
//
// Why it survives a crash: a line is acknowledged (the webhook's 200, the
// `fulfilled` of /order-status) only after fsync returned, so an
// acknowledged order is on disk; a crash mid-write leaves at most one torn
// last line, which replay drops (the file is truncated to its whole lines),
// and the order it held was never acknowledged, so Stripe delivers the event
// again and it is fulfilled then. Node runs the handlers on one thread and
// the appends are synchronous, so "is it fulfilled? no → record it" cannot
// interleave within one process.
//
// What it is not: a database for several processes (two servers on one
// journal would each keep their own view; use checkout-server's SQL store,
// or a database, for that), and it grows without compaction.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class Store {
  /** Opens (creating) the journal at `path`, or keeps everything in memory when `path` is null. */
  constructor(path) {
    this.path = path;
    this.orders = new Map();
    this.events = new Set();
    this.fd = null;
    if (path === null) return;
    mkdirSync(dirname(path), { recursive: true });
    const created = !existsSync(path);
    const bytes = created ? Buffer.alloc(0) : readFileSync(path);
    // Only whole lines count: a last line without its newline may be torn.
    const end = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, end).toString('utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        throw new Error(`${path}: line ${i + 1} is not JSON: the journal is damaged`);
      }
      this.apply(entry);
    }
    const tail = bytes.subarray(end).toString('utf8');
    let tornTail = false;
    if (tail.trim() !== '') {
      try {
        this.apply(JSON.parse(tail)); // whole, its newline lost: keep it
      } catch {
        tornTail = true; // a crash mid-append: never acknowledged, dropped
      }
    }
    if (tornTail) truncateSync(path, end);
    this.fd = openSync(path, 'a');
    if (!tornTail && tail !== '') this.append(null); // start ours on a fresh line
    if (created) {
      // The new file's name is durable too (fsync of the directory).
      const dir = openSync(dirname(path), 'r');
      try { fsyncSync(dir); } catch { /* some file systems cannot fsync a directory */ }
      closeSync(dir);
    }
  }

  apply(entry) {
    if (entry?.kind === 'order' && typeof entry.session_id === 'string' && !this.orders.has(entry.session_id)) {
      const { kind, ...record } = entry;
      this.orders.set(entry.session_id, record);
    } else if (entry?.kind === 'event' && typeof entry.id === 'string') {
      this.events.add(entry.id);
    }
  }

  /** Writes one line (`null`: just a newline) and waits for the disk. */
  append(entry) {
    if (this.fd === null) return;
    const line = entry === null ? '\n' : `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.from(line, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    fsyncSync(this.fd);
  }

  order(sessionId) {
    return this.orders.get(sessionId) ?? null;
  }

  /** Records `record` unless its session has an order: {created: bool, record}. */
  claim(record) {
    const existing = this.orders.get(record.session_id);
    if (existing) return { created: false, record: existing };
    this.append({ kind: 'order', ...record });
    this.orders.set(record.session_id, record);
    return { created: true, record };
  }

  eventHandled(id) {
    return this.events.has(id);
  }

  recordEvent(id, type, sessionId, at) {
    if (this.events.has(id)) return;
    this.append({ kind: 'event', id, type, session_id: sessionId, at });
    this.events.add(id);
  }

  close() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
