import { describe, expect, it } from 'vitest';
import { parseQuestionFile } from '../../../server/bank/load';
import { letterMap, reorderSource } from '../../../server/bank/reorder';

const source = `---
id: rnn-sample
title: 並べ替えの見本
chapter: rnn
source: original
kind: choice
tags: [RNN]
choices:
  - id: a
    text: 'A の文'
  - id: b
    text: '正しい B の文（$\\tanh$）'
  - id: c
    text: 'C の文'
  - id: d
    text: 'D の文'
answer: b
---
正しいものを選べ。

## 解説
正解は **b**。a と c は逆、\`a = b\` はコードで、$a$ は数式なので動かない。

- **a**: 逆。
- **b**: 正しい。
- **c**: 逆。
- **d**: 無関係（選択肢 d）。
`;

describe('bank reorder', () => {
  it('maps old letters to new places and refuses a non-permutation', () => {
    expect(letterMap('cadb', 4)).toEqual(new Map([['c', 'a'], ['a', 'b'], ['d', 'c'], ['b', 'd']]));
    expect(letterMap('caab', 4)).toBeUndefined();
    expect(letterMap('abc', 4)).toBeUndefined();
  });

  it('moves the choices, the answer and the letters the 解説 names, not code or math', () => {
    const out = reorderSource(source, 'dcba');
    const { question, problems } = parseQuestionFile('rnn/rnn-sample.md', out, 'rnn/rnn-sample.md');
    expect(problems).toEqual([]);
    if (question?.kind !== 'choice') throw new Error('choice expected');
    expect(question.answer).toBe('c');
    expect(question.choices.map((c) => c.text)).toEqual(['D の文', 'C の文', '正しい B の文（$\\tanh$）', 'A の文']);
    expect(question.explanation).toBe(
      '正解は **c**。d と b は逆、`a = b` はコードで、$a$ は数式なので動かない。\n\n- **a**: 無関係（選択肢 a）。\n- **b**: 逆。\n- **c**: 正しい。\n- **d**: 逆。',
    );
    expect(out.split('## 解説')[0]).toContain("tags: [RNN]\n");
  });
});
