/** The machine and software description stored with every result: OS, CPUs, memory, Node, tfjs and package versions. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

export interface MachineInfo {
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly totalMemoryBytes: number;
  readonly loadAverage: readonly number[];
}

export interface Versions {
  readonly node: string;
  readonly tfjs: string;
  readonly packages: Readonly<Record<string, string>>;
}

const PACKAGES = [
  '@anira/model', '@anira/halting', '@anira/tasks', '@anira/tensor',
  '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm',
] as const;

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`, arch: os.arch(), cpuModel: cpus[0]?.model ?? 'unknown', cpus: cpus.length,
    totalMemoryBytes: os.totalmem(), loadAverage: os.loadavg(),
  };
}

/** Versions of Node, tfjs and every package the bench runs, read from their package.json files. */
export function versions(): Versions {
  const require = createRequire(import.meta.url);
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const file = require.resolve(`${name}/package.json`);
      packages[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      packages[name] = 'unknown';
    }
  }
  return { node: process.version, tfjs: tf.version_core, packages };
}
