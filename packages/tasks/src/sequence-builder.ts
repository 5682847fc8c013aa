/**
 * Builds one `Example` token by token, so every task applies the same target
 * convention: `target[i]` is the token the model must output at position i after
 * reading `input[0..i]`. `answer()` appends an answer token (the previous position
 * predicts it: target[i] = input[i + 1]); `label()` tags the current position with
 * a token that is not part of the input (listops, dyck, agreement).
 * Labels are stored compactly and scattered into full-length columns once at `build()`.
 */
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
    // per token: plain loops with the checks written inline (a shared checked accessor is
    // not inlined here and took 15% of generation; `entries()` allocated a pair per step)
    let f = 0;
    for (const spec of this.features) {
      const v = spec.name === 'position' ? pos : spec.name === 'size' ? this.size : feats[spec.name];
      if (v === undefined) throw new Error(`SequenceBuilder: feature "${spec.name}" missing at position ${pos}`);
      const col = this.labelFeatures[f++];
      if (col === undefined) throw new Error(`invariant: no label column for feature "${spec.name}"`);
      col.push(v);
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
    const { labelPos: pos, labelTarget: tgt, labelDifficulty: dif } = this;
    for (let k = 0; k < pos.length; k++) {
      const p = pos[k];
      const t = tgt[k];
      const d = dif[k];
      if (p === undefined || t === undefined || d === undefined) throw new Error(`invariant: label ${k} of ${pos.length} incomplete`);
      target[p] = t;
      difficulty[p] = d;
    }
    let f = 0;
    for (const col of cols) {
      const vals = this.labelFeatures[f++] ?? [];
      let k = 0;
      for (const v of vals) {
        const p = pos[k++];
        if (p === undefined) throw new Error(`invariant: feature value ${k - 1} has no label position`);
        col[p] = v;
      }
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
