/**
 * Ctrl-C during training (SIGINT to the built `anira` process) prints where the run
 * stopped and the command that resumes it, releases the lock and exits 130.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from './built-cli.js';

let cwd: string;
beforeAll(() => {
  assertBuilt();
  cwd = mkdtempSync(join(tmpdir(), 'anira-interrupt-'));
});

describe('Ctrl-C', () => {
  it('says at which update training stopped and how to resume, and exits 130', async () => {
    writeFileSync(join(cwd, 'long.json'), JSON.stringify({
      name: 'long',
      task: { name: 'addition', params: { digits: 1 }, trainSizes: [1], evalSizes: [1] },
      model: { dModel: 8, nHeads: 2, tMax: 2 },
      policy: { name: 'fixed' },
      trainer: { steps: 100000, batchSize: 4, evalEvery: 0, warmupSteps: 0 },
      eval: { examples: 4, heldOut: 4, tMax: [] },
      checkpointEvery: 2,
    }));
    const dir = join(cwd, 'long');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'train', '--config', 'long.json', '--out', dir, '--quiet', '--backend', 'cpu'], { cwd });
      let err = '';
      p.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const poll = setInterval(() => {
        if (existsSync(join(dir, 'checkpoint.anira'))) {
          clearInterval(poll);
          p.kill('SIGINT');
        }
      }, 20);
      p.on('close', (c) => resolve({ code: c, stderr: err }));
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(new RegExp(`anira: interrupted at update \\d+; ${join(dir, 'checkpoint.anira').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} holds update \\d+; resume with \`anira train --resume --out ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
    expect(existsSync(join(dir, '.anira.lock'))).toBe(false);
  });
});
