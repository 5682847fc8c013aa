/**
 * Batching: pad examples to a common length. Plain typed arrays (no tensors), so a
 * batch can be built anywhere and turned into tensors inside the caller's tidy.
 */
import { AniraInputError } from '@anira/tasks/errors';
import { IGNORE, PAD_ID, type Example } from '@anira/tasks';

/** A padded batch; arrays are row-major `[B, L]`. */
export interface Batch {
  readonly batch: number;
  readonly length: number;
  /** Token ids, PAD_ID on padding. */
  readonly input: Int32Array;
  /** Targets, IGNORE (-1) on padding and wherever the example has no target. */
  readonly target: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  readonly mask: Float32Array;
}

/** One-line error for a value that is not an `Example` (e.g. an `example(i)` function that returned nothing). */
function checkExample(e: unknown, i: number): void {
  const got = e === null ? 'null' : Array.isArray(e) ? 'an array' : typeof e;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) {
    throw new AniraInputError(`collate: example ${i} must be an Example { input, target, ... }, got ${got} (does your example() function return one?)`);
  }
  for (const k of ['input', 'target'] as const) {
    const v = (e as Record<string, unknown>)[k];
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new AniraInputError(`collate: example ${i} field "${k}" must be an array of token ids, got ${v === null ? 'null' : typeof v}`);
  }
  const input = (e as Example).input;
  for (let t = 0; t < input.length; t++) {
    if (!Number.isInteger(input[t])) throw new AniraInputError(`collate: example ${i} input[${t}] must be an integer token id, got ${String(input[t])}`);
  }
}

/** Pad `examples` to `maxLength` (default: the longest example). */
export function collate(examples: readonly Example[], maxLength?: number): Batch {
  if (examples.length === 0) throw new AniraInputError('collate: "examples" must hold at least 1 example, got 0');
  examples.forEach(checkExample);
  const longest = Math.max(...examples.map((e) => e.input.length));
  const length = maxLength ?? longest;
  if (longest > length) throw new AniraInputError(`collate: example length must be in [1, ${length}], got ${longest}`);
  const b = examples.length;
  const input = new Int32Array(b * length).fill(PAD_ID);
  const target = new Int32Array(b * length).fill(IGNORE);
  const mask = new Float32Array(b * length);
  examples.forEach((e, i) => {
    if (e.target.length !== e.input.length) {
      throw new AniraInputError(`collate: example ${i} has ${e.input.length} inputs but ${e.target.length} targets`);
    }
    for (let t = 0; t < e.input.length; t++) {
      input[i * length + t] = e.input[t]!;
      target[i * length + t] = e.target[t]!;
      mask[i * length + t] = 1;
    }
  });
  return { batch: b, length, input, target, mask };
}
