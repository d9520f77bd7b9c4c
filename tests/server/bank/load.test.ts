import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BankInvalidError, buildBank } from '../../../server/bank/bank';
import { loadBank } from '../../../server/bank/load';

const dirs: string[] = [];
function bankWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-bank-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const good = `---
id: good-one
title: 1 と 2 の和
chapter: rnn
source: original
kind: numeric
answer: 3
---
$1 + 2$ は？

## 解説
$1 + 2 = 3$。
`;

describe('loadBank', () => {
  it('loads a valid question with its HTML rendered by KaTeX', () => {
    const { questions, problems } = loadBank(bankWith({ 'rnn/good-one.md': good }));
    expect(problems).toEqual([]);
    expect(questions).toHaveLength(1);
    const q = questions[0]!;
    expect(q).toMatchObject({ id: 'good-one', title: '1 と 2 の和', kind: 'numeric', answer: 3, prompt: '$1 + 2$ は？', explanation: '$1 + 2 = 3$。' });
    expect(q.html.prompt).toContain('class="katex"');
    expect(q.contentHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports every problem of every file at once', () => {
    const broken = `---
id: Bad_Id
chapter: rnn
source: somewhere
kind: choice
choices:
  - id: a
    text: ok
  - id: c
    text: "$\\frac{1}{$"
answer: z
extra: 1
---
問題文だけで解説がない
`;
    const dir = bankWith({
      'rnn/broken.md': broken,
      'lstm/no-front.md': 'front matter がない',
      'lstm/mismatch.md': good,
      'nochapter/good-one.md': good,
    });
    const { problems, questions } = loadBank(dir);
    const got = problems.map((p) => `${p.file} | ${p.field}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'rnn/broken.md | id',
        'rnn/broken.md | source',
        'rnn/broken.md | (front matter)',
        'rnn/broken.md | body',
        'lstm/no-front.md | (front matter)',
        'lstm/mismatch.md | id',
        'lstm/mismatch.md | chapter',
        'nochapter/good-one.md | chapter',
      ]),
    );
    expect(problems.find((p) => p.file === 'rnn/broken.md' && p.field === '(front matter)')?.message).toMatch(/extra/);
    expect(problems.find((p) => p.file === 'rnn/broken.md' && p.field === 'body')?.message).toBe('「## 解説」の節がありません');
    expect(problems.find((p) => p.file === 'lstm/mismatch.md' && p.field === 'chapter')?.message).toBe('chapter「rnn」とフォルダ「lstm」が一致しません');
    expect(questions.map((q) => q.id)).toEqual([]);
  });

  it('reports choice ids out of order, an answer not among them, and math KaTeX cannot render', () => {
    const file = `---
id: bad-choices
title: 選択肢の不備
chapter: rnn
source: original
kind: choice
choices:
  - id: a
    text: ok
  - id: c
    text: '$\\frac{1}{$'
answer: d
---
問題

## 解説
解説
`;
    const { problems } = loadBank(bankWith({ 'rnn/bad-choices.md': file }));
    expect(problems.map((p) => [p.field, p.message])).toEqual(
      expect.arrayContaining([
        ['choices', '選択肢の id は a, b の順にしてください'],
        ['answer', '正解「d」が選択肢にありません'],
        ['choices.1.text', expect.stringContaining('数式を描画できません')],
      ]),
    );
  });

  it('refuses a duplicate id and buildBank refuses an invalid bank', () => {
    const dir = bankWith({ 'rnn/good-one.md': good, 'lstm/good-one.md': good.replace('chapter: rnn', 'chapter: lstm') });
    const { problems } = loadBank(dir);
    expect(problems).toEqual([{ file: 'rnn/good-one.md', field: 'id', message: 'id「good-one」は lstm/good-one.md と重複しています' }]);
    expect(() => buildBank(bankWith({ 'lstm/no-front.md': 'x' }))).toThrow(BankInvalidError);
  });

  it('requires a plain Japanese title, unique within its chapter, and names the file', () => {
    const titled = (id: string, title: string | undefined, chapter = 'rnn') =>
      good.replace('id: good-one', `id: ${id}`).replace('title: 1 と 2 の和\n', title === undefined ? '' : `title: ${JSON.stringify(title)}\n`).replace('chapter: rnn', `chapter: ${chapter}`);
    const dir = bankWith({
      'rnn/no-title.md': titled('no-title', undefined),
      'rnn/empty-title.md': titled('empty-title', ' '),
      'rnn/latex-title.md': titled('latex-title', '$\\sigma$ の微分'),
      'rnn/slug-title.md': titled('slug-title', 'slug-title'),
      'rnn/first.md': titled('first', '和の計算'),
      'rnn/second.md': titled('second', '和の計算'),
      'lstm/other-chapter.md': titled('other-chapter', '和の計算', 'lstm'),
    });
    const { problems, questions } = loadBank(dir);
    expect(problems).toEqual([
      { file: 'rnn/empty-title.md', field: 'title', message: 'title が空です。一覧で見分けられる短い日本語の題を書いてください' },
      { file: 'rnn/latex-title.md', field: 'title', message: 'title に LaTeX（$ や \\）は使えません。一覧にそのまま表示できる文字で書いてください' },
      { file: 'rnn/no-title.md', field: 'title', message: 'title がありません。一覧で見分けられる短い日本語の題を書いてください' },
      { file: 'rnn/second.md', field: 'title', message: 'title「和の計算」は同じ章の rnn/first.md と重複しています。問題を見分けられる題にしてください' },
      { file: 'rnn/slug-title.md', field: 'title', message: 'title「slug-title」は id のような英数字の並びです。日本語の題にしてください' },
    ]);
    expect(questions.map((q) => [q.id, q.title])).toEqual([
      ['other-chapter', '和の計算'],
      ['first', '和の計算'],
      ['second', '和の計算'],
    ]);
  });

  it('refuses a 解説 naming a choice the question does not have', () => {
    const file = `---
id: letters
title: 選択肢の記号
chapter: rnn
source: original
kind: choice
choices:
  - id: a
    text: 一
  - id: b
    text: 二
  - id: c
    text: 三
answer: b
---
正しいものはどれか。$f(e)$ と \`d\` は記号ではない。

## 解説
誤りの選択肢:

- **a**: 逆。
- **c**: 逆。

したがって **d** が誤り。$g(e)$ は関係ない。
`;
    const { problems } = loadBank(bankWith({ 'rnn/letters.md': file }));
    expect(problems).toEqual([
      { file: 'rnn/letters.md', field: 'body (解説)', message: '解説が選択肢「d」を挙げていますが、選択肢は a〜c です（「したがって **d** が誤り。」）' },
    ]);
  });

  it('refuses a stem naming 空欄 (か) when the template has no (か)', () => {
    const code = (stem: string, line: string) => `---
id: blank-mark
title: 空欄の印
chapter: rnn
source: original
kind: code
template: |
  def f(x):
      return ${line}
solution: 'x + 1'
---
${stem}

## 解説
$x + 1$ を返す。
`;
    const bad = loadBank(bankWith({ 'rnn/blank-mark.md': code('空欄 (か) に入るコードを書きなさい。', '___') }));
    expect(bad.problems).toEqual([
      {
        file: 'rnn/blank-mark.md',
        field: 'body',
        message: '問題文が「空欄 (か)」を指していますが、テンプレートにも問題文にも (か) の印がありません。テンプレートの空欄は ___ なので「空欄 `___`」と書いてください',
      },
    ]);
    expect(loadBank(bankWith({ 'rnn/blank-mark.md': code('空欄 `___` に入るコードを書きなさい。', '___') })).problems).toEqual([]);
    expect(loadBank(bankWith({ 'rnn/blank-mark.md': code('空欄 (か) に入るコードを書きなさい。', '___  # (か)') })).problems).toEqual([]);
  });
});
