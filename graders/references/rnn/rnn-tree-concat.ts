import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import type { CaseRng } from '../../code/rng';
import { pure, tensor, tf, toArray } from '../tensors';

const EMBED = 4;

/** Nested pairs of leaf vectors; case 0 is the small tree shown as the example. */
function randomTree(rng: CaseRng, depth: number): JsonValue {
  if (depth === 0 || (depth < 3 && rng.uniform() < 0.3)) return rng.normalArray([EMBED]);
  return [randomTree(rng, depth - 1), randomTree(rng, depth - 1)];
}

export const rnnTreeConcat: CodeGrader = {
  key: 'rnn-tree-concat',
  prelude: `def _activation(x):
    return np.tanh(x)

def _tree(t):
    # nested pairs of leaf vectors -> the dict tree that traverse() walks
    if isinstance(t, list):
        return {'left': _tree(t[0]), 'right': _tree(t[1])}
    return t
`,
  call: 'traverse(_tree(tree))',
  knownWrong: ['W.dot(np.concatenate([right, left]))', 'np.concatenate([left, right]).dot(W)'],
  cases: 6,
  makeCase(rng, index) {
    const tree = index === 0 ? [[rng.normalArray([EMBED]), rng.normalArray([EMBED])], rng.normalArray([EMBED])] : [randomTree(rng, 2), randomTree(rng, 2)];
    return { W: rng.normalArray([EMBED, 2 * EMBED], 0.5), b: rng.normalArray([EMBED], 0.5), tree };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!);
      const blanks: JsonValue[] = [];
      // Post-order, as the recursion evaluates: left subtree, right subtree, then this node.
      const traverse = (node: JsonValue): tf.Tensor => {
        if (!Array.isArray(node)) return tensor(node);
        const left = traverse(node[0]!);
        const right = traverse(node[1]!);
        const pre = tf.dot(W, tf.concat([left, right])) as tf.Tensor1D;
        blanks.push(toArray(pre));
        return tf.tanh(pre);
      };
      return { result: toArray(traverse(inputs.tree!)), blanks };
    });
  },
};
