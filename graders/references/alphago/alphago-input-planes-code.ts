import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

const T = 8; // positions of history
const SIZE = 5; // a small board for grading (19 in the real game)

export const alphagoInputPlanesCode: CodeGrader = {
  key: 'alphago-input-planes-code',
  prelude: '',
  call: 'agz_input(history, to_play)',
  knownWrong: ['1 - own', '(history == 1).astype(np.float32)', '(history != 0).astype(np.float32)', '(history == to_play).astype(np.float32)'],
  cases: 6,
  makeCase(rng, index) {
    // Stones of both colours and empty points on every board; both players to move across the cases.
    const data = Array.from({ length: T * SIZE * SIZE }, () => rng.pick([1, -1, 0, 0]));
    return {
      history: { dtype: 'float32', shape: [T, SIZE, SIZE], data } as JsonArray,
      to_play: index % 2 === 0 ? 1 : -1,
    };
  },
  reference(inputs) {
    const history = (inputs.history as JsonArray).data as number[];
    const toPlay = inputs.to_play as number;
    const area = SIZE * SIZE;
    const opp = history.map((x) => (x === -toPlay ? 1 : 0));
    const planes: number[] = [];
    for (let t = 0; t < T; t++) {
      const slice = history.slice(t * area, (t + 1) * area);
      planes.push(...slice.map((x) => (x === toPlay ? 1 : 0)), ...slice.map((x) => (x === -toPlay ? 1 : 0)));
    }
    planes.push(...Array.from({ length: area }, () => (toPlay === 1 ? 1 : 0)));
    return {
      result: { dtype: 'float32', shape: [2 * T + 1, SIZE, SIZE], data: planes },
      blanks: [{ dtype: 'float32', shape: [T, SIZE, SIZE], data: opp }],
    };
  },
};
