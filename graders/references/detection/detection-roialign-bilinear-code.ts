import type { CodeGrader } from '../../code/types';
import type { JsonArray } from '../../numpy/json-values';

export const detectionRoialignBilinearCode: CodeGrader = {
  key: 'detection-roialign-bilinear-code',
  prelude: '',
  call: 'bilinear(f, y, x)',
  knownWrong: ['(top + bottom) / 2', 'top', '(1 - dy) * top + dx * bottom'],
  cases: 5,
  makeCase(rng) {
    // A point strictly inside the map, with fractional parts away from 0, 0.5 and from each other,
    // so swapping the weights or the axes changes the value.
    const h = rng.int(4, 6);
    const w = rng.int(4, 6);
    const f = rng.uniformArray([h, w], -2, 2);
    for (;;) {
      const y = rng.uniform(0, h - 1.05);
      const x = rng.uniform(0, w - 1.05);
      const dy = y - Math.floor(y);
      const dx = x - Math.floor(x);
      const apart = (t: number) => t > 0.1 && Math.abs(t - 0.5) > 0.1;
      if (apart(dy) && apart(dx) && Math.abs(dy - dx) > 0.1 && Math.abs(dy + dx - 1) > 0.1) return { f, y, x };
    }
  },
  reference(inputs) {
    const f = inputs.f as JsonArray;
    const w = f.shape[1]!;
    const at = (r: number, c: number) => f.data[r * w + c] as number;
    const y = inputs.y as number;
    const x = inputs.x as number;
    const y0 = Math.floor(y);
    const x0 = Math.floor(x);
    const dy = y - y0;
    const dx = x - x0;
    const top = (1 - dx) * at(y0, x0) + dx * at(y0, x0 + 1);
    const bottom = (1 - dx) * at(y0 + 1, x0) + dx * at(y0 + 1, x0 + 1);
    const value = (1 - dy) * top + dy * bottom;
    return { result: value, blanks: [value] };
  },
};
