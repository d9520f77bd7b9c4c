import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

// batch ≠ length, so a concatenation along the wrong axis has a different shape.
const BATCH = 3;

export const seq2seqTeacherForcingShift: CodeGrader = {
  key: 'seq2seq-teacher-forcing-shift',
  prelude: '',
  call: 'decoder_inputs(targets, bos)',
  knownWrong: ['targets', 'targets[:, :-1]', 'np.concatenate([np.full((batch, 1), bos), targets], axis=1)', 'np.concatenate([targets[:, :1], targets[:, :-1]], axis=1)'],
  cases: 6,
  makeCase(rng, index) {
    // Word ids 3..19 (0: padding, 1: <s>, 2: </s>); every target sentence ends with </s>.
    const length = index === 0 ? 5 : rng.int(4, 7);
    const data: number[] = [];
    for (let b = 0; b < BATCH; b++) {
      for (let t = 0; t < length - 1; t++) data.push(rng.int(3, 19));
      data.push(2);
    }
    const targets: JsonArray = { dtype: 'int32', shape: [BATCH, length], data };
    return { targets, bos: 1 };
  },
  reference(inputs) {
    const targets = inputs.targets as JsonArray;
    const [batch, length] = targets.shape as [number, number];
    const data: number[] = [];
    for (let b = 0; b < batch; b++) {
      data.push(inputs.bos as number);
      for (let t = 0; t < length - 1; t++) data.push(targets.data[b * length + t] as number);
    }
    const out: JsonArray = { dtype: 'int32', shape: [batch, length], data };
    return { result: out, blanks: [out] };
  },
};
