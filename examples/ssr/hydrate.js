// Loads the example's wasm (built with the `hydrate` feature) and hydrates
// the server-rendered checkout in #app.
import init, { hydrate } from './checkout_ssr_example.js';

await init();
hydrate();
