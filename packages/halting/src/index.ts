/** Public entry of @anira/halting: the v1 spec, the built-in policies, combinators and registry (re-exports only, by name). */
export { AniraInputError, type AniraInputErrorCode } from '@anira/tasks/errors';
export {
  HALTING_SPEC_VERSION,
  type HaltingSpecVersion, type PolicyDims, type TrainingCombine, type TrainingInput, type TrainingOutput, type PolicyCarry,
  type InferenceStartInput, type InferenceStartOutput, type InferenceStepInput, type InferenceStepOutput,
  type CalibrationKnob, type HaltingPolicy, type PolicyOptionSpec, type PolicyDefinition, type PolicySource,
} from './spec.js';
export { createForcedDepthPolicy, type DepthFn } from './policies/forced-depth.js';
export { fixed, type FixedOptions } from './policies/fixed.js';
export { act, type ActOptions } from './policies/act.js';
export { ponderNet, type PonderNetOptions } from './policies/pondernet.js';
export { aniraO, type AniraOOptions } from './policies/anira-o.js';
export { aniraE, plannedDepthOf, type AniraEOptions } from './policies/anira-e.js';
export { aniraEHazard, type AniraEHazardOptions } from './policies/anira-e-hazard.js';
export { converge, type ConvergeCriterion, type ConvergeOptions } from './policies/converge.js';
export { capacity, type CapacityOptions } from './policies/capacity.js';
export { minDepth, maxDepth } from './combinators/depth-bounds.js';
export { anyOf, allOf } from './combinators/any-all.js';
export { budget, type BudgetOptions, type BudgetResult } from './combinators/budget.js';
export { definePolicy } from './define-policy.js';
export { resolvePolicyOptions, type RawOptionValue, type ResolvedOptions } from './options.js';
export { listPolicyDefinitions, getPolicyDefinition, assertPolicyDefinition, createPolicy } from './registry.js';
export { computePenalty, klToGeometric, type PenaltyKind, type PenaltyOptions } from './math/penalty.js';
export { haltingDistribution, expectedDepthOf } from './math/halting-distribution.js';
export { truncatedGeometric } from './math/geometric.js';
export { actWeights, type ActWeights } from './math/act-weights.js';
