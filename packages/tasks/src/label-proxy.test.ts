/**
 * The label-proxy rule, both ways: hand-built cases where a feature is and is not a
 * proxy (pure levels, a coarsening, the missing indicator, R², rare levels, constants),
 * then every task and every feature on the paper specs' data: a feature is marked
 * `proxy` in its FeatureSpec exactly when the rule fires on one of them.
 */
import { describe, expect, it, test } from 'vitest';
import { IGNORE } from './example.js';
import { generateExample } from './generate.js';
import { labelProxyStats, PROXY_R2, PROXY_SHARE } from './label-proxy.js';
import { getTask, listTasks } from './registry.js';
import { ANALYSIS_CONFIGS } from './test-support/analysis-configs.js';

/** `n` copies of (label, value). */
const rep = (n: number, label: number, value: number): [number, number][] => Array.from({ length: n }, () => [label, value]);

describe('labelProxyStats', () => {
  it('a level holding one label on >= 20% of tokens is a proxy; on less it is not', () => {
    // value 0 <=> label 0 on 25 of 100 tokens; values 1, 2 mix labels 1, 2
    const yes = [...rep(25, 0, 0), ...rep(20, 1, 1), ...rep(20, 2, 1), ...rep(15, 1, 2), ...rep(20, 2, 2)];
    expect(labelProxyStats(yes).decisiveShare).toBeCloseTo(0.25, 12);
    expect(labelProxyStats(yes).proxy).toBe(true);
    const no = [...rep(15, 0, 0), ...rep(25, 1, 1), ...rep(25, 2, 1), ...rep(15, 1, 2), ...rep(20, 2, 2)];
    expect(labelProxyStats(no).decisiveShare).toBeCloseTo(0.15, 12);
    expect(labelProxyStats(no).r2).toBeLessThan(PROXY_R2);
    expect(labelProxyStats(no).proxy).toBe(false);
  });

  it('the missing indicator (NaN) is a level: NaN <=> label 0 is a proxy', () => {
    const pairs = [...rep(30, 0, Number.NaN), ...rep(20, 1, 3), ...rep(15, 2, 3), ...rep(15, 1, 4), ...rep(20, 2, 4)];
    expect(labelProxyStats(pairs)).toMatchObject({ decisiveShare: 0.3, proxy: true });
    expect(labelProxyStats(pairs.map(([l, v]) => [l, Number.isNaN(v) ? 3 : v] as [number, number])).proxy).toBe(false);
  });

  it('a level whose labels no other level takes determines a coarsening ([label > 0])', () => {
    // value 1 <=> label in {1, 2}: not one label, but a coarsening; value 0 <=> label 0
    const pairs = [...rep(10, 0, 0), ...rep(45, 1, 1), ...rep(45, 2, 1)];
    expect(labelProxyStats(pairs).decisiveShare).toBe(1);
  });

  it('R² of the label on the levels >= 0.7 is a proxy without any decisive level', () => {
    // every level mixes two labels, but the level explains most of the variance
    const pairs = [...rep(45, 0, 0), ...rep(5, 10, 0), ...rep(45, 10, 1), ...rep(5, 0, 1)];
    const s = labelProxyStats(pairs);
    expect(s.decisiveShare).toBe(0);
    expect(s.r2).toBeCloseTo(1 - (100 * 0.09) / 100 / 0.25 / 1, 12); // η² = 1 - within/total = 0.64
    expect(s.proxy).toBe(false);
    const strong = [...rep(48, 0, 0), ...rep(2, 10, 0), ...rep(48, 10, 1), ...rep(2, 0, 1)];
    expect(labelProxyStats(strong).r2).toBeGreaterThanOrEqual(PROXY_R2);
    expect(labelProxyStats(strong).proxy).toBe(true);
  });

  it('rare levels and constant features do not count', () => {
    // 30 singleton values, each trivially pure: below the 10-token floor
    const rare: [number, number][] = [...Array.from({ length: 30 }, (_, i): [number, number] => [i % 3, 100 + i]), ...rep(35, 1, 0), ...rep(35, 2, 0)];
    expect(labelProxyStats(rare).decisiveShare).toBe(0);
    const constant = [...rep(50, 0, 7), ...rep(50, 1, 7)];
    expect(labelProxyStats(constant)).toMatchObject({ decisiveShare: 0, r2: 0, proxy: false });
    expect(PROXY_SHARE).toBe(0.2);
  });
});

/** (label, value) of every target token of 600 examples per config, the sizes mixed. */
function pairsFor(taskName: string, feature: string, config: { params: Record<string, number>; sizes: readonly number[] }): [number, number][] {
  const task = getTask(taskName);
  const spec = task.features.find((f) => f.name === feature)!;
  const out: [number, number][] = [];
  for (let s = 0; s < 600; s++) {
    const ex = generateExample(task, { ...config.params, [task.sizeParam]: config.sizes[s % config.sizes.length]! }, s);
    const col = ex.features[spec.group][feature]!;
    ex.target.forEach((t, i) => {
      if (t !== IGNORE) out.push([ex.difficulty[i]!, col[i]!]);
    });
  }
  return out;
}

test('every task has its analysis configurations', () => {
  expect(Object.keys(ANALYSIS_CONFIGS).sort()).toEqual(listTasks().map((t) => t.name).sort());
});

describe.each(listTasks().flatMap((t) => t.features.map((f) => [t.name, f.name, f.proxy === true] as const)))('%s.%s', (task, feature, marked) => {
  test(`is marked proxy: ${marked}, as the rule says on the paper specs' data`, () => {
    const stats = ANALYSIS_CONFIGS[task]!.map((c) => labelProxyStats(pairsFor(task, feature, c)));
    const fires = stats.some((s) => s.proxy);
    const detail = stats.map((s) => `share ${s.decisiveShare.toFixed(3)}, R² ${s.r2.toFixed(3)}`).join('; ');
    expect(fires, `${task}.${feature}: ${detail}`).toBe(marked);
  });
});
