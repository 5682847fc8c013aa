/**
 * Runs the addon's sgemm from `threads` worker threads at once, `rounds` times
 * each, on tiny products (the shapes of a d=16 model, where calls are most
 * frequent), and its training MLP forward and gradient (kernels that keep scratch
 * rows between calls, at two row counts so that the scratch grows and is reused),
 * and prints one JSON line: how many rounds differed in any bit from the same round
 * computed alone on the main thread first, and whether the addon ran the products
 * at once (`concurrent`) or one at a time.
 *   node concurrent-sgemm.mjs <threads> <rounds>
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = fileURLToPath(new URL('..', import.meta.url));
const addon = createRequire(import.meta.url)('node-gyp-build')(root);
const SHAPES = [[16, 16, 16], [8, 16, 16], [24, 48, 16], [24, 16, 48], [12, 12, 8]]; // [m, n, k]

/** mlp then mlpGrad (csrc/mlp.c) on one buffer of m rows, c 16, f 48: { run, out } with out every written float. */
function mlpCase(m, rnd) {
  const c = 16, f = 48;
  const sizes = [m * c, c * f, f, f * c, c, m * c, m * f, m * c, m * c, c * f, f, f * c, c]; // x w1 b1 w2 b2 dy | h y dx dw1 db1 dw2 db2
  const offs = sizes.map((_, i) => 4 * sizes.slice(0, i).reduce((a, b) => a + b, 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  const buf = new Float32Array(total);
  for (let i = 0; i < offs[6] / 4; i++) buf[i] = rnd();
  const [x, w1, b1, w2, b2, dy, h, y, dx, dw1, db1, dw2, db2] = offs;
  const fwd = Float64Array.from([m, c, f, x, w1, b1, w2, b2, h, y]);
  const grad = Float64Array.from([m, c, f, dy, x, h, w1, w2, dx, dw1, db1, dw2, db2]);
  return { run: () => (addon.mlp(buf.buffer, fwd), addon.mlpGrad(buf.buffer, grad)), out: new Uint32Array(buf.buffer, h) };
}

/** Every shape and transpose pair, then the MLP at 40 and 24 rows, on fixed pseudo-random inputs: { run, out } with out the written floats. */
function cases() {
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  const list = [];
  for (const [m, n, k] of SHAPES) {
    for (const ta of [0, 1]) {
      for (const tb of [0, 1]) {
        const f = new Float32Array(m * k + k * n + m * n); // A [m*k] | B [k*n] | C [m*n]
        for (let i = 0; i < m * k + k * n; i++) f[i] = rnd();
        const args = [f.buffer, 1, m, n, k, ta, tb, 0, 0, 4 * m * k, 0, 4 * (m * k + k * n), -1, 0];
        list.push({ run: () => addon.sgemm(...args), out: new Uint32Array(f.buffer, 4 * (m * k + k * n)) });
      }
    }
  }
  list.push(mlpCase(40, rnd), mlpCase(24, rnd));
  return list;
}

/** One round: every case once; does any output differ in any bit from `reference`? */
function roundDiffers(list, reference) {
  let differs = false;
  list.forEach(({ run, out }, c) => {
    run();
    for (let i = 0; i < out.length; i++) if (out[i] !== reference[c][i]) differs = true;
  });
  return differs;
}

if (isMainThread) {
  const [threads, rounds] = process.argv.slice(2).map(Number);
  const reference = cases().map(({ run, out }) => (run(), Uint32Array.from(out)));
  let done = 0;
  let differing = 0;
  for (let t = 0; t < threads; t++) {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { reference, rounds } });
    w.on('message', (n) => {
      differing += n;
      if (++done === threads) console.log(JSON.stringify({ core: addon.corename(), concurrent: addon.concurrent(), threads, rounds, differing }));
    });
  }
} else {
  const list = cases();
  let differing = 0;
  for (let r = 0; r < workerData.rounds; r++) if (roundDiffers(list, workerData.reference)) differing++;
  parentPort.postMessage(differing);
}
