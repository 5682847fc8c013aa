/**
 * Shared fixtures of the policy × model integration tests: every halting policy
 * (built-ins, combinators around a trainable policy, the documented user policy)
 * as a named factory, and a real @anira/tasks task (addition, 2 digits) with a
 * tiny looped Transformer sized for it.
 */
import {
  allOf, anyOf, assertPolicyDefinition, converge, createPolicy, listPolicyDefinitions, maxDepth, minDepth, aniraE, aniraEHazard, aniraO,
  type HaltingPolicy, type PolicyDefinition, type PolicyDims,
} from '@anira/halting';
import { LoopedTransformer, defaultModelConfig, type ModelConfig } from '@anira/model';
import { addition, deriveExampleSeed, generateExample, type Example } from '@anira/tasks';

/** The task every integration test trains on: `a + b =` with 2-digit operands. */
export const TASK = addition;
export const TASK_PARAMS = { digits: 2 } as const;

/** Training example `i` (seeded, a pure function of `i`). */
export const trainExample = (i: number): Example => generateExample(TASK, TASK_PARAMS, deriveExampleSeed(1, i));
/** Held-out example `i` (a different seed stream from training). */
export const heldOutExample = (i: number): Example => generateExample(TASK, TASK_PARAMS, deriveExampleSeed(2, i));

/** A tiny model for `TASK` with training depth `tMax`. */
export function tinyModel(tMax = 3, overrides: Partial<ModelConfig> = {}): LoopedTransformer {
  return new LoopedTransformer(defaultModelConfig({
    vocabSize: TASK.vocab.size, maxLength: TASK.maxLength(TASK.resolveParams(TASK_PARAMS)),
    dModel: 16, nHeads: 2, dMlp: 32, tMax, seed: 7, ...overrides,
  }));
}

export const dimsOf = (model: LoopedTransformer): PolicyDims => ({
  dModel: model.config.dModel, vocabSize: model.config.vocabSize, tMax: model.config.tMax, seed: 3,
});

/** The documented user policy, loaded the way the CLI loads a user module. */
export async function examplePolicy(): Promise<PolicyDefinition> {
  const url = new URL('../../../examples/custom-halting-policy/my-policy.js', import.meta.url).href;
  const mod = (await import(/* @vite-ignore */ url)) as { default: unknown };
  assertPolicyDefinition(mod.default, 'my-policy.js');
  return mod.default;
}

/**
 * The early-decision policies (depth fixed from the shallow state alone), for the
 * isolation tests: ANIRA-E (router over depths) and ANIRA-E-hazard (ANIRA-O's
 * stick-breaking hazards, all predicted from h0).
 */
export const earlyDecisionPolicies: ReadonlyArray<readonly [string, (dims: PolicyDims) => HaltingPolicy]> = [
  ['anira-e', (dims) => aniraE(dims, { router: 'linear' })],
  ['anira-e-hazard', (dims) => aniraEHazard(dims)],
];

export interface PolicyCase {
  readonly name: string;
  /** True when the policy has trainable variables the optimizer must move. */
  readonly trainable: boolean;
  readonly create: (dims: PolicyDims) => HaltingPolicy;
  /** Exit depths this policy may produce for a real token, given the inference and training tMax. */
  readonly depthRange?: (tMax: number, trainTMax: number) => readonly [number, number];
}

/** Every policy under test: each registry entry with defaults, plus variants and combinators. */
export async function policyCases(): Promise<PolicyCase[]> {
  const builtins = listPolicyDefinitions().map((d): PolicyCase => ({
    name: d.name,
    trainable: !['fixed', 'converge'].includes(d.name),
    create: (dims) => createPolicy(d.name, dims),
    // ANIRA-E's per-step head is capped at the training T_max; anira-e-hazard's default shared head is not
    ...(d.name === 'anira-e' ? { depthRange: (_t: number, s: number) => [1, s] as const } : {}),
  }));
  const user = await examplePolicy();
  return [
    ...builtins,
    { name: 'anira-e (gumbel)', trainable: true, create: (dims) => aniraE(dims, { gumbel: true }), depthRange: (_t, s) => [1, s] },
    { name: 'converge (argmax)', trainable: false, create: (dims) => converge(dims, { criterion: 'argmax' }) },
    { name: 'minDepth(anira-o, 2)', trainable: true, create: (dims) => minDepth(aniraO(dims), 2), depthRange: (t) => [2, t] },
    { name: 'maxDepth(anira-e, 2)', trainable: true, create: (dims) => maxDepth(aniraE(dims), 2), depthRange: () => [1, 2] },
    { name: 'anyOf(anira-o, converge)', trainable: true, create: (dims) => anyOf(aniraO(dims), converge(dims)) },
    { name: 'allOf(anira-e, converge)', trainable: true, create: (dims) => allOf(aniraE(dims), converge(dims, { criterion: 'argmax' })) },
    { name: `user: ${user.name}`, trainable: false, create: (dims) => user.create(dims) },
  ];
}
