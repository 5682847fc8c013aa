/**
 * The Kubernetes Indexed Job of docs/distributed.md, checked without a cluster: the
 * docs show the file verbatim, the file validates against the Kubernetes API schema
 * (kubernetes-models, Kubernetes 1.27), and the fields the sharding relies on agree
 * with each other, with the image of docs/k8s/Dockerfile (npm, no checkout) and with
 * what the built CLI does under JOB_COMPLETION_INDEX.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertCliBuilt, cliBin, docBlock, repoRoot } from './repo.js';

const manifestFile = fileURLToPath(new URL('../../../docs/k8s/sweep-job.yaml', import.meta.url));
const text = readFileSync(manifestFile, 'utf8');
const job = parse(text) as IJob;
const spec = job.spec!;
const container = spec.template.spec!.containers[0]!;
const command = container.command!;
const dockerfile = readFileSync(fileURLToPath(new URL('../../../docs/k8s/Dockerfile', import.meta.url)), 'utf8');
/** The repository's copy of the spec the image is built with (docs/distributed.md). */
const paperSpec = join(repoRoot, 'examples', 'paper', 'alignment.yaml');

/** The value following `flag` in the container's command. */
const flagValue = (flag: string): string => {
  const i = command.indexOf(flag);
  if (i < 0 || i + 1 >= command.length) throw new Error(`the container command has no ${flag} <value>`);
  return command[i + 1]!;
};

/** The schema check of one Job object: undefined when valid, else the validator's message. */
function schemaError(o: unknown): string | undefined {
  try {
    new Job(o as IJob).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('docs/k8s/sweep-job.yaml', () => {
  it('is the manifest docs/distributed.md shows, byte for byte', () => {
    expect(docBlock('k8s-sweep-job')).toBe(text);
  });

  it('validates against the Kubernetes batch/v1 Job schema', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(schemaError(job)).toBeUndefined();
  });

  it('the validator catches the mistakes it is here for', () => {
    const broken = (f: (j: IJob) => void) => {
      const j = structuredClone(job);
      f(j);
      return schemaError(j);
    };
    expect(broken((j) => ((j.spec as { completions: unknown }).completions = '8'))).toMatch(/completions must be integer/);
    expect(broken((j) => ((j.spec as { completionMode: string }).completionMode = 'indexed'))).toMatch(/completionMode must be equal to one of the allowed values/);
    expect(broken((j) => delete (j.spec!.template.spec as { containers?: unknown }).containers)).toMatch(/must have required property containers/);
    expect(broken((j) => ((j.spec!.template.spec!.containers[0] as { command: unknown }).command = ['node', 8]))).toMatch(/command\/1 must be string/);
  });

  it('is an Indexed Job whose shard count matches completions and parallelism', () => {
    expect(spec.completionMode).toBe('Indexed');
    const n = spec.completions!;
    expect(Number.isInteger(n) && n >= 1).toBe(true);
    expect(Number(flagValue('--shards'))).toBe(n);
    expect(spec.parallelism).toBeGreaterThanOrEqual(1);
    expect(spec.parallelism).toBeLessThanOrEqual(n);
    expect(['OnFailure', 'Never']).toContain(spec.template.spec!.restartPolicy);
  });

  it('writes --out to a mounted volume backed by a claim', () => {
    const out = flagValue('--out');
    const mount = (container.volumeMounts ?? []).find((m) => out === m.mountPath || out.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
    expect(mount, `--out ${out} is on no volumeMount`).toBeDefined();
    const volume = (spec.template.spec!.volumes ?? []).find((v) => v.name === mount!.name);
    expect(volume?.persistentVolumeClaim?.claimName).toBeTruthy();
  });
});

describe('the container command under JOB_COMPLETION_INDEX', () => {
  beforeAll(assertCliBuilt);

  it('runs the installed anira (npx --no) on the spec the Dockerfile copies into the working directory', () => {
    expect(container.workingDir).toBe('/app');
    expect(command.slice(0, 5)).toEqual(['npx', '--no', '--', 'anira', 'sweep']);
    expect(dockerfile).toBe(docBlock('k8s-dockerfile'));
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^RUN npm init -y && npm install --omit=dev @anira\/cli@\d/m);
    expect(dockerfile).toContain(`COPY ${basename(command[5]!)} /app/${command[5]!}`);
    expect(readFileSync(paperSpec, 'utf8')).toMatch(/^name: /m);
  });

  it('selects disjoint shards, one per completion index, covering every run of the spec', () => {
    const n = spec.completions!;
    // a folder holding the spec as the Dockerfile copies it stands in for the image's
    // /app, the built CLI for the installed one; --dry-run only lists the shard's runs
    const app = mkdtempSync(join(tmpdir(), 'anira-k8s-app-'));
    copyFileSync(paperSpec, join(app, command[5]!));
    const listed = Array.from({ length: n }, (_, i) => {
      const r = spawnSync(process.execPath, [cliBin, ...command.slice(4), '--dry-run'], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, JOB_COMPLETION_INDEX: String(i), SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '', NO_COLOR: '1' },
      });
      expect(r.status, r.stderr).toBe(0);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(new RegExp(`shard ${i}/${n} \\(JOB_COMPLETION_INDEX\\)`));
      const total = Number(/(\d+) runs in the grid/.exec(out)![1]);
      const runs = [...out.matchAll(/^(\d+)\t(\S+)$/gm)].map((m) => Number(m[1]));
      for (const r of runs) expect(r % n).toBe(i);
      return { total, runs };
    });
    const all = listed.flatMap((l) => l.runs).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: listed[0]!.total }, (_, r) => r));
  });
});
