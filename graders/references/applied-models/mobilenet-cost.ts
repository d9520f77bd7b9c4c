import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';

/** Sizes with H, W, C, K·K and M all different, so no product of the wrong factors equals the right one. */
function sizes(rng: CaseRng) {
  for (;;) {
    const H = rng.int(5, 32);
    const W = rng.int(5, 32);
    const C = rng.pick([3, 4, 6, 8, 12, 16]);
    const K = rng.pick([3, 5, 7]);
    const M = rng.pick([10, 20, 24, 32, 48, 64]);
    if (new Set([H, W, C, K * K, M, K]).size === 6) return { H, W, C, K, M };
  }
}

function costGrader(key: string, fn: string, cost: (s: ReturnType<typeof sizes>) => number, knownWrong: string[]): CodeGrader {
  return {
    key,
    knownWrong,
    prelude: '',
    call: `${fn}(H, W, C, K, M)`,
    cases: 5,
    makeCase: (rng) => sizes(rng),
    reference(inputs) {
      const value = cost(inputs as ReturnType<typeof sizes>);
      return { result: value, blanks: [value] };
    },
  };
}

export const mobilenetCostDepthwise = costGrader('mobilenet-cost-depthwise', 'depthwise_cost', ({ H, W, C, K }) => H * W * C * K * K, ['H * W * K * K', 'H * W * C * K']);
export const mobilenetCostPointwise = costGrader('mobilenet-cost-pointwise', 'pointwise_cost', ({ H, W, C, M }) => H * W * C * M, ['H * W * C', 'H * W * M * K * K']);
