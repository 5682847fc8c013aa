/**
 * The accuracy-gated size curriculum: its config schema, the gate opening sizes on a
 * stubbed sequence of held-out accuracies, early stopping held back until every size
 * is open, the state a checkpoint carries, and the training stream following it.
 */
import { describe, expect, it } from 'vitest';
import { inputKey } from '@anira/tasks';
import { parseExperiment, type ExperimentInput } from './config.js';
import { SizeGate, sizeGateOf, withoutEarlyStopping } from './curriculum-gate.js';
import { curriculumOf, heldOutBySize, heldOutSet, setupTask, trainingDraw, trainingStream, validateExperiment } from './setup.js';

const base: ExperimentInput = {
  name: 'g', seed: 3,
  task: { name: 'addition', params: { digits: 3 }, trainSizes: [3, 1, 2], curriculum: { gate: { accuracy: 0.95 } } },
  policy: { name: 'fixed' }, trainer: { batchSize: 4, evalEvery: 10 },
};
const withCurriculum = (curriculum: unknown) => ({ ...base, task: { ...base.task, curriculum } });
const parseError = (value: unknown) => {
  try {
    parseExperiment(value);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
};

/** A gate over sizes 1-3 (batch 4) with the given early stopping. */
const gate = (stopping: { patience?: number; targetAccuracy?: number } = {}) => new SizeGate({ sizes: [3, 1, 2], accuracy: 0.95, batchSize: 4, ...stopping });
const bySize = (...acc: number[]) => new Map(acc.map((a, i) => [i + 1, a]));

describe('task.curriculum schema', () => {
  it('takes { steps } or { gate: { accuracy } }, unchanged', () => {
    expect(parseExperiment(withCurriculum({ gate: { accuracy: 0.95 } })).task.curriculum).toEqual({ gate: { accuracy: 0.95 } });
    expect(parseExperiment(withCurriculum({ gate: { accuracy: 1 } })).task.curriculum).toEqual({ gate: { accuracy: 1 } });
    expect(parseExperiment(withCurriculum({ steps: 6 })).task.curriculum).toEqual({ steps: 6 });
    expect(curriculumOf(parseExperiment(withCurriculum({ steps: 6 })))).toEqual({ steps: 6, batchSize: 4 });
    // a gate is not a fixed schedule
    expect(curriculumOf(parseExperiment(base))).toBeUndefined();
  });

  it('refuses bad forms and values with one line naming the field and the allowed range', () => {
    const cases: [unknown, string][] = [
      [{ gate: { accuracy: 0 } }, 'config: "task.curriculum.gate.accuracy": must be a number in (0, 1] (the token accuracy every open size must reach), got 0'],
      [{ gate: { accuracy: 1.5 } }, '"task.curriculum.gate.accuracy": must be a number in (0, 1]'],
      [{ gate: { accuracy: -0.1 } }, 'got -0.1'],
      [{ gate: { accuracy: '0.9' } }, 'got "0.9"'],
      [{ gate: {} }, '"task.curriculum.gate.accuracy": must be a number in (0, 1] (the token accuracy every open size must reach), and is missing'],
      [{ gate: { accuracy: 0.9, minSteps: 5 } }, '"task.curriculum.gate": Unrecognized key: "minSteps"'],
      [{ steps: 10, gate: { accuracy: 0.9 } }, '"task.curriculum": takes one of "steps" (a fixed schedule: { steps: N }) or "gate" (an accuracy gate: { gate: { accuracy: 0.95 } }), not both'],
      [{}, '"task.curriculum": takes one of "steps"'],
      [{ steps: 0 }, '"task.curriculum.steps": Too small: expected number to be >=1'],
    ];
    for (const [curriculum, message] of cases) {
      const m = parseError(withCurriculum(curriculum));
      expect(m, JSON.stringify(curriculum)).toContain(message);
      expect(m?.split('\n')).toHaveLength(1);
    }
  });

  it('needs held-out evaluations: trainer.evalEvery 0 is refused by validation, naming the field', async () => {
    const cfg = parseExperiment({ ...base, trainer: { batchSize: 4, evalEvery: 0 } });
    await expect(validateExperiment(cfg, 'g.yaml')).rejects.toThrow(
      'g.yaml: "task.curriculum.gate" opens sizes at held-out evaluations, so "trainer.evalEvery" must be an integer in [1, 1e9], got 0',
    );
    await expect(validateExperiment(parseExperiment(base), 'g.yaml')).resolves.toBeUndefined();
  });
});

describe('SizeGate', () => {
  it('opens the next size exactly at the first evaluation where every open size reaches the gate', () => {
    const g = gate();
    expect([g.openSizes, g.closedSizes, g.complete]).toEqual([[1], [2, 3], false]);
    // size 1 climbs: 0.5, 0.9499 (just under), 0.95 (exactly the gate): opens 2 after update 30
    expect(g.observe(10, { bySize: bySize(0.5), accuracy: 0.2, improved: true })).toEqual({ record: { open: [1], accuracy: { 1: 0.5 } } });
    expect(g.observe(20, { bySize: bySize(0.9499), accuracy: 0.3, improved: true }).record?.opened).toBeUndefined();
    expect(g.observe(30, { bySize: bySize(19 / 20), accuracy: 0.3, improved: false })).toEqual({ record: { open: [1], accuracy: { 1: 0.95 }, opened: 2 } });
    expect(g.opened).toEqual([{ size: 1, step: 0, index: 0 }, { size: 2, step: 30, index: 120 }]);
    // per size, not pooled: size 1 perfect does not carry size 2 at 0.9
    expect(g.observe(40, { bySize: bySize(1, 0.9), accuracy: 0.6, improved: true })).toEqual({ record: { open: [1, 2], accuracy: { 1: 1, 2: 0.9 } } });
    // size 1 slipping below the gate holds size 3 back too
    expect(g.observe(50, { bySize: bySize(0.94, 0.99), accuracy: 0.6, improved: false }).record?.opened).toBeUndefined();
    expect(g.observe(60, { bySize: bySize(0.96, 0.99), accuracy: 0.7, improved: true }).record?.opened).toBe(3);
    expect([g.openSizes, g.closedSizes, g.complete]).toEqual([[1, 2, 3], [], true]);
    // complete: no per-size evaluation needed, no record
    expect(g.observe(70, { accuracy: 0.8, improved: true })).toEqual({});
    expect(g.summary()).toEqual({
      accuracy: 0.95, opened: [{ size: 1, step: 0, index: 0 }, { size: 2, step: 30, index: 120 }, { size: 3, step: 60, index: 240 }], closed: [],
    });
    expect(g.describe()).toBe('curriculum gate 0.95: size 1 from the start, 2 after update 30, 3 after update 60');
  });

  it('opens one size per evaluation, needs the accuracy of every open size, and treats NaN as not reached', () => {
    const g = gate();
    expect(g.observe(10, { bySize: bySize(1, 1, 1), accuracy: 1, improved: true }).record?.opened).toBe(2);
    expect(() => g.observe(20, { bySize: bySize(1), accuracy: 1, improved: false })).toThrow('no accuracy for open size 2');
    expect(g.observe(20, { bySize: bySize(1, Number.NaN), accuracy: 1, improved: false }).record?.opened).toBeUndefined();
    expect(g.describe()).toBe('curriculum gate 0.95: size 1 from the start, 2 after update 10; never opened: 3');
  });

  it('holds patience and target accuracy back while a size is closed, then counts patience from there', () => {
    const g = gate({ patience: 2, targetAccuracy: 0.9 });
    // closed sizes: full-set accuracy above the target and no improvement for 3 evaluations: no stop
    for (const step of [10, 20, 30]) expect(g.observe(step, { bySize: bySize(0.5), accuracy: 0.95, improved: false }).stop).toBeUndefined();
    expect(g.evalsSinceBest).toBe(0);
    g.observe(40, { bySize: bySize(0.99), accuracy: 0.5, improved: false }); // opens 2
    g.observe(50, { bySize: bySize(0.99, 0.99), accuracy: 0.5, improved: false }); // opens 3: complete
    expect(g.complete).toBe(true);
    // from here the trainer's rules: one evaluation without improvement, an improvement resets, two stop
    expect(g.observe(60, { accuracy: 0.5, improved: false })).toEqual({});
    expect(g.evalsSinceBest).toBe(1);
    expect(g.observe(70, { accuracy: 0.6, improved: true })).toEqual({});
    expect(g.observe(80, { accuracy: 0.6, improved: false })).toEqual({});
    expect(g.exhausted).toBe(false);
    expect(g.observe(90, { accuracy: 0.6, improved: false })).toEqual({ stop: 'patience' });
    expect(g.exhausted).toBe(true);
    const t = gate({ patience: 2, targetAccuracy: 0.9 });
    t.observe(10, { bySize: bySize(1), accuracy: 0.99, improved: true });
    t.observe(20, { bySize: bySize(1, 1), accuracy: 0.99, improved: true });
    expect(t.observe(30, { accuracy: 0.9, improved: false })).toEqual({ stop: 'target-accuracy' });
  });

  it('a size trained alone is complete from the start: the trainer rules apply at once', () => {
    const g = new SizeGate({ sizes: [4], accuracy: 0.95, batchSize: 8, patience: 1 });
    expect(g.complete).toBe(true);
    expect(g.observe(10, { accuracy: 0.2, improved: true })).toEqual({});
    expect(g.observe(20, { accuracy: 0.1, improved: false })).toEqual({ stop: 'patience' });
  });

  it('restores its state from a checkpoint header, and refuses one that does not fit', () => {
    const g = gate({ patience: 3 });
    g.observe(10, { bySize: bySize(1), accuracy: 0.5, improved: true });
    g.observe(20, { bySize: bySize(1, 1), accuracy: 0.5, improved: true });
    g.observe(30, { accuracy: 0.5, improved: false });
    const state = JSON.parse(JSON.stringify(g.state())) as unknown; // as a checkpoint header carries it
    expect(state).toEqual({ accuracy: 0.95, opened: [{ size: 1, step: 0, index: 0 }, { size: 2, step: 10, index: 40 }, { size: 3, step: 20, index: 80 }], evalsSinceBest: 1 });
    const r = gate({ patience: 3 });
    r.restore(state, 'ck.anira', 30);
    expect([r.state(), r.openSizes, r.complete]).toEqual([g.state(), [1, 2, 3], true]);
    expect([0, 39, 40, 79, 80].map(r.openAt)).toEqual([1, 1, 2, 2, 3]);

    const refused: [unknown, number, string][] = [
      [undefined, 30, 'ck.anira: header field "curriculum" is missing; the checkpoint was not written by this run\'s gated curriculum (task.curriculum.gate)'],
      [{ ...g.state(), accuracy: 0.9 }, 30, 'has gate accuracy 0.9, the config 0.95'],
      [g.state(), 15, 'opening 3 must be { size: 3, step: an update in [10, 15], index: step x 4 }'],
      [{ ...g.state(), opened: [{ size: 2, step: 0, index: 0 }] }, 30, 'opening 1 must be { size: 1'],
      [{ ...g.state(), opened: [{ size: 1, step: 0, index: 0 }, { size: 2, step: 10, index: 41 }] }, 30, 'index: step x 4'],
      [{ ...g.state(), opened: [] }, 30, 'must list 1 to 3 opened sizes'],
      [{ ...g.state(), opened: [{ size: 1, step: 0, index: 0 }] }, 30, 'counts 1 evaluations without improvement while a size is closed'],
      [{ ...g.state(), evalsSinceBest: -1 }, 30, 'not a count'],
    ];
    for (const [raw, step, message] of refused) {
      const fresh = gate();
      expect(() => fresh.restore(raw, 'ck.anira', step), message).toThrow(message);
      expect(fresh.openSizes).toEqual([1]); // nothing changed
    }
  });
});

describe('the training stream under a gate', () => {
  const cfg = parseExperiment(base);
  const setup = setupTask(cfg);

  it('draws each example from the sizes open when it is drawn, and the same example after later openings', () => {
    const g = sizeGateOf(cfg, setup.trainSizes);
    if (!g) throw new Error('no gate');
    const draw = trainingDraw(setup, cfg.seed, g.openAt);
    const stream = trainingStream(setup, cfg.seed, new Set(), g.openAt);
    const sizes = (from: number, to: number) => new Set(Array.from({ length: to - from }, (_, i) => draw(from + i, 0).size));
    const early = Array.from({ length: 40 }, (_, i) => inputKey(stream(i)));
    expect(sizes(0, 400)).toEqual(new Set([1]));
    // size 2 opens after update 10 (batch 4): examples 40 on
    g.observe(10, { bySize: new Map([[1, 1]]), accuracy: 0.3, improved: true });
    expect(sizes(0, 40)).toEqual(new Set([1]));
    expect(sizes(40, 400)).toEqual(new Set([1, 2]));
    expect(Array.from({ length: 40 }, (_, i) => inputKey(stream(i)))).toEqual(early);
    g.observe(20, { bySize: new Map([[1, 1], [2, 1]]), accuracy: 0.3, improved: true });
    expect(sizes(80, 500)).toEqual(new Set([1, 2, 3]));
    // a restored gate gives the same stream
    const r = sizeGateOf(cfg, setup.trainSizes);
    r?.restore(g.state(), 'ck', 20);
    const again = trainingStream(setup, cfg.seed, new Set(), r?.openAt);
    for (const i of [0, 39, 40, 79, 80, 200]) expect(inputKey(again(i))).toEqual(inputKey(stream(i)));
  });

  it('the gate evaluates each size on its part of the selection set; the trainer leaves early stopping to the gate', () => {
    const parts = heldOutBySize(setup, cfg.seed, 30);
    expect(parts.map((p) => [p.size, p.examples.length])).toEqual([[3, 10], [1, 10], [2, 10]]);
    expect(parts.flatMap((p) => p.examples).map(inputKey)).toEqual(heldOutSet(setup, cfg.seed, 30).map(inputKey));
    expect(withoutEarlyStopping({ seed: 1, steps: 9, patience: 3, targetAccuracy: 0.9 })).toEqual({ seed: 1, steps: 9 });
    const t = parseExperiment({ ...base, trainer: { batchSize: 4, evalEvery: 10, patience: 2, targetAccuracy: 0.9 } });
    const g = sizeGateOf(t, [1, 2]);
    g?.observe(10, { bySize: new Map([[1, 1]]), accuracy: 0.3, improved: true });
    expect(g?.observe(20, { accuracy: 0.95, improved: true })).toEqual({ stop: 'target-accuracy' });
  });
});
