import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

export const detectionRoiMaxPoolCode: CodeGrader = {
  key: 'detection-roi-max-pool-code',
  prelude: '',
  call: 'roi_max_pool(f, roi, H, W)',
  knownWrong: ['r.max()', 'r[::h // H, ::w // W]', 'r.reshape(H, h // H, W, w // W).max(axis=1)'],
  cases: 5,
  makeCase(rng) {
    // The RoI divides evenly into H × W sub-windows of a × b cells, with (a, b) ≠ (H, W) so that
    // grouping the axes the wrong way round cannot give the right shape by chance.
    const H = rng.pick([2, 3]);
    const W = rng.pick([2, 3]);
    let a: number;
    let b: number;
    do {
      a = rng.int(2, 3);
      b = rng.int(2, 3);
    } while (a === H && b === W);
    const h = H * a;
    const w = W * b;
    const rows = h + rng.int(1, 3);
    const cols = w + rng.int(1, 3);
    const y1 = rng.int(0, rows - h);
    const x1 = rng.int(0, cols - w);
    return { f: rng.normalArray([rows, cols]), roi: [y1, x1, y1 + h, x1 + w], H, W };
  },
  reference(inputs) {
    const f = inputs.f as JsonArray;
    const cols = f.shape[1]!;
    const [y1, x1, y2, x2] = inputs.roi as number[];
    const H = inputs.H as number;
    const W = inputs.W as number;
    const a = (y2! - y1!) / H;
    const b = (x2! - x1!) / W;
    const data: number[] = [];
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        let best = -Infinity;
        for (let y = y1! + i * a; y < y1! + (i + 1) * a; y++) {
          for (let x = x1! + j * b; x < x1! + (j + 1) * b; x++) best = Math.max(best, f.data[y * cols + x] as number);
        }
        data.push(best);
      }
    }
    const out: JsonArray = { dtype: 'float32', shape: [H, W], data };
    return { result: out, blanks: [out] };
  },
};
