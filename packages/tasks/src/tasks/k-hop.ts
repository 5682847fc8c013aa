/**
 * k-hop: a random permutation f of {0..domain-1} listed as `x f(x)` pairs in random
 * order, then queries `; x k<k> =` whose answer is f^k(x). Difficulty = k, drawn
 * uniformly in [1, maxHops] per query. Because f is a permutation, f^k may equal a
 * shorter power on small cycles: the `effective_hops` feature records that.
 */
import { defineTask } from '../define-task.js';
import { need } from '../params.js';
import { at } from '../checked.js';
import { permutation } from '../shuffle.js';

const MAX_DOMAIN = 16;
const MAX_HOPS = 8;
const NODES = Array.from({ length: MAX_DOMAIN }, (_, i) => String(i));
const HOPS = Array.from({ length: MAX_HOPS }, (_, i) => `k${i + 1}`);

export const kHop = defineTask({
  name: 'k-hop',
  description: 'Follow a permutation k times from x; difficulty = k.',
  params: {
    domain: { default: 6, min: 2, max: MAX_DOMAIN, integer: true, description: 'Size of the permutation domain.' },
    maxHops: { default: 3, min: 1, max: MAX_HOPS, integer: true, description: 'Largest k of a query (k is uniform in [1, maxHops]).' },
    queries: { default: 2, min: 1, max: 4, integer: true, description: 'Queries per example.' },
  },
  sizeParam: 'maxHops',
  sizeDescription: 'Largest hop count k of the task (maxHops).',
  tokens: [...NODES, ...HOPS, ';', '='],
  // label proxies on the paper specs' data (label-proxy.test.ts, docs/metrics.md)
  proxies: ['effective_hops'],
  features: [
    { name: 'domain', group: 'static', kind: 'numeric', description: 'Permutation domain size.' },
    { name: 'cycle_length', group: 'dynamic', kind: 'numeric', description: 'Length of the cycle of f containing x.' },
    { name: 'effective_hops', group: 'dynamic', kind: 'numeric', description: 'Smallest j >= 1 with f^j(x) = f^k(x): ((k - 1) mod cycle_length) + 1.' },
  ],
  difficultyRange: (p) => [1, need(p, 'maxHops')],
  maxLength: (p) => 2 * need(p, 'domain') + 5 * need(p, 'queries'),
  generate(p, rng, b, vocab) {
    const n = need(p, 'domain');
    const maxK = need(p, 'maxHops');
    const q = need(p, 'queries');
    const node0 = vocab.id('0');
    const hop1 = vocab.id('k1');
    const f = permutation(n, rng);
    const order = permutation(n, rng);
    for (const x of order) {
      b.push(node0 + x);
      b.push(node0 + at(f, x));
    }
    for (let i = 0; i < q; i++) {
      const x = rng.int(0, n - 1);
      const k = rng.int(1, maxK);
      let y = x;
      for (let h = 0; h < k; h++) y = at(f, y);
      let cycle = 1;
      for (let z = at(f, x); z !== x; z = at(f, z)) cycle++;
      b.push(vocab.id(';'));
      b.push(node0 + x);
      b.push(hop1 + k - 1);
      b.push(vocab.id('='));
      b.answer(node0 + y, k, { domain: n, cycle_length: cycle, effective_hops: ((k - 1) % cycle) + 1 });
    }
  },
});

