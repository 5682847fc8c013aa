/** Trace JSONL round trip and one-line validation errors with line numbers. */
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from './testing/synthetic-trace.js';
import { parseTraceJsonl, traceLines, traceToJsonl } from './trace-io.js';

describe('trace JSONL', () => {
  const trace = syntheticTrace({ sizes: [2, 3], examplesPerSize: 2 });

  it('round-trips and streams one line per example plus the header', () => {
    const text = traceToJsonl(trace);
    expect(parseTraceJsonl(text)).toEqual(trace);
    expect([...traceLines(trace)]).toHaveLength(1 + trace.examples.length);
    expect(parseTraceJsonl(text.replace(/\n/g, '\r\n') + '\n\n')).toEqual(trace);
  });

  it('rejects wrong kind and version on line 1', () => {
    const lines = [...traceLines(trace)];
    const bad = (h: object) => [JSON.stringify({ ...trace.header, ...h }), ...lines.slice(1)].join('\n');
    expect(() => parseTraceJsonl(bad({ kind: 'other' }))).toThrow('trace line 1: kind must be "anira-trace", got "other"');
    expect(() => parseTraceJsonl(bad({ version: 2 }))).toThrow(/trace line 1: version must be 1/);
    expect(() => parseTraceJsonl('')).toThrow(/empty file/);
  });

  it('names the line and field of a bad token', () => {
    const lines = [...traceLines(trace)];
    const ex = JSON.parse(lines[2]!);
    ex.tokens[1].exitDepth = 99;
    lines[2] = JSON.stringify(ex);
    expect(() => parseTraceJsonl(lines.join('\n'))).toThrow('trace line 3: tokens[1].exitDepth must be an integer in [1, 8], got 99');
    lines[2] = '{not json';
    expect(() => parseTraceJsonl(lines.join('\n'))).toThrow(/trace line 3: invalid JSON/);
  });
});
