/** The truncated, renormalised geometric prior used by the KL penalty. */
import { AniraInputError } from '@anira/tasks/errors';

/** g_n = lambdaP (1 - lambdaP)^(n-1) for n = 1..S, divided by its sum. */
export function truncatedGeometric(S: number, lambdaP: number): number[] {
  if (!Number.isInteger(S) || S < 1) throw new AniraInputError(`truncatedGeometric: "S" must be an integer >= 1, got ${S}`);
  if (!(lambdaP > 0 && lambdaP <= 1)) throw new AniraInputError(`truncatedGeometric: "lambdaP" must be in (0, 1], got ${lambdaP}`);
  const g: number[] = [];
  for (let n = 1; n <= S; n++) g.push(lambdaP * Math.pow(1 - lambdaP, n - 1));
  const z = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / z);
}
