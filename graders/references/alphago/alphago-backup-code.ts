import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

const NODES = 8;
const MOVES = 5;
// Path lengths of the cases: both parities, so a sign pattern counted from the root fails on one of them.
const LENGTHS = [3, 4, 5, 2, 3, 4];

export const alphagoBackupCode: CodeGrader = {
  key: 'alphago-backup-code',
  prelude: '',
  call: 'backup(N, W, nodes, moves, v)',
  knownWrong: ['np.ones(L)', '-np.ones(L)', '(-1.0) ** np.arange(L)', '(-1.0) ** (L - 1 - np.arange(L))'],
  cases: 6,
  makeCase(rng, index) {
    const L = LENGTHS[index % LENGTHS.length]!;
    // A path visits distinct nodes: take the first L of a shuffled list of node ids.
    const ids = Array.from({ length: NODES }, (_, i) => i);
    for (let i = NODES - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const N = Array.from({ length: NODES * MOVES }, () => rng.int(0, 20));
    const W = N.map((n) => Math.fround(n * rng.uniform(-0.8, 0.8)));
    return {
      N: { dtype: 'int32', shape: [NODES, MOVES], data: N },
      W: { dtype: 'float32', shape: [NODES, MOVES], data: W },
      nodes: { dtype: 'int32', shape: [L], data: ids.slice(0, L) },
      moves: { dtype: 'int32', shape: [L], data: Array.from({ length: L }, () => rng.int(0, MOVES - 1)) },
      v: Math.fround(rng.uniform(-0.95, 0.95)),
    };
  },
  reference(inputs) {
    const nodes = (inputs.nodes as JsonArray).data as number[];
    const moves = (inputs.moves as JsonArray).data as number[];
    const v = inputs.v as number;
    const L = nodes.length;
    const N = [...((inputs.N as JsonArray).data as number[])];
    const W = [...((inputs.W as JsonArray).data as number[])];
    // Edge k was chosen by the player to move at depth k; the leaf (depth L) is that player's turn iff L − k is even.
    const signs = Array.from({ length: L }, (_, k) => ((L - k) % 2 === 0 ? 1 : -1));
    nodes.forEach((node, k) => {
      const i = node * MOVES + moves[k]!;
      N[i] = N[i]! + 1;
      W[i] = Math.fround(W[i]! + signs[k]! * v);
    });
    return {
      result: [
        { dtype: 'int32', shape: [NODES, MOVES], data: N },
        { dtype: 'float32', shape: [NODES, MOVES], data: W },
      ],
      blanks: [{ dtype: 'float32', shape: [L], data: signs }],
    };
  },
};
