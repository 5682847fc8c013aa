/**
 * The checkpoint format, browser-safe. One byte array:
 *   magic "ANIRACKP" (8 bytes) | header length n (uint32 LE) | header JSON (n bytes, UTF-8) | weight bytes
 * The header holds `format`, `version`, the run's JSON metadata (configs, step,
 * data position), the weight specs from `tf.io.encodeWeights` and a CRC-32 of the
 * weight bytes. Any corruption, truncation or version mismatch gives a one-line
 * error before tfjs sees the data.
 */
import * as tf from '@tensorflow/tfjs-core';

export const CHECKPOINT_MAGIC = 'ANIRACKP';
export const CHECKPOINT_VERSION = 1;

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
  readonly crc32: number;
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

/** Encode named tensors and JSON metadata into one checkpoint byte array. */
export async function serializeCheckpoint(
  meta: Readonly<Record<string, unknown>>,
  tensors: Readonly<Record<string, tf.Tensor>>,
): Promise<Uint8Array> {
  const { data, specs } = await tf.io.encodeWeights(tensors as tf.NamedTensorMap);
  const bytes = new Uint8Array(data);
  const header: CheckpointHeader = {
    format: 'anira-checkpoint',
    version: CHECKPOINT_VERSION,
    meta,
    weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype as CheckpointWeightSpec['dtype'] })),
    dataBytes: bytes.length,
    crc32: crc32(bytes),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + json.length + bytes.length);
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(bytes, 12 + json.length);
  return out;
}

/** Read and verify the header only (cheap; no tensors). */
export function readCheckpointHeader(bytes: Uint8Array): CheckpointHeader {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== CHECKPOINT_MAGIC) {
    throw new Error('checkpoint: not an ANIRA checkpoint (bad magic bytes)');
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + n > bytes.length) throw new Error(`checkpoint: truncated (header needs ${n} bytes, file has ${bytes.length - 12})`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + n))) as CheckpointHeader;
  } catch {
    throw new Error('checkpoint: corrupt header (invalid JSON)');
  }
  if (header?.format !== 'anira-checkpoint') throw new Error('checkpoint: corrupt header (format is not "anira-checkpoint")');
  if (header.version !== CHECKPOINT_VERSION) {
    throw new Error(`checkpoint: unsupported format version ${header.version}, this build reads version ${CHECKPOINT_VERSION}`);
  }
  if (!Array.isArray(header.weights)) throw new Error('checkpoint: corrupt header (no weight specs)');
  return header;
}

/** Decode a checkpoint: header plus named tensors (the caller disposes them). */
export function deserializeCheckpoint(bytes: Uint8Array): { header: CheckpointHeader; tensors: tf.NamedTensorMap } {
  const header = readCheckpointHeader(bytes);
  const start = 12 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const data = bytes.subarray(start);
  if (data.length !== header.dataBytes) {
    throw new Error(`checkpoint: truncated or padded weight data (${data.length} bytes, header says ${header.dataBytes})`);
  }
  let expected = 0;
  for (const s of header.weights) {
    if (!(s.dtype in BYTES) || !Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`checkpoint: corrupt weight spec for "${s.name}"`);
    }
    expected += s.shape.reduce((a, d) => a * d, 1) * BYTES[s.dtype]!;
  }
  if (expected !== data.length) throw new Error(`checkpoint: weight specs need ${expected} bytes, data has ${data.length}`);
  if (crc32(data) !== header.crc32) throw new Error('checkpoint: weight data is corrupt (CRC-32 mismatch)');
  const copy = data.slice().buffer; // aligned copy for typed-array views
  const tensors = tf.io.decodeWeights(copy, header.weights.map((s) => ({ ...s, shape: [...s.shape] })));
  return { header, tensors };
}
