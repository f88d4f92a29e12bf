// The merchant's catalogue: the TOML file checkout-server reads
// (CHECKOUT_CATALOGUE; schema: docs/catalogue.md, rules: catalogue/src/), parsed
// with smol-toml and checked by the same rules, each refusal naming the
// product and what is wrong.
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';

export const MIN_QUANTITY = 1; // protocol/src/limits.rs
export const MAX_QUANTITY = 10;

const UNITS = { day: 1095, week: 156, month: 36, year: 3 }; // Stripe's maximum interval_count per unit

/** An interval `{unit, count}` of its name (monthly, quarterly, every-6-months…), or null. */
export function parseInterval(name) {
  const named = { daily: ['day', 1], weekly: ['week', 1], monthly: ['month', 1], quarterly: ['month', 3], yearly: ['year', 1] };
  if (typeof name !== 'string') return null;
  if (Object.hasOwn(named, name)) return { unit: named[name][0], count: named[name][1] };
  const m = /^every-([0-9]+)-(day|week|month|year)s$/.exec(name);
  if (!m) return null;
  const interval = fromStripe(m[2], Number(m[1]));
  return interval && intervalName(interval) === name ? interval : null;
}

/** The interval of Stripe's `recurring` (`unit`, `count`), if Stripe allows it. */
export function fromStripe(unit, count) {
  if (!Object.hasOwn(UNITS, unit) || !Number.isInteger(count) || count < 1 || count > UNITS[unit]) return null;
  return { unit, count };
}

export function intervalName({ unit, count }) {
  const names = { 'day:1': 'daily', 'week:1': 'weekly', 'month:1': 'monthly', 'month:3': 'quarterly', 'year:1': 'yearly' };
  return names[`${unit}:${count}`] ?? `every-${count}-${unit}s`;
}

const sameInterval = (a, b) => (a === null && b === null) || (a !== null && b !== null && a.unit === b.unit && a.count === b.count);

class CatalogueError extends Error {}

function fail(message) {
  throw new CatalogueError(`the catalogue is not valid: ${message}`);
}

const KNOWN = {
  top: ['currency', 'products'],
  product: ['id', 'name', 'in_cart', 'quantity', 'prices'],
  quantity: ['min', 'max', 'default'],
  price: ['price', 'lookup_key', 'interval', 'amount', 'name'],
};

function fields(table, kind, where) {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) fail(`${where} must be a table`);
  for (const key of Object.keys(table)) {
    if (!KNOWN[kind].includes(key)) fail(`${where}: unknown field \`${key}\`, expected one of ${KNOWN[kind].map((k) => `\`${k}\``).join(', ')}`);
  }
}

function integer(value, where) {
  if (typeof value === 'bigint') return Number(value);
  if (!Number.isInteger(value)) fail(`${where} must be an integer`);
  return value;
}

function string(value, where) {
  if (typeof value !== 'string') fail(`${where} must be a string`);
  return value;
}

/** The catalogue of TOML `text`, checked (throws a CatalogueError saying what is wrong). */
export function parseCatalogue(text) {
  let raw;
  try {
    raw = parseToml(text);
  } catch (e) {
    throw new CatalogueError(`the catalogue is not valid: ${e.message}`);
  }
  fields(raw, 'top', 'the catalogue');
  const currency = string(raw.currency, 'currency');
  if (!Array.isArray(raw.products)) fail('missing field `products`');
  const products = raw.products.map((p, i) => {
    fields(p, 'product', `products[${i}]`);
    const q = p.quantity ?? { min: MIN_QUANTITY, max: MAX_QUANTITY, default: 1 };
    fields(q, 'quantity', `products[${i}].quantity`);
    if (!Array.isArray(p.prices)) fail(`products[${i}]: missing field \`prices\``);
    return {
      id: string(p.id, `products[${i}].id`),
      name: string(p.name, `products[${i}].name`),
      in_cart: p.in_cart === undefined ? false : p.in_cart === true ? true : p.in_cart === false ? false : fail(`products[${i}].in_cart must be a boolean`),
      quantity: { min: integer(q.min, 'quantity.min'), max: integer(q.max, 'quantity.max'), default: integer(q.default, 'quantity.default') },
      prices: p.prices.map((price, j) => {
        const where = `products[${i}].prices[${j}]`;
        fields(price, 'price', where);
        let interval = null;
        if (price.interval !== undefined) {
          interval = parseInterval(string(price.interval, `${where}.interval`));
          if (!interval) fail(`unknown interval ${JSON.stringify(price.interval)}: daily, weekly, monthly, quarterly, yearly or every-<n>-<unit>s (every-6-months)`);
        }
        return {
          price: price.price === undefined ? '' : string(price.price, `${where}.price`),
          lookup_key: price.lookup_key === undefined ? null : string(price.lookup_key, `${where}.lookup_key`),
          interval,
          amount: integer(price.amount, `${where}.amount`),
          name: price.name === undefined ? null : string(price.name, `${where}.name`),
        };
      }),
    };
  });
  const catalogue = new Catalogue(currency, products);
  check(catalogue);
  return catalogue;
}

/** catalogue/src/validate.rs, rule by rule. */
function check(c) {
  if (!/^[a-z]{3}$/.test(c.currency)) fail(`currency ${JSON.stringify(c.currency)} must be a three-letter ISO code in lower case, like "usd"`);
  if (c.products.length === 0) fail('there is no product');
  const ids = new Set();
  const priceIds = new Set();
  for (const p of c.products) {
    const at = (what) => fail(`product ${JSON.stringify(p.id)}: ${what}`);
    if (!/^[a-z0-9_-]+$/.test(p.id)) at('id must be letters a-z, digits, - or _');
    if (ids.has(p.id)) at('id is used twice');
    ids.add(p.id);
    if (p.name.trim() === '') at('name is empty');
    const q = p.quantity;
    if (!(MIN_QUANTITY <= q.min && q.min <= q.default && q.default <= q.max && q.max <= MAX_QUANTITY)) {
      at(`quantity must have ${MIN_QUANTITY} ≤ min ≤ default ≤ max ≤ ${MAX_QUANTITY} (the widget's stepper), got min ${q.min} default ${q.default} max ${q.max}`);
    }
    if (p.prices.length === 0) at('has no price');
    const recurring = p.prices.filter((price) => price.interval).length;
    if (recurring !== 0 && recurring !== p.prices.length) at('mixes one-time and recurring prices: make the one-time item a product of its own');
    if (recurring === 0 && p.prices.length > 1) at('has several one-time prices: give it one');
    const intervals = new Set();
    for (const price of p.prices) {
      if (price.price === '' && price.lookup_key === null) at('a price has neither `price` (its id) nor `lookup_key`');
      if (price.price !== '' && price.lookup_key !== null) at(`price ${JSON.stringify(price.price)} has both an id and the lookup key ${JSON.stringify(price.lookup_key)}: give one`);
      if (price.lookup_key !== null) {
        if (price.lookup_key === '' || [...price.lookup_key].length > 200) at(`lookup key ${JSON.stringify(price.lookup_key)} must have 1 to 200 characters`);
        if (priceIds.has(price.lookup_key)) at(`lookup key ${JSON.stringify(price.lookup_key)} is listed twice`);
        priceIds.add(price.lookup_key);
      } else {
        if (!price.price.startsWith('price_') || price.price.length <= 6) at(`${JSON.stringify(price.price)} is not a Stripe price id (price_…)`);
        if (priceIds.has(price.price)) at(`price ${JSON.stringify(price.price)} is listed twice`);
        priceIds.add(price.price);
      }
      if (price.amount < 0) at(`price ${JSON.stringify(price.price)}: amount must not be negative`);
      if (price.interval) {
        const name = intervalName(price.interval);
        if (intervals.has(name)) at(`two prices are ${name}`);
        intervals.add(name);
      }
    }
  }
  const start = c.start();
  if (start.length === 0) fail('no product has in_cart = true: a new checkout would be empty');
  const plans = start.filter((p) => p.isRecurring());
  const names = (p) => p.prices.map((price) => (price.interval ? intervalName(price.interval) : '')).join(',');
  for (const other of plans.slice(1)) {
    if (names(other) !== names(plans[0])) {
      fail(`products ${JSON.stringify(plans[0].id)} and ${JSON.stringify(other.id)} are in the cart together but offer different intervals: they are billed on one subscription`);
    }
  }
}

export class Catalogue {
  constructor(currency, products) {
    this.currency = currency;
    this.products = products.map((p) => ({
      ...p,
      isRecurring() { return this.prices.some((price) => price.interval); },
      priceAt(interval) { return this.prices.find((price) => price.interval && sameInterval(price.interval, interval)) ?? null; },
      allows(quantity) { return this.quantity.min <= quantity && quantity <= this.quantity.max; },
    }));
  }

  /** The products a new checkout starts with. */
  start() {
    return this.products.filter((p) => p.in_cart);
  }

  /** `subscription` when a starting product is recurring, else `payment`. */
  startMode() {
    return this.start().some((p) => p.isRecurring()) ? 'subscription' : 'payment';
  }

  /** The plan's intervals (the first recurring starting product's), in order. */
  intervals() {
    const plan = this.start().find((p) => p.isRecurring());
    return plan ? plan.prices.filter((price) => price.interval).map((price) => price.interval) : [];
  }

  /** [product, price] of a price id, or null. */
  price(id) {
    for (const p of this.products) {
      const price = p.prices.find((x) => x.price === id);
      if (price) return [p, price];
    }
    return null;
  }

  *prices() {
    for (const p of this.products) for (const price of p.prices) yield [p, price];
  }

  unresolvedLookupKeys() {
    return [...this.prices()].filter(([, p]) => p.price === '' && p.lookup_key !== null).map(([, p]) => p.lookup_key);
  }

  /** Fills the ids of lookup-key prices from `ids` (Map key → id); returns the keys missing. */
  resolve(ids) {
    const missing = [];
    for (const [, price] of this.prices()) {
      if (price.price !== '' || price.lookup_key === null) continue;
      if (ids.has(price.lookup_key)) price.price = ids.get(price.lookup_key);
      else missing.push(price.lookup_key);
    }
    return missing;
  }

  /** The emulator names a lookup key's price `price_lk_<hex of the key>` (catalogue::emulator_price_id). */
  resolveForEmulator() {
    for (const [, price] of this.prices()) {
      if (price.price === '' && price.lookup_key !== null) {
        price.price = `price_lk_${Buffer.from(price.lookup_key, 'utf8').toString('hex')}`;
      }
    }
    return this;
  }
}

/** The catalogue file at `path`. */
export function loadCatalogue(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogueError(`could not read the catalogue ${path}: ${e.message}`);
  }
  try {
    return parseCatalogue(text);
  } catch (e) {
    throw new CatalogueError(`${path}: ${e.message}`);
  }
}
