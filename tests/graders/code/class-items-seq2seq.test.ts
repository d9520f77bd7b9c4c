// Class-based code items of seq2seq and word2vec (issue 13 §2): the model answer is correct, two known mistakes
// fail with a message naming the value that differs, and the textbook's shared gradient arrays really are shared.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeCode } from '../../../graders/code/grade-code';
import { initBackend } from '../../../graders/numpy/backend-node';
import { runProgram } from '../../../graders/numpy/index';
import { graderFor } from '../../../graders/references/index';
import { buildBank } from '../../../server/bank/bank';
import type { Question } from '../../../server/bank/types';

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));

function item(id: string): Extract<Question, { kind: 'code' }> {
  const q = bank.questions.find((x) => x.id === id);
  if (!q || q.kind !== 'code') throw new Error(`no code item ${id}`);
  return q;
}

/** The item's template with the blank filled by its model answer, as a program. */
function filled(q: Extract<Question, { kind: 'code' }>): string {
  return q.template.replace('___', q.solution.trim());
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('word2vec-embedding-class-backward', () => {
  const q = item('word2vec-embedding-class-backward');
  const grader = graderFor(q)!;

  it('grades the model answer correct', () => {
    expect(gradeCode(q, grader, q.solution.trim(), 11).verdict).toBe('correct');
  });

  it('names dW when the gradient is averaged or sent to the batch positions', () => {
    for (const answer of ['np.add.at(dW, self.idx, dout / len(self.idx))', 'np.add.at(dW, np.arange(len(self.idx)), dout)']) {
      const verdict = gradeCode(q, grader, answer, 11);
      expect(verdict.verdict, answer).toBe('incorrect');
      expect(verdict.message, answer).toMatch(/^例のケースで参照実装と一致しません。関数の戻り値: dW の値が違います: 位置 \[\d+, \d+\] で/);
    }
  });

  it('writes the gradient into the array the caller already holds', () => {
    const program = `${filled(q)}
W = np.arange(12.0).reshape(4, 3)
layer = Embedding(W)
held = layer.grads[0]
layer.forward(np.array([1, 3, 1]))
layer.backward(np.ones((3, 3)))
col = held[:, 0]
`;
    const r = runProgram(program);
    expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(true);
    expect(r).toMatchObject({ ok: true, globals: { col: { shape: [4], data: [0, 2, 0, 1] } } });
  });
});

describe('seq2seq-encoder-class-forward', () => {
  const q = item('seq2seq-encoder-class-forward');
  const grader = graderFor(q)!;

  it('grades the model answer correct', () => {
    expect(gradeCode(q, grader, q.solution.trim(), 11).verdict).toBe('correct');
  });

  it('names h when the first step or the sum over time is returned', () => {
    for (const answer of ['hs[:, 0, :]', 'hs.sum(axis=1)']) {
      const verdict = gradeCode(q, grader, answer, 11);
      expect(verdict.verdict, answer).toBe('incorrect');
      expect(verdict.message, answer).toMatch(/^例のケースで参照実装と一致しません。関数の戻り値: h の値が違います: 位置 \[0, 0\] で/);
    }
  });

  it('the encoder’s grads are its layers’ arrays: one held before backward sees the new gradient', () => {
    const program = `${filled(q)}
E = np.arange(12.0).reshape(4, 3) / 10
encoder = Encoder(E, np.ones((3, 2)) / 4, np.eye(2) / 2, np.zeros(2))
held = encoder.grads[2]
same = held is encoder.rnn.grads[1]
encoder.forward(np.array([[1, 2, 1]]))
encoder.backward(np.ones((1, 2)))
changed = bool(np.abs(held).sum() > 0)
embed_rows = encoder.embed.grads[0][:, 0] != 0
`;
    const r = runProgram(program);
    expect(r, JSON.stringify(r).slice(0, 300)).toMatchObject({ ok: true, globals: { same: true, changed: true } });
    if (r.ok) expect(r.globals.embed_rows).toMatchObject({ data: [false, true, true, false] });
  });
});

describe('word2vec-embeddingdot-class-backward', () => {
  const q = item('word2vec-embeddingdot-class-backward');
  const grader = graderFor(q)!;

  it('grades the model answer correct', () => {
    expect(gradeCode(q, grader, q.solution.trim(), 11).verdict).toBe('correct');
  });

  it('names dW when the gradient of h is used or dout is left out', () => {
    for (const answer of ['dout * target_W', 'h']) {
      const verdict = gradeCode(q, grader, answer, 11);
      expect(verdict.verdict, answer).toBe('incorrect');
      expect(verdict.message, answer).toMatch(/^例のケースで参照実装と一致しません。関数の戻り値: dW の値が違います: 位置 \[\d+, \d+\] で/);
    }
  });

  it('its grads are the Embedding’s: an array held before backward holds the summed rows', () => {
    const program = `${filled(q)}
layer = EmbeddingDot(np.ones((4, 2)))
held = layer.grads[0]
same = held is layer.embed.grads[0]
layer.forward(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([2, 0, 2]))
layer.backward(np.ones(3))
col = held[:, 1]
`;
    const r = runProgram(program);
    expect(r, JSON.stringify(r).slice(0, 300)).toMatchObject({ ok: true, globals: { same: true, col: { shape: [4], data: [4, 0, 8, 0] } } });
  });
});

describe('seq2seq-decoder-class-forward', () => {
  const q = item('seq2seq-decoder-class-forward');
  const grader = graderFor(q)!;

  it('grades the model answer correct', () => {
    expect(gradeCode(q, grader, q.solution.trim(), 11).verdict).toBe('correct');
  });

  it('names score when the encoder state is dropped or squashed again', () => {
    for (const answer of ['np.zeros_like(h)', 'np.tanh(h)']) {
      const verdict = gradeCode(q, grader, answer, 11);
      expect(verdict.verdict, answer).toBe('incorrect');
      expect(verdict.message, answer).toMatch(/^例のケースで参照実装と一致しません。関数の戻り値: score の値が違います: 位置 \[0, 0, 0\] で/);
    }
  });

  it('the decoder’s grads are its layers’ arrays, and dh is the gradient into the initial state', () => {
    const program = `${filled(q)}
decoder = Decoder(np.ones((3, 2)) / 3, np.eye(2) / 2, np.eye(2) / 2, np.zeros(2), np.ones((2, 3)), np.zeros(3))
held = decoder.grads[4]
same = held is decoder.affine.grads[0]
decoder.forward(np.array([[0, 2]]), np.array([[0.5, -0.5]]))
dh = decoder.backward(np.ones((1, 2, 3)))
changed = bool(np.abs(held).sum() > 0)
same_dh = dh is decoder.rnn.dh
`;
    const r = runProgram(program);
    expect(r, JSON.stringify(r).slice(0, 300)).toMatchObject({ ok: true, globals: { same: true, changed: true, same_dh: true } });
  });
});
