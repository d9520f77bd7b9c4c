import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chapterCounts,
  chapterProblems,
  cueProblems,
  cueStatistics,
  formatCueStatistics,
  glossaryProblems,
  keyIsStrictlyLongest,
  loadGlossary,
  policyProblems,
  unexplainedChoiceProblems,
  visibleLength,
  type GlossaryEntry,
} from '../../../server/bank/policy';
import { loadBank } from '../../../server/bank/load';
import type { Question } from '../../../server/bank/types';

const root = path.resolve(__dirname, '..', '..', '..');
const html = { prompt: '', explanation: '', choices: {} };
const base = { title: '題', chapter: 'rnn' as const, source: 'original' as const, tags: [] as string[], contentHash: 'h', html };

function choiceItem(id: string, answer: string, texts = ['選択肢その一', '選択肢その二', '選択肢その三', '選択肢その四'], extra: Partial<Question> = {}): Question {
  return {
    ...base,
    id,
    file: `rnn/${id}.md`,
    prompt: '問題文',
    explanation: '解説',
    kind: 'choice',
    choices: texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text })),
    answer,
    ...extra,
  } as Question;
}

function multiItem(id: string, answer: string[], count = 5): Question {
  const choices = Array.from({ length: count }, (_, i) => ({ id: String.fromCharCode(97 + i), text: `文${i}` }));
  return { ...base, id, file: `rnn/${id}.md`, prompt: 'p', explanation: 'e', kind: 'multi', choices, answer } as Question;
}

describe('glossary', () => {
  const glossary: GlossaryEntry[] = [
    { term: '閾値', en: 'threshold', avoid: ['しきい値'] },
    { term: 'tanh を通す', en: 'apply tanh', avoidPattern: ['tanh[}$\\s]*を掛け'] },
    { term: 'seq2seq', en: 'sequence to sequence', avoid: ['Seq2Seq'], allowIn: ['quoted'] },
  ];

  it('flags avoided spellings in the stem, the choices and the 解説, with the preferred term', () => {
    const q = choiceItem('g1', 'a', ['しきい値を超えたとき', '$\\tanh$ を掛ける', 'c', 'd'], { explanation: 'Seq2Seq では…', prompt: '問題' } as Partial<Question>);
    const problems = glossaryProblems([q], glossary);
    expect(problems.map((p) => [p.field, p.message.split('（')[0]])).toEqual([
      ['body (解説)', '用語:「Seq2Seq」ではなく「seq2seq」'],
      ['choices.a', '用語:「しきい値」ではなく「閾値」'],
      ['choices.b', '用語:「tanh$ を掛け」ではなく「tanh を通す」'],
    ]);
  });

  it('does not look into code or quoted titles, and lets an allowed question keep a spelling', () => {
    const code = choiceItem('g2', 'a', ['`threshold = しきい値`', 'b', 'c', 'd'], { prompt: '```python\n# しきい値\n```', explanation: '（"Seq2Seq Models", 2020）' } as Partial<Question>);
    expect(glossaryProblems([code], glossary)).toEqual([]);
    expect(glossaryProblems([choiceItem('quoted', 'a', ['Seq2Seq', 'b', 'c', 'd'])], glossary)).toEqual([]);
  });

  it('parses the real glossary, and every pattern compiles', () => {
    const entries = loadGlossary(path.join(root, 'questions'));
    expect(entries.length).toBeGreaterThanOrEqual(30);
    expect(entries.find((e) => e.term === '閾値')).toMatchObject({ en: 'threshold', avoid: ['しきい値'] });
    for (const e of entries) for (const p of e.avoidPattern ?? []) expect(() => new RegExp(p, 'u')).not.toThrow();
  });
});

describe('answer cues', () => {
  it('measures the visible length and finds a strictly longest key', () => {
    expect(visibleLength('`np.tanh(x)`')).toBe(10);
    expect(visibleLength('$\\frac{1}{2}$')).toBe(3);
    expect(keyIsStrictlyLongest({ answer: 'b', choices: [{ id: 'a', text: '短い' }, { id: 'b', text: 'ずっと長い選択肢' }] })).toBe(true);
    expect(keyIsStrictlyLongest({ answer: 'b', choices: [{ id: 'a', text: '同じ長さ' }, { id: 'b', text: '同じ長さ' }] })).toBe(false);
  });

  it('counts key positions, longest keys and multi answer counts', () => {
    const items = [
      choiceItem('c1', 'a'),
      choiceItem('c2', 'b'),
      choiceItem('c3', 'c', ['短', '短', 'とても長い正解の選択肢', '短']),
      choiceItem('c4', 'd'),
      multiItem('m1', ['a', 'b']),
      multiItem('m2', ['c']),
      multiItem('m3', ['b', 'd', 'e']),
    ];
    const s = cueStatistics(items);
    expect(s).toEqual({ single: 4, keyPositions: { a: 1, b: 1, c: 1, d: 1 }, longestKey: 1, multi: 3, multiCounts: { '1': 1, '2': 1, '3': 1 }, multiWithA: 1 });
    expect(formatCueStatistics(s)).toContain('正解が最も長い選択肢: 1 問 (25%)');
    expect(cueProblems(items)).toEqual([]);
  });

  it('reports a skewed key position, longest keys, one multi count and an all-correct multi', () => {
    const items = [
      ...['a', 'a', 'a', 'b', 'c', 'd'].map((k, i) => choiceItem(`s${i}`, k, k === 'a' ? ['とても長い正解の選択肢', '短', '短', '短'] : undefined)),
      multiItem('m1', ['a', 'b', 'c']),
      multiItem('m2', ['a', 'c', 'e']),
      multiItem('m3', ['a', 'b', 'c'], 3),
    ];
    const messages = cueProblems(items).map((p) => p.message);
    expect(messages).toContain('単一選択の正解が a の問題が 50% です（15〜35% にしてください）');
    expect(messages).toContain('正解が最も長い選択肢の問題が 50% です（30% 以下にしてください）');
    expect(messages).toContain('複数選択で正解が 3 個の問題が 100% です（40% 以下にしてください）');
    expect(messages).toContain('「すべて選べ」の正解は選択肢の数より少なくしてください（全部が正解だと手がかりになります）');
  });
});

describe('every wrong choice explained', () => {
  it('asks the 解説 to name each wrong choice, or a code item to quote its code', () => {
    const named = choiceItem('e1', 'b', undefined, { explanation: '- **a**: 逆。\n- **c**: 無関係。\n- **d**: 範囲外。' } as Partial<Question>);
    const silent = choiceItem('e2', 'b', undefined, { explanation: '正解は b。a は逆。' } as Partial<Question>);
    expect(unexplainedChoiceProblems([named])).toEqual([]);
    expect(unexplainedChoiceProblems([silent]).map((p) => p.message)).toEqual([
      '解説が誤りの選択肢 c, d に触れていません（「- **c**: …」の形で、なぜ誤りかを書いてください）',
    ]);
    const code = {
      ...choiceItem('e3', 'a', ['`E.dot(w)`', '`E * w`', '`w.dot(E.T)`', '`E.T.dot(w)`'], { explanation: '`E * w` は要素ごとの積。**d** は転置が逆。' } as Partial<Question>),
      kind: 'code',
      template: 'e = ___',
      solution: 'E.dot(w)',
      equivalent: ['c'],
    } as Question;
    expect(unexplainedChoiceProblems([code])).toEqual([]);
  });
});

describe('chapter size and balance', () => {
  it('asks every chapter for 30 questions, 6 run-graded and few parameter counts', () => {
    const items = Array.from({ length: 30 }, (_, i) => choiceItem(`p${i}`, 'a', undefined, { tags: i < 3 ? ['パラメータ数'] : [] }));
    const rnn = chapterProblems(items).filter((p) => p.file === 'rnn/').map((p) => p.message);
    expect(rnn).toEqual([
      '実行して採点する問題（code・function）が 0 問です（6 問以上にしてください）',
      'パラメータ数の問題が 3 問（10%）です（章の 8% 以下にしてください）',
    ]);
    expect(chapterProblems(items).find((p) => p.file === 'lstm/')?.message).toBe('問題が 0 問です（30 問以上にしてください）');
    expect(chapterCounts(items)[0]).toMatchObject({ chapter: 'rnn', total: 30, byKind: { choice: 30 }, runGraded: 0, parameterCounts: 3 });
  });
});

describe('the real bank', () => {
  it('keeps every bank-wide rule', () => {
    const dir = path.join(root, 'questions');
    const { questions } = loadBank(dir);
    const problems = policyProblems(questions, loadGlossary(dir));
    expect(problems.map((p) => `${p.file}: ${p.field}: ${p.message}`), formatCueStatistics(cueStatistics(questions))).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(390);
  });
});
