import { describe, expect, it } from 'vitest';
import { choiceReferences, missingBlankMarks, titleProblem } from '../../../server/bank/checks';

describe('titleProblem', () => {
  it('accepts a short Japanese title, with ASCII terms and full-width punctuation', () => {
    expect(titleProblem('LSTM の忘却ゲートと勾配の積')).toBeUndefined();
    expect(titleProblem('双方向RNN の出力の連結（コード）')).toBeUndefined();
    expect(titleProblem('あ'.repeat(40))).toBeUndefined();
  });

  it('refuses empty, multi-line, LaTeX, Markdown code, slug-like, non-Japanese and long titles', () => {
    expect(titleProblem('  ')).toBe('title が空です。一覧で見分けられる短い日本語の題を書いてください');
    expect(titleProblem('忘却ゲート\nの値')).toBe('title は 1 行で書いてください');
    expect(titleProblem('$\\tilde{c}$ の更新')).toBe('title に LaTeX（$ や \\）は使えません。一覧にそのまま表示できる文字で書いてください');
    expect(titleProblem('\\frac の値')).toBe('title に LaTeX（$ や \\）は使えません。一覧にそのまま表示できる文字で書いてください');
    expect(titleProblem('`np.dot` の形')).toBe('title に Markdown の ` は使えません。一覧にそのまま表示できる文字で書いてください');
    expect(titleProblem('lstm-forget-gate-gradient-product')).toBe(
      'title「lstm-forget-gate-gradient-product」は id のような英数字の並びです。日本語の題にしてください',
    );
    expect(titleProblem('LSTM')).toBe('title「LSTM」は id のような英数字の並びです。日本語の題にしてください');
    expect(titleProblem('Forget gate product')).toBe('title「Forget gate product」に日本語がありません。日本語の題にしてください');
    expect(titleProblem('あ'.repeat(41))).toBe('title は 40 文字以内にしてください（41 文字あります）');
  });
});

describe('choiceReferences', () => {
  const letters = (text: string) => choiceReferences(text).map((r) => r.letter);

  it('finds the ways the bank names a choice', () => {
    expect(letters('誤りの選択肢:\n\n- **a**: 逆である。\n- **c（正解）**: 正しい。\n- **d**（誤）: 逆。')).toEqual(['a', 'c', 'd']);
    expect(letters('したがって **b** が誤り。')).toEqual(['b']);
    expect(letters('**エンコーダ層**（a）: Self-Attention と FFN。')).toEqual(['a']);
    expect(letters('選択肢 c は逆で、e が誤り。exposure bias が c の問題）。')).toEqual(['c', 'e', 'c']);
  });

  it('ignores letters in math, code, words and upper case', () => {
    expect(letters('$p(a) = \\frac{e^{a}}{\\sum_b e^{b}}$ と $$f(c)$$ を使う。')).toEqual([]);
    expect(letters('`a` は配列で、`np.exp(e)` を使う。\n\n```python\nb = a.dot(c)\n```')).toEqual([]);
    expect(letters('ボックス A と B の IoU、データ並列 (DP) と bias-variance、model.c の値')).toEqual([]);
  });

  it('gives a little context for messages, and where the letter stands', () => {
    expect(choiceReferences('よって **e** が誤り。')).toEqual([{ letter: 'e', index: 6, excerpt: 'よって **e** が誤り。' }]);
    const text = '$a$ と `b` のあと（c）';
    expect(choiceReferences(text)).toEqual([{ letter: 'c', index: 14, excerpt: 'のあと（c）' }]);
    expect(text[14]).toBe('c');
  });
});

describe('missingBlankMarks', () => {
  const template = 'def f(x):\n    return ___\n';

  it('finds a named blank the template does not mark', () => {
    expect(missingBlankMarks('空欄 (か) に入るコードを書きなさい。', template)).toEqual(['か']);
    expect(missingBlankMarks('空欄（ア）と空欄 (イ) を埋めよ。', undefined)).toEqual(['ア', 'イ']);
  });

  it('accepts a mark in the template or elsewhere in the stem, and stems that name no mark', () => {
    expect(missingBlankMarks('空欄 (か) に入るコードを書きなさい。', 'h = (か)\n')).toEqual([]);
    expect(missingBlankMarks('式 $y = W x +$ （ア） の空欄（ア）に入る語は？', undefined)).toEqual([]);
    expect(missingBlankMarks('空欄 `___` に入るコードを書きなさい。', template)).toEqual([]);
    expect(missingBlankMarks('空欄に入るコードを書きなさい。', template)).toEqual([]);
  });
});
