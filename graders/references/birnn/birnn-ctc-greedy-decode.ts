import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import type { CaseRng } from '../../code/rng';

// K labels including the blank. Frames are drawn from a path with runs of repeated labels, blanks between equal
// labels and label changes without a blank, so each wrong condition below drops or keeps a label somewhere.
const K = 5;

function pathOf(rng: CaseRng, index: number, blank: number): number[] {
  if (index === 0) {
    // blank=0: frames "1 1 0 2 2 2 1 0 0 1 3": "1 2 1 1 3" after collapsing and dropping blanks
    return [1, 1, 0, 2, 2, 2, 1, 0, 0, 1, 3];
  }
  if (index === 4) return Array.from({ length: 6 }, () => blank); // all blank: empty output
  const T = rng.int(6, 14);
  return Array.from({ length: T }, () => (rng.uniform() < 0.3 ? blank : rng.int(0, K - 1)));
}

/** Per-frame probabilities whose argmax follows the path (a softmax of noisy logits with a margin). */
function probsOf(rng: CaseRng, path: number[]): JsonArray {
  const data: number[] = [];
  for (const k of path) {
    const logits = Array.from({ length: K }, (_, j) => rng.normal(0, 0.5) + (j === k ? 3 : 0));
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const s = e.reduce((a, b) => a + b, 0);
    data.push(...e.map((v) => Math.fround(v / s)));
  }
  return { dtype: 'float32', shape: [path.length, K], data };
}

export const birnnCtcGreedyDecode: CodeGrader = {
  key: 'birnn-ctc-greedy-decode',
  prelude: '',
  call: 'ctc_greedy_decode(probs, blank)',
  knownWrong: ['k != prev or k != blank', 'k != 0 and k != prev', 'prev == blank and k != blank'],
  cases: 6,
  makeCase(rng, index) {
    const blank = index === 0 ? 0 : index % 2 === 0 ? 0 : K - 1;
    return { probs: probsOf(rng, pathOf(rng, index, blank)), blank };
  },
  reference(inputs) {
    const probs = inputs.probs as JsonArray;
    const blank = inputs.blank as number;
    const [T, k] = probs.shape as [number, number];
    const data = probs.data as number[];
    const labels: number[] = [];
    let prev = blank;
    for (let t = 0; t < T; t++) {
      const row = data.slice(t * k, (t + 1) * k);
      const best = row.indexOf(Math.max(...row));
      if (best !== blank && best !== prev) labels.push(best);
      prev = best;
    }
    return { result: { dtype: 'int32', shape: [labels.length], data: labels }, blanks: null };
  },
};
