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
    expect(() => parseTraceJsonl(bad({ version: 3 }))).toThrow('trace line 1: version must be one of 1, 2 (the supported trace formats), got 3');
    expect(parseTraceJsonl(bad({ version: 1 })).header.version).toBe(1);
    expect(() => parseTraceJsonl('')).toThrow(/empty file/);
  });

  it('round-trips a missing (NaN) feature value as JSON null, and reads a position group', () => {
    const ex = trace.examples[0]!;
    const tok = { ...ex.tokens[0]!, features: { static: { size: 2 }, position: { position: 0 }, dynamic: { distance: Number.NaN, top_type: 1 } } };
    const withNaN = { ...trace, examples: [{ ...ex, tokens: [tok, ...ex.tokens.slice(1)] }, ...trace.examples.slice(1)] };
    const text = traceToJsonl(withNaN);
    expect(text).toContain('"distance":null');
    const back = parseTraceJsonl(text);
    expect(back.examples[0]!.tokens[0]!.features.dynamic.distance).toBeNaN();
    expect(back.examples[0]!.tokens[0]!.features.position).toEqual({ position: 0 });
    expect(back).toEqual(withNaN);
    expect(() => parseTraceJsonl(text.replace('"distance":null', '"distance":"x"'))).toThrow(
      'trace line 2: tokens[0].features.dynamic.distance must be a number or null (missing), got "x"');
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
