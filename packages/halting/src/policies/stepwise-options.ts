/**
 * The exit options shared by every policy that exits on a stick-breaking halting
 * distribution (PonderNet, ANIRA-O, ANIRA-E-hazard): `q`, `inference`, `biasInit`.
 * One list, so the policies cannot drift apart; a policy may change a default
 * (PonderNet samples by default) without copying the rest.
 */
import type { PolicyOptionSpec } from '../spec.js';

export type ExitInference = 'threshold' | 'sample';

export interface StepwiseOptionValues {
  q: number;
  inference: ExitInference;
  biasInit: number;
}

/** The shared exit option specs, with `inference` defaulting to `inference`. */
export function stepwiseOptionSpecsWith(inference: ExitInference): readonly PolicyOptionSpec[] {
  return [
    { name: 'q', type: 'number', default: 0.5, min: 0.001, max: 0.999, description: 'threshold inference: exit at the first step whose cumulative halting probability reaches q (the calibration knob).' },
    { name: 'inference', type: 'string', default: inference, choices: ['threshold', 'sample'], description: 'Deterministic threshold exit, or sample the exit from the hazards (seeded).' },
    { name: 'biasInit', type: 'number', default: 0, min: -20, max: 20, description: 'Initial bias of the halting head.' },
  ];
}

/** The shared exit option specs with the threshold exit by default (ANIRA-O, ANIRA-E-hazard). */
export const stepwiseOptionSpecs: readonly PolicyOptionSpec[] = stepwiseOptionSpecsWith('threshold');
