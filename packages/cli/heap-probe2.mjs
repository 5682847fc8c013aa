import { writeFileSync } from 'node:fs';
import { runCli } from './dist/index.js';
const N = Number(process.argv[2]);
const dir = `/tmp/user-heap/run-${N}-${process.pid}`;
writeFileSync('/tmp/user-heap/cfg.json', JSON.stringify({ name: 'h', task: { name: 'addition', params: { digits: 2 }, trainSizes: [2], evalSizes: [2] }, model: { dModel: 16, nHeads: 2, tMax: 3 }, policy: { name: 'anira-o' }, trainer: { steps: N, batchSize: 4, warmupSteps: 0, evalEvery: 50 }, eval: { examples: 4, heldOut: 8, tMax: [] }, checkpointEvery: 100 }));
// sample heap during training via a timer
const samples = [];
const t = setInterval(() => { global.gc(); samples.push((process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)); }, 2000);
const code = await runCli(['train', '--config', '/tmp/user-heap/cfg.json', '--out', dir, '--quiet', '--backend', 'cpu']);
clearInterval(t);
global.gc(); global.gc();
console.log(N, 'code', code, 'heapMB end', (process.memoryUsage().heapUsed / 2 ** 20).toFixed(2), 'samples', samples.join(' '));
