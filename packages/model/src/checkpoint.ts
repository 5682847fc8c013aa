/**
 * The checkpoint format, browser-safe. One byte array (version 2):
 *   magic "ANIRACKP" (8 bytes) | header length n (uint32 LE) | header JSON (n bytes, UTF-8)
 *   | weight bytes | CRC-32 (uint32 LE) of every byte before it
 * The header holds `format`, `version`, the run's JSON metadata (configs, step,
 * data position), the weight specs from `tf.io.encodeWeights` and the weight byte
 * count. The trailing checksum covers header AND weights, so a flipped bit anywhere
 * is caught; every header field is then validated (a forged but re-checksummed step
 * of -5 is refused too). Version 1 files (no trailer, `crc32` of the weights only in
 * the header) still load. Non-finite weights are refused both ways: a diverged run
 * can neither write nor load a NaN checkpoint. Every failure is a one-line error
 * before tfjs sees the data.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { NonFiniteWeightError } from './errors.js';
import * as tf from '@tensorflow/tfjs-core';

export const CHECKPOINT_MAGIC = 'ANIRACKP';
export const CHECKPOINT_VERSION = 2;
/** Versions this build reads. */
export const CHECKPOINT_READABLE_VERSIONS: readonly number[] = [1, 2];

/** Weight spec as written by `tf.io.encodeWeights`. */
export interface CheckpointWeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
}

export interface CheckpointHeader {
  readonly format: 'anira-checkpoint';
  readonly version: number;
  /** Run metadata: model/policy/trainer/task configs, step, data position (plain JSON). */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly weights: readonly CheckpointWeightSpec[];
  readonly dataBytes: number;
  /** Version 1 only: CRC-32 of the weight bytes (version 2 checksums the whole file in a trailer). */
  readonly crc32?: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

let table: Uint32Array | undefined;
/** CRC-32 (IEEE) of `data`. */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The first non-finite float32 value in encoded weight bytes, by weight name (undefined: all finite). */
export function findNonFinite(data: Uint8Array, specs: readonly CheckpointWeightSpec[]): { name: string; index: number; value: number } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, d) => a * d, 1);
    if (s.dtype === 'float32') {
      for (let i = 0; i < size; i++) {
        const v = view.getFloat32(off + 4 * i, true);
        if (!Number.isFinite(v)) return { name: s.name, index: i, value: v };
      }
    }
    off += size * BYTES[s.dtype]!;
  }
  return undefined;
}

const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validate every header field (and the run metadata fields a trainer writes, when
 * present): one-line errors naming the field and what it must be.
 */
export function validateCheckpointHeader(header: unknown): asserts header is CheckpointHeader {
  if (!isObject(header)) throw new AniraInputError('checkpoint: corrupt header (not a JSON object)', { code: 'invalid-file' });
  if (header['format'] !== 'anira-checkpoint') throw new AniraInputError('checkpoint: corrupt header (format is not "anira-checkpoint")', { code: 'invalid-file' });
  if (!CHECKPOINT_READABLE_VERSIONS.includes(header['version'] as number)) {
    throw new AniraInputError(`checkpoint: unsupported format version ${String(header['version'])}, this build reads versions ${CHECKPOINT_READABLE_VERSIONS.join(' and ')}`, { code: 'invalid-file' });
  }
  if (!Array.isArray(header['weights'])) throw new AniraInputError('checkpoint: corrupt header (no weight specs)', { code: 'invalid-file' });
  for (const s of header['weights'] as unknown[]) {
    const spec = s as Record<string, unknown>;
    if (!isObject(s) || typeof spec['name'] !== 'string' || !(String(spec['dtype']) in BYTES) || !Array.isArray(spec['shape']) || (spec['shape'] as unknown[]).some((d) => !isInt(d, 0))) {
      throw new AniraInputError(`checkpoint: corrupt weight spec for "${String(isObject(s) ? spec['name'] : s)}"`, { code: 'invalid-file' });
    }
  }
  if (!isInt(header['dataBytes'], 0)) throw new AniraInputError('checkpoint: header "dataBytes" must be a non-negative integer', { code: 'invalid-file' });
  if (header['version'] === 1 && !isInt(header['crc32'], 0)) throw new AniraInputError('checkpoint: header "crc32" must be a non-negative integer', { code: 'invalid-file' });
  const meta = header['meta'];
  if (!isObject(meta)) throw new AniraInputError('checkpoint: header "meta" must be an object', { code: 'invalid-file' });
  for (const k of ['model', 'policy', 'trainer', 'task']) {
    if (k in meta && !isObject(meta[k])) throw new AniraInputError(`checkpoint: header "meta.${k}" must be an object`, { code: 'invalid-file' });
  }
  if ('policy' in meta && typeof (meta['policy'] as Record<string, unknown>)['name'] !== 'string') {
    throw new AniraInputError('checkpoint: header "meta.policy.name" must be a string', { code: 'invalid-file' });
  }
  const trainer = meta['trainer'] as Record<string, unknown> | undefined;
  if (trainer !== undefined) {
    if (!isInt(trainer['steps'], 1)) throw new AniraInputError('checkpoint: header "meta.trainer.steps" must be a positive integer', { code: 'invalid-file' });
    if (!isInt(trainer['batchSize'], 1)) throw new AniraInputError('checkpoint: header "meta.trainer.batchSize" must be a positive integer', { code: 'invalid-file' });
  }
  if ('step' in meta) {
    const step = meta['step'];
    const max = trainer ? (trainer['steps'] as number) : Number.MAX_SAFE_INTEGER;
    if (!isInt(step, 0) || step > max) throw new AniraInputError(`checkpoint: header "meta.step" must be an integer in [0, ${max}], got ${JSON.stringify(step)}`, { code: 'invalid-file' });
    if ('dataPosition' in meta && trainer && meta['dataPosition'] !== step * (trainer['batchSize'] as number)) {
      throw new AniraInputError(`checkpoint: header "meta.dataPosition" is ${JSON.stringify(meta['dataPosition'])}, expected step x batchSize = ${step * (trainer['batchSize'] as number)}`, { code: 'invalid-file' });
    }
  } else if ('dataPosition' in meta) {
    throw new AniraInputError('checkpoint: header has "meta.dataPosition" but no "meta.step"', { code: 'invalid-file' });
  }
}

/** Encode named tensors and JSON metadata into one checkpoint byte array (refuses non-finite weights). */
export async function serializeCheckpoint(
  meta: Readonly<Record<string, unknown>>,
  tensors: Readonly<Record<string, tf.Tensor>>,
): Promise<Uint8Array> {
  const { data, specs } = await tf.io.encodeWeights(tensors as tf.NamedTensorMap);
  const bytes = new Uint8Array(data);
  const weights = specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype as CheckpointWeightSpec['dtype'] }));
  const bad = findNonFinite(bytes, weights);
  if (bad) {
    throw new NonFiniteWeightError(bad.name, bad.value, bad.index);
  }
  const header: CheckpointHeader = { format: 'anira-checkpoint', version: CHECKPOINT_VERSION, meta, weights, dataBytes: bytes.length };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = 12 + json.length + bytes.length;
  const out = new Uint8Array(body + 4);
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(bytes, 12 + json.length);
  view.setUint32(body, crc32(out.subarray(0, body)), true);
  return out;
}

/** Where the weight bytes of a verified checkpoint lie. */
function locate(bytes: Uint8Array): { header: CheckpointHeader; start: number; end: number } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== CHECKPOINT_MAGIC) {
    throw new AniraInputError('checkpoint: not an ANIRA checkpoint (bad magic bytes)', { code: 'invalid-file' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(8, true);
  if (12 + n > bytes.length) throw new AniraInputError(`checkpoint: truncated (header needs ${n} bytes, file has ${bytes.length - 12})`, { code: 'invalid-file' });
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n)));
  } catch {
    // a flipped bit in a version 2 header: report the checksum, the real cause
    if (bytes.length >= 16 && crc32(bytes.subarray(0, bytes.length - 4)) !== view.getUint32(bytes.length - 4, true)) {
      throw new AniraInputError('checkpoint: corrupt (CRC-32 over header and weights does not match)', { code: 'invalid-file' });
    }
    throw new AniraInputError('checkpoint: corrupt header (invalid JSON)', { code: 'invalid-file' });
  }
  const version = (header as { version?: unknown } | null)?.version;
  const start = 12 + n;
  let end = bytes.length;
  if (version === 2) {
    if (bytes.length < start + 4) throw new AniraInputError('checkpoint: truncated (no checksum trailer)', { code: 'invalid-file' });
    end = bytes.length - 4;
    if (crc32(bytes.subarray(0, end)) !== view.getUint32(end, true)) {
      throw new AniraInputError('checkpoint: corrupt or truncated (CRC-32 over header and weights does not match)', { code: 'invalid-file' });
    }
  }
  validateCheckpointHeader(header);
  return { header, start, end };
}

/** Read and verify the header (the whole-file checksum for version 2; no tensors). */
export function readCheckpointHeader(bytes: Uint8Array): CheckpointHeader {
  return locate(bytes).header;
}

/** Decode a checkpoint: header plus named tensors (the caller disposes them). Refuses non-finite weights. */
export function deserializeCheckpoint(bytes: Uint8Array): { header: CheckpointHeader; tensors: tf.NamedTensorMap } {
  const { header, start, end } = locate(bytes);
  const data = bytes.subarray(start, end);
  if (data.length !== header.dataBytes) {
    throw new AniraInputError(`checkpoint: truncated or padded weight data (${data.length} bytes, header says ${header.dataBytes})`, { code: 'invalid-file' });
  }
  const expected = header.weights.reduce((sum, s) => sum + s.shape.reduce((a, d) => a * d, 1) * BYTES[s.dtype]!, 0);
  if (expected !== data.length) throw new AniraInputError(`checkpoint: weight specs need ${expected} bytes, data has ${data.length}`, { code: 'invalid-file' });
  if (header.version === 1 && crc32(data) !== header.crc32) throw new AniraInputError('checkpoint: weight data is corrupt (CRC-32 mismatch)', { code: 'invalid-file' });
  const bad = findNonFinite(data, header.weights);
  if (bad) throw new AniraInputError(`checkpoint: weight "${bad.name}" is not finite (${String(bad.value)} at index ${bad.index}); the checkpoint comes from a diverged run`, { code: 'invalid-file' });
  const copy = data.slice().buffer; // aligned copy for typed-array views
  const tensors = tf.io.decodeWeights(copy, header.weights.map((s) => ({ ...s, shape: [...s.shape] })));
  return { header, tensors };
}
