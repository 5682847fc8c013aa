/**
 * The result document and its storage: `<dir>/<backend>-<date>.json` plus
 * `<dir>/latest.json`, each written atomically (temporary file + rename).
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '@anira/tensor/node';
import { join } from 'node:path';
import type { MachineInfo, Versions } from './machine.js';
import type { BackendName } from './sizes.js';
import type { MemoryResult, TrainResult } from './w1-train.js';
import type { InferWorkloadResult } from './w2-infer.js';
import type { TaskRate } from './w3-tasks.js';
import type { TorchResult } from './torch.js';
import type { WorkCounts } from './counts.js';
import type { BlasEnv } from './blas-env.js';

export const RESULT_FORMAT_VERSION = 1;

export interface BackendResult {
  readonly backend: BackendName;
  /** The GPU adapter's name (webgpu), e.g. "google swiftshader (SwiftShader driver 5.0.0)", or the BLAS kernel family (native), e.g. "OpenBLAS SkylakeX". */
  readonly adapter?: string;
  /** native only: the OpenBLAS environment it ran under (blas-env.ts); absent when this machine sets no OpenBLAS variable. */
  readonly blasEnv?: BlasEnv;
  readonly quick: boolean;
  readonly model: Readonly<Record<string, unknown>>;
  readonly w1Train: TrainResult;
  readonly w2Infer: InferWorkloadResult;
  readonly w3Tasks: readonly TaskRate[];
  readonly w4Memory: MemoryResult;
  /** Device work per update and per inference call (counts.ts; absent on cpu). */
  readonly deviceWork?: WorkCounts;
  readonly elapsedMs: number;
}

export interface BenchDocument {
  readonly formatVersion: number;
  readonly date: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly versions: Versions;
  readonly results: readonly BackendResult[];
  /** The PyTorch reference runs of the same session (absent when skipped). */
  readonly torch?: readonly TorchResult[];
  /** The 1-minute load average before and after the run (other processes share the machine). */
  readonly load?: readonly [number, number];
}

/** Write `text` to `file` atomically. */
export function writeAtomic(file: string, text: string): void {
  writeFileAtomic(file, text);
}

/** Store each backend's result as `<backend>[-blas-unset]-<date>.json` and the whole document as `latest.json`; returns the paths. */
export function saveResults(dir: string, doc: BenchDocument): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = doc.date.replace(/[:.]/g, '-');
  const text = (d: BenchDocument) => `${JSON.stringify(d, null, 2)}\n`;
  const files: string[] = [];
  for (const r of doc.results) {
    const f = join(dir, `${r.backend}${r.blasEnv === 'unset' ? '-blas-unset' : ''}-${stamp}.json`);
    writeAtomic(f, text({ ...doc, results: [r] }));
    files.push(f);
  }
  const latest = join(dir, 'latest.json');
  writeAtomic(latest, text(doc));
  return [...files, latest];
}
