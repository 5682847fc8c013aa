/** Node file helpers: trace file round trip with path-prefixed errors; report files on disk. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTraceFile, writeReport, writeTraceFile } from './node.js';
import { syntheticTrace } from './testing/synthetic-trace.js';

const dir = mkdtempSync(join(tmpdir(), 'anira-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@anira/metrics/node', () => {
  it('writes and reads back a trace file', async () => {
    const trace = syntheticTrace({ sizes: [2, 5], examplesPerSize: 3 });
    const path = join(dir, 'trace.jsonl');
    await writeTraceFile(path, trace);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(7);
    expect(await readTraceFile(path)).toEqual(trace);
    writeFileSync(path, '{"kind":"x"}\n');
    await expect(readTraceFile(path)).rejects.toThrow(`${path}: trace line 1: kind must be "anira-trace"`);
  });

  it('writes a report directory', async () => {
    const html = await writeReport(join(dir, 'report'), { html: '<html></html>', svgs: { a: '<svg></svg>' } });
    expect(readFileSync(html, 'utf8')).toBe('<html></html>');
    expect(readdirSync(join(dir, 'report')).sort()).toEqual(['a.svg', 'index.html']);
  });
});
