/**
 * Builds one `Example` token by token, so every task applies the same target
 * convention: `target[i]` is the token the model must output at position i after
 * reading `input[0..i]`. `answer()` appends an answer token (the previous position
 * predicts it: target[i] = input[i + 1]); `label()` tags the current position with
 * a token that is not part of the input (listops, dyck, agreement).
 * Labels are stored compactly and scattered into full-length columns once at `build()`.
 */
import { at } from './checked.js';
import { IGNORE } from './example.js';
import type { Example, FeatureGroup, FeatureSpec } from './example.js';

export class SequenceBuilder {
  readonly input: number[] = [];
  private readonly labelPos: number[] = [];
  private readonly labelTarget: number[] = [];
  private readonly labelDifficulty: number[] = [];
  private readonly labelFeatures: number[][];

  /** `size` fills the shared `size` feature; `position` is filled with the label's index. */
  constructor(
    private readonly features: readonly FeatureSpec[],
    private readonly size: number,
  ) {
    this.labelFeatures = features.map(() => []);
  }

  /** Appends a prompt token (no loss at the position before it). */
  push(id: number): void {
    this.input.push(id);
  }

  /** Appends answer token `id`, predicted at the previous position (which must exist and be unlabelled). */
  answer(id: number, difficulty: number, feats: Readonly<Record<string, number>>): void {
    if (this.input.length === 0) throw new Error('SequenceBuilder: an answer needs a preceding token');
    this.record(this.input.length - 1, id, difficulty, feats);
    this.input.push(id);
  }

  /** Appends token `id` and sets the target at its own position to `target`. */
  pushLabelled(id: number, target: number, difficulty: number, feats: Readonly<Record<string, number>>): void {
    this.input.push(id);
    this.record(this.input.length - 1, target, difficulty, feats);
  }

  private record(pos: number, target: number, difficulty: number, feats: Readonly<Record<string, number>>): void {
    const n = this.labelPos.length;
    if (n > 0 && this.labelPos[n - 1] === pos) throw new Error(`SequenceBuilder: position ${pos} labelled twice`);
    this.labelPos.push(pos);
    this.labelTarget.push(target);
    this.labelDifficulty.push(difficulty);
    for (const [f, spec] of this.features.entries()) {
      const v = spec.name === 'position' ? pos : spec.name === 'size' ? this.size : feats[spec.name];
      if (v === undefined) throw new Error(`SequenceBuilder: feature "${spec.name}" missing at position ${pos}`);
      at(this.labelFeatures, f).push(v);
    }
  }

  /** Scatters labels into `[L]` columns (IGNORE / -1 / NaN where unset). */
  build(task: string, params: Readonly<Record<string, number>>): Example {
    const L = this.input.length;
    const target = new Array<number>(L).fill(IGNORE);
    const difficulty = new Array<number>(L).fill(-1);
    const groups: Record<FeatureGroup, Record<string, number[]>> = { static: {}, position: {}, dynamic: {} };
    const cols = this.features.map((spec) => {
      const col = new Array<number>(L).fill(NaN);
      groups[spec.group][spec.name] = col;
      return col;
    });
    for (const [k, p] of this.labelPos.entries()) {
      target[p] = at(this.labelTarget, k);
      difficulty[p] = at(this.labelDifficulty, k);
    }
    for (const [f, col] of cols.entries()) {
      for (const [k, v] of at(this.labelFeatures, f).entries()) col[at(this.labelPos, k)] = v;
    }
    return {
      input: this.input,
      target,
      difficulty,
      features: groups,
      size: this.size,
      meta: { task, params: { ...params }, seed: -1 },
    };
  }
}
