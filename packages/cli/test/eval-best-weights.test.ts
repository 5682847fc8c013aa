/**
 * `anira train` then `anira eval` traces the same weights as `anira run`: the best
 * held-out evaluation, never the last update; every trace header names that update
 * (`weightsStep`). minDelta 1 pins the best to the first evaluation (update 1) while
 * training runs to update 3, so the two candidates differ.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTraceJsonl } from '@anira/metrics';
import { BEST_AT_UPDATE_1 } from './best-at-update-1.js';
import { aniraIn } from './in-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'anira-best-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const config = BEST_AT_UPDATE_1;

describe('eval traces the best weights whichever path', () => {
  it('train + eval equals run, and each header records update 1 (the best), not 3 (the last)', async () => {
    writeFileSync(join(cwd, 'cfg.json'), JSON.stringify(config));
    const run = await aniraIn(['run', '--config', 'cfg.json', '--out', 'a', '--quiet', '--backend', 'cpu'], cwd);
    expect(run.status, run.stderr).toBe(0);
    const train = await aniraIn(['train', '--config', 'cfg.json', '--out', 'b', '--quiet', '--backend', 'cpu'], cwd);
    expect(train.status, train.stderr).toBe(0);
    const ev = await aniraIn(['eval', 'b', '--backend', 'cpu'], cwd);
    expect(ev.status, ev.stderr).toBe(0);
    const a = parseTraceJsonl(readFileSync(join(cwd, 'a', 'trace.jsonl'), 'utf8'));
    const b = parseTraceJsonl(readFileSync(join(cwd, 'b', 'trace.jsonl'), 'utf8'));
    expect(a.header.weightsStep).toBe(1);
    expect(b.header.weightsStep).toBe(1);
    expect(b.examples).toEqual(a.examples);
    const summary = JSON.parse(readFileSync(join(cwd, 'a', 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ steps: 3, bestStep: 1, weightsStep: 1, splits: { overlap: { selectionInTraining: 0, analysisInTraining: 0, analysisInSelection: 0 } } });
    // train + eval writes the same traced fields into summary.json as run
    const summaryB = JSON.parse(readFileSync(join(cwd, 'b', 'summary.json'), 'utf8')) as Record<string, unknown>;
    const traced = (x: Record<string, unknown>) => ({ weightsStep: x['weightsStep'], analysis: x['analysis'], eval: x['eval'], spearman: x['spearman'], kendall: x['kendall'] });
    expect(traced(summaryB)).toEqual(traced(summary));
    expect(summaryB['analysis']).not.toBeNull();
  });

  it('a trace of other weights than the run holds: `train --resume --steps` warns, merge refuses it until `eval` traces the run again', async () => {
    writeFileSync(join(cwd, 'ext.json'), JSON.stringify({ ...config, name: 'ext', trainer: { steps: 2, batchSize: 4, warmupSteps: 0, evalEvery: 0 } }));
    const run = await aniraIn(['run', '--config', 'ext.json', '--out', 'c', '--quiet', '--backend', 'cpu'], cwd);
    expect(run.status, run.stderr).toBe(0);
    // which update's weights are best after the extension depends on training; a trace
    // header naming update 0 stands for a trace of weights the run no longer holds
    const file = join(cwd, 'c', 'trace.jsonl');
    const [head, ...rest] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [JSON.stringify({ ...JSON.parse(head!), weightsStep: 0 }), ...rest].join('\n'));
    const more = await aniraIn(['train', '--resume', '--out', 'c', '--steps', '4', '--quiet', '--backend', 'cpu'], cwd);
    expect(more.status, more.stderr).toBe(0);
    const now = (JSON.parse(readFileSync(join(cwd, 'c', 'summary.json'), 'utf8')) as { weightsStep: number }).weightsStep;
    expect(more.stderr).toContain(`anira: warning: c/trace.jsonl traced the weights of update 0, but the run's weights are now update ${now}; run \`anira eval c\` to trace them`);
    const refused = await aniraIn(['sweep', 'merge', 'c', '--out', 'merged', '--no-report'], cwd);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`sweep merge: c/trace.jsonl traced the weights of update 0, but the run's weights are now update ${now}`);
    const ev = await aniraIn(['eval', 'c', '--backend', 'cpu'], cwd);
    expect(ev.status, ev.stderr).toBe(0);
    expect(parseTraceJsonl(readFileSync(file, 'utf8')).header.weightsStep).toBe(now);
    const merged = await aniraIn(['sweep', 'merge', 'c', '--out', 'merged', '--no-report'], cwd);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).not.toContain('traced the weights');
  });
});
