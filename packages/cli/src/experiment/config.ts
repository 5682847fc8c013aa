/**
 * The experiment configuration: what `anira` (the main job), `anira train` and
 * `anira eval` run. Validated with zod; errors are one line naming the key path.
 * The embedded default experiment lives here too.
 */
import { UsageError } from '../errors.js';
import { z } from 'zod';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const optionValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A name that is safe as one folder name under `runs/`: letters, digits, ".", "_"
 * and "-", starting with a letter or digit (so never "." or ".."), 1-100 characters.
 */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SAFE_NAME_RULE = 'must be a safe folder name: 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit';
/** A sweep run's id (sweep/spec.ts): grid values joined, e.g. `policy=fixed,seed=0`. */
const RUN_ID = /^[A-Za-z0-9_=,-][A-Za-z0-9_.=,-]{0,99}$/;

/** Is `name` an experiment name: a safe name, or `<sweep name>/<run id>` as sweeps write? */
export function isExperimentName(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash < 0) return SAFE_NAME.test(name);
  return SAFE_NAME.test(name.slice(0, slash)) && RUN_ID.test(name.slice(slash + 1));
}

/** The message of a bad `task.curriculum.gate.accuracy`, naming the allowed range and the value. */
const gateAccuracyRule = (issue: { input?: unknown }) =>
  `must be a number in (0, 1] (the token accuracy every open size must reach), ${issue.input === undefined ? 'and is missing' : `got ${JSON.stringify(issue.input)}`}`;
const CURRICULUM_FORMS = 'takes one of "steps" (a fixed schedule: { steps: N }) or "gate" (an accuracy gate: { gate: { accuracy: 0.95 } }), {}';

/** The schema of a name used as a folder (config and sweep names). */
export const safeName = z.string().regex(SAFE_NAME, { message: SAFE_NAME_RULE });

export const experimentSchema = z
  .object({
    name: z
      .string()
      .refine(isExperimentName, { message: `${SAFE_NAME_RULE} (or "<sweep name>/<run id>" in a sweep)` })
      .default('default'),
    seed: int(0, 2 ** 31 - 1).default(0),
    task: z
      .object({
        name: z.string().min(1),
        /** Numbers, or strings for choice params (e.g. addition's `order: msd`); the task validates them. */
        params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
        /** Values of the task's size knob mixed in training (default: the params' value). */
        trainSizes: z.array(int(0, 1_000_000)).min(1).optional(),
        /** Values of the size knob evaluated (default: train sizes plus larger ones). */
        evalSizes: z.array(int(0, 1_000_000)).min(1).optional(),
        /**
         * Curriculum on size, one of two forms. `{ steps: N }`: over the first N updates
         * the training sizes open up from the smallest, in equal shares of those updates;
         * afterwards all are mixed. `{ gate: { accuracy: a } }`: only the smallest size is
         * open at first, and each held-out evaluation opens the next size once every open
         * size reaches token accuracy `a` on the selection set (curriculum-gate.ts).
         */
        curriculum: z
          .object({
            steps: int(1, 1e9).optional(),
            gate: z.object({ accuracy: z.number({ error: gateAccuracyRule }).gt(0, { error: gateAccuracyRule }).max(1, { error: gateAccuracyRule }) }).strict().optional(),
          })
          .strict()
          .superRefine((c, ctx) => {
            if (c.steps !== undefined && c.gate !== undefined) ctx.addIssue({ code: 'custom', message: CURRICULUM_FORMS.replace('{}', 'not both') });
            if (c.steps === undefined && c.gate === undefined) ctx.addIssue({ code: 'custom', message: CURRICULUM_FORMS.replace('{}', 'got neither') });
          })
          .optional(),
      })
      .strict(),
    model: z.record(z.string(), z.unknown()).default({}),
    policy: z
      .object({ name: z.string().min(1), options: z.record(z.string(), optionValue).default({}) })
      .strict(),
    trainer: z.record(z.string(), z.unknown()).default({}),
    eval: z
      .object({
        /** Examples per evaluated size. */
        examples: int(1, 1_000_000).default(64),
        /** Held-out examples used during training for evaluation / early stop. */
        heldOut: int(1, 1_000_000).default(128),
        /** Extra inference T_max values to evaluate (e.g. 2x the training T_max). */
        tMax: z.array(int(1, 1024)).default([]),
      })
      .strict()
      .default({ examples: 64, heldOut: 128, tMax: [] }),
    /** Checkpoint every N updates (0: only at the end). */
    checkpointEvery: int(0, 1e9).default(100),
    /**
     * Start from another run's model weights (init-weights.ts): `from` a run folder (its
     * checkpoint.anira) or a `.anira` file, relative to the current directory;
     * `weights` its best held-out evaluation's (default) or its latest update's.
     */
    init: z
      .object({
        from: z.string().min(1, { message: 'must name a run folder or a .anira checkpoint file' }),
        weights: z.enum(['best', 'last'], { error: 'must be "best" (the best held-out evaluation\'s weights) or "last" (the latest update\'s)' }).default('best'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ExperimentConfig = z.infer<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;

/** Parse and validate; throws a one-line error naming the first bad key. */
export function parseExperiment(value: unknown, source = 'config'): ExperimentConfig {
  const r = experimentSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  const extra = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  throw new UsageError(`${source}: "${path}": ${issue.message}${extra}`, { code: 'invalid-file', field: path });
}

/**
 * The embedded default experiment: ANIRA-O on multi-digit addition, trained on 1-3
 * digits and evaluated up to 6, sized to finish in a few minutes on 2 CPU cores.
 */
export const DEFAULT_EXPERIMENT: ExperimentInput = {
  name: 'default',
  seed: 0,
  task: { name: 'addition', params: { digits: 3 }, trainSizes: [1, 2, 3], evalSizes: [1, 2, 3, 4, 5, 6] },
  model: { dModel: 64, nHeads: 4, tMax: 6 },
  policy: { name: 'anira-o', options: {} },
  trainer: { steps: 1500, batchSize: 32, lr: 3e-3, warmupSteps: 100, evalEvery: 250 },
  eval: { examples: 64, heldOut: 128, tMax: [12] },
  checkpointEvery: 250,
};
