import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';

function labelMap(rng: CaseRng, h: number, w: number, classes: number): number[] {
  return Array.from({ length: h * w }, () => rng.int(0, classes - 1));
}

export const detectionSegMiouDiceCode: CodeGrader = {
  key: 'detection-seg-miou-dice-code',
  prelude: '',
  call: 'seg_metrics(pred, gt, n_classes)',
  knownWrong: ['np.sum(p)', 'np.sum(p | g) - inter', 'inter'],
  cases: 5,
  makeCase(rng) {
    // Every class occurs in both maps (no 0/0), and the prediction is wrong on roughly a third of the pixels.
    const h = rng.int(4, 6);
    const w = rng.int(5, 7);
    const classes = rng.pick([3, 4]);
    for (;;) {
      const gt = labelMap(rng, h, w, classes);
      const pred = gt.map((c) => (rng.uniform() < 0.35 ? rng.int(0, classes - 1) : c));
      const all = (m: number[]) => Array.from({ length: classes }, (_, c) => m.includes(c)).every(Boolean);
      if (!all(gt) || !all(pred) || pred.every((c, i) => c === gt[i])) continue;
      const map = (data: number[]): JsonArray => ({ dtype: 'float32', shape: [h, w], data });
      return { pred: map(pred), gt: map(gt), n_classes: classes };
    }
  },
  reference(inputs) {
    const pred = (inputs.pred as JsonArray).data as number[];
    const gt = (inputs.gt as JsonArray).data as number[];
    const classes = inputs.n_classes as number;
    const unions: number[] = [];
    const ious: number[] = [];
    const dices: number[] = [];
    for (let c = 0; c < classes; c++) {
      let inter = 0;
      let np = 0;
      let ng = 0;
      pred.forEach((v, i) => {
        if (v === c) np += 1;
        if (gt[i] === c) ng += 1;
        if (v === c && gt[i] === c) inter += 1;
      });
      const union = np + ng - inter;
      unions.push(union);
      ious.push(inter / union);
      dices.push((2 * inter) / (np + ng));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const accuracy = pred.filter((v, i) => v === gt[i]).length / pred.length;
    return { result: [accuracy, mean(ious), mean(dices)], blanks: unions };
  },
};
