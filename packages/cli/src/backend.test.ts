/**
 * The native-kernel switch of the CLI's backend setup: ANIRA_NATIVE parsing, and
 * wasm with the kernels on (auto) or off, read back through the capabilities.
 */
import { backendCapabilities } from '@anira/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { heapExhaustedError, nativeMode, setupBackend } from './backend.js';

const saved = process.env.ANIRA_NATIVE;
afterEach(() => {
  if (saved === undefined) delete process.env.ANIRA_NATIVE;
  else process.env.ANIRA_NATIVE = saved;
});

describe('native kernels in setupBackend', () => {
  it('reads ANIRA_NATIVE', () => {
    expect(nativeMode(undefined)).toBe('auto');
    expect(nativeMode('0')).toBe('off');
    expect(nativeMode('OFF')).toBe('off');
    expect(nativeMode('1')).toBe('on');
    expect(() => nativeMode('maybe')).toThrow('ANIRA_NATIVE must be one of auto|on|off (or 1|0), got "maybe"');
  });

  it('wasm uses the native kernels by default and plain wasm with ANIRA_NATIVE=0', async () => {
    delete process.env.ANIRA_NATIVE;
    const on = await setupBackend('auto');
    expect(on.name).toBe('wasm');
    expect(on.native).toMatch(/\w+/);
    expect(on.notice).toBeUndefined();
    expect(backendCapabilities().transposedProductCheap).toBe(true);
    process.env.ANIRA_NATIVE = '0';
    const off = await setupBackend('wasm');
    expect(off.native).toBeUndefined();
    expect(backendCapabilities().transposedProductCheap).toBe(false);
  });
});

describe('heapExhaustedError', () => {
  const run = { model: { dModel: 128, tMax: 8 }, trainer: { batchSize: 256 }, task: { name: 'dyck', params: { length: 60 } } };

  it('turns the wasm module abort into one line naming batch, model, limit and the fix', async () => {
    await setupBackend('wasm');
    const u = heapExhaustedError(new WebAssembly.RuntimeError('Aborted()'), run);
    expect(u?.message).toBe(
      'a training batch does not fit in the wasm heap (limit 4 GiB): trainer.batchSize 256, model dModel 128 tMax 8, task dyck {"length":60}; ' +
        'lower trainer.batchSize (memory grows with batchSize x length x dModel x tMax) or split each batch over threads with --workers N (each has its own heap)',
    );
    expect(u?.message).not.toContain('\n');
  });

  it('leaves other errors alone', () => {
    expect(heapExhaustedError(new Error('Aborted()'), run)).toBeUndefined();
    expect(heapExhaustedError(new RangeError('x'), run)).toBeUndefined();
  });
});
