/**
 * Trace JSONL reading and writing, browser-safe (strings only, no file IO).
 * Line 1 is the TraceHeader, each further non-blank line one ExampleTrace.
 * Parsing validates the shape and ranges and fails with a one-line error that names
 * the line, the field and the allowed range.
 * Missing feature values: NaN (and +-Infinity) in memory are written as JSON null (what
 * JSON.stringify does with non-finite numbers); the reader turns null back into NaN.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { SUPPORTED_TRACE_VERSIONS, type ExampleTrace, type Trace, type TraceHeader } from './trace.js';

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly where: string) {}
  fail(field: string, want: string, got: unknown): never {
    const shown = typeof got === 'string' ? JSON.stringify(got) : JSON.stringify(got) ?? String(got);
    throw new AniraInputError(`${this.where}: ${field} must be ${want}, got ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`, { code: 'invalid-file' });
  }
  obj(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'an object', v);
    return v as Obj;
  }
  num(v: unknown, field: string, lo = -Infinity, hi = Infinity, int = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v)))
      this.fail(field, `${int ? 'an integer' : 'a number'}${lo > -Infinity || hi < Infinity ? ` in [${lo}, ${hi}]` : ''}`, v);
    return v as number;
  }
  str(v: unknown, field: string): string {
    if (typeof v !== 'string') this.fail(field, 'a string', v);
    return v as string;
  }
  bool(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, 'a boolean', v);
    return v as boolean;
  }
  arr(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, 'an array', v);
    return v as unknown[];
  }
  numRecord(v: unknown, field: string): void {
    const o = this.obj(v, field);
    for (const [k, x] of Object.entries(o)) this.num(x, `${field}.${k}`);
  }
  /** A record of feature values: numbers, or null for a missing value (replaced by NaN in place). */
  featureRecord(v: unknown, field: string): void {
    const o = this.obj(v, field);
    for (const [k, x] of Object.entries(o)) {
      if (x === null) o[k] = Number.NaN;
      else if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(`${field}.${k}`, 'a number or null (missing)', x);
    }
  }
}

function parseJson(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    throw new AniraInputError(`${where}: invalid JSON (${(e as Error).message})`, { code: 'invalid-file' });
  }
}

/** Validates a header object (line 1). */
export function validateHeader(value: unknown, where = 'trace line 1'): TraceHeader {
  const c = new Checker(where);
  const h = c.obj(value, 'header');
  if (h.kind !== 'anira-trace') c.fail('kind', '"anira-trace"', h.kind);
  if (!SUPPORTED_TRACE_VERSIONS.includes(h.version as number))
    c.fail('version', `one of ${SUPPORTED_TRACE_VERSIONS.join(', ')} (the supported trace formats)`, h.version);
  c.str(h.task, 'task');
  c.str(h.policy, 'policy');
  c.num(h.tMax, 'tMax', 1, 1e6, true);
  c.num(h.trainTMax, 'trainTMax', 1, 1e6, true);
  c.num(h.flopsPerIteration, 'flopsPerIteration', 0);
  c.arr(h.features, 'features').forEach((f, i) => {
    const o = c.obj(f, `features[${i}]`);
    c.str(o.name, `features[${i}].name`);
    if (o.group !== 'static' && o.group !== 'position' && o.group !== 'dynamic')
      c.fail(`features[${i}].group`, '"static", "position" or "dynamic"', o.group);
    if (o.kind !== 'numeric' && o.kind !== 'categorical') c.fail(`features[${i}].kind`, '"numeric" or "categorical"', o.kind);
    if (o.proxy !== undefined && typeof o.proxy !== 'boolean') c.fail(`features[${i}].proxy`, 'true or false', o.proxy);
  });
  c.arr(h.trainSizes, 'trainSizes').forEach((s, i) => c.num(s, `trainSizes[${i}]`));
  if (h.label !== undefined) c.str(h.label, 'label');
  if (h.weightsStep !== undefined) c.num(h.weightsStep, 'weightsStep', 0, 1e12, true);
  return h as unknown as TraceHeader;
}

/** Validates one example object against its header (exit depths in [1, tMax]). */
export function validateExample(value: unknown, header: TraceHeader, where: string): ExampleTrace {
  const c = new Checker(where);
  const e = c.obj(value, 'example');
  const meta = c.obj(e.meta, 'meta');
  c.str(meta.task, 'meta.task');
  c.numRecord(meta.params, 'meta.params');
  c.num(meta.seed, 'meta.seed');
  c.num(e.size, 'size');
  c.bool(e.exact, 'exact');
  c.arr(e.tokens, 'tokens').forEach((tv, i) => {
    const f = `tokens[${i}]`;
    const t = c.obj(tv, f);
    c.num(t.position, `${f}.position`, 0, Infinity, true);
    c.num(t.target, `${f}.target`, -Infinity, Infinity, true);
    c.num(t.prediction, `${f}.prediction`, -Infinity, Infinity, true);
    c.bool(t.correct, `${f}.correct`);
    const depth = c.num(t.exitDepth, `${f}.exitDepth`, 1, header.tMax, true);
    if (t.expectedDepth !== null) c.num(t.expectedDepth, `${f}.expectedDepth`, 0, header.tMax);
    if (t.haltProbs !== null) {
      const hp = c.arr(t.haltProbs, `${f}.haltProbs`);
      if (hp.length !== depth) c.fail(`${f}.haltProbs.length`, `exitDepth (${depth})`, hp.length);
      hp.forEach((p, k) => c.num(p, `${f}.haltProbs[${k}]`, 0, 1));
    }
    const sp = c.arr(t.stepPredictions, `${f}.stepPredictions`);
    if (sp.length !== depth) c.fail(`${f}.stepPredictions.length`, `exitDepth (${depth})`, sp.length);
    c.num(t.difficulty, `${f}.difficulty`);
    const feats = c.obj(t.features, `${f}.features`);
    c.featureRecord(feats.static, `${f}.features.static`);
    if (feats.position !== undefined) c.featureRecord(feats.position, `${f}.features.position`);
    c.featureRecord(feats.dynamic, `${f}.features.dynamic`);
    c.num(t.flops, `${f}.flops`, 0);
  });
  return e as unknown as ExampleTrace;
}

/** Parses a JSONL trace (header line, then one example per line; blank lines ignored). */
export function parseTraceJsonl(text: string): Trace {
  const lines = text.split(/\r?\n/);
  let header: TraceHeader | undefined;
  const examples: ExampleTrace[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `trace line ${i + 1}`;
    const value = parseJson(line, where);
    if (!header) header = validateHeader(value, where);
    else examples.push(validateExample(value, header, where));
  });
  if (!header) throw new AniraInputError('trace line 1: header must be a JSON object with kind "anira-trace", got an empty file', { code: 'invalid-file' });
  return { header, examples };
}

/** The JSONL lines of a trace (no trailing newlines), for streaming writers. NaN and +-Infinity become null. */
export function* traceLines(trace: Trace): Iterable<string> {
  yield JSON.stringify(trace.header);
  for (const ex of trace.examples) yield JSON.stringify(ex);
}

/** The whole trace as JSONL text (newline-terminated). */
export function traceToJsonl(trace: Trace): string {
  let out = '';
  for (const line of traceLines(trace)) out += `${line}\n`;
  return out;
}
