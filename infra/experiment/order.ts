// The order of topologies within each round: a new seeded permutation per round, so drift
// and warm-up effects (the machine heating up, caches, the sink's growing state) fall on
// every topology alike instead of always favouring the one that runs first. The seed (the
// run id) and every round's order are recorded, so a run can be replayed in the same order.
import { seededRandom } from '../analysis/percentiles.ts';

export function roundOrder(names: readonly string[], seed: string, round: number): string[] {
  const order = [...names];
  const random = seededRandom(`${seed}#round-${round}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
