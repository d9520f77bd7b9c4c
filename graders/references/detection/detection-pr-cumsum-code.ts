import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

export const detectionPrCumsumCode: CodeGrader = {
  key: 'detection-pr-cumsum-code',
  prelude: '',
  call: 'precision_recall(scores, is_tp, n_gt)',
  knownWrong: ['tp_cum / np.arange(len(tp))', 'tp / np.arange(1, len(tp) + 1)', 'np.cumsum(is_tp) / np.arange(1, len(tp) + 1)'],
  cases: 5,
  makeCase(rng) {
    // The detections come unsorted, with at least one TP and one FP; n_gt ≠ the number of detections.
    const n = rng.int(6, 9);
    for (;;) {
      const tp: number[] = Array.from({ length: n }, () => (rng.uniform() < 0.55 ? 1 : 0));
      const hits = tp.reduce((s, x) => s + x, 0);
      const n_gt = hits + rng.int(0, 3);
      // The first detection in input order must not be the best one, so forgetting the sort changes the values.
      const scores = Array.from({ length: n }, () => rng.uniform(0.05, 0.99));
      if (hits === 0 || hits === n || n_gt === n || scores[0] === Math.max(...scores)) continue;
      return { scores: { dtype: 'float32', shape: [n], data: scores }, is_tp: { dtype: 'float32', shape: [n], data: tp }, n_gt };
    }
  },
  reference(inputs) {
    const scores = (inputs.scores as JsonArray).data as number[];
    const isTp = (inputs.is_tp as JsonArray).data as number[];
    const order = scores.map((_, i) => i).sort((p, q) => scores[q]! - scores[p]!);
    let cum = 0;
    const tpCum = order.map((i) => (cum += isTp[i]!));
    const vec = (data: number[]): JsonArray => ({ dtype: 'float32', shape: [data.length], data });
    const precision = vec(tpCum.map((c, k) => c / (k + 1)));
    const recall = vec(tpCum.map((c) => c / (inputs.n_gt as number)));
    return { result: [precision, recall], blanks: [precision] };
  },
};
