import type { Question } from '../../server/bank/types';
import type { RubricMatch, Written } from '../../server/bank/schema';
import { normalizeText, numbersMatch, parseNumber, sentencesOf } from './normalize';
import { textMatches } from './text-answer';
import type { GradeOutcome, Graded, Response, RubricFeedback } from './response';

const formatError = (message: string): GradeOutcome => ({ ok: false, message });
const graded = (g: Graded): GradeOutcome => ({ ok: true, graded: g });

function verdictOf(score: number): Graded['verdict'] {
  if (score >= 1 - 1e-9) return 'correct';
  return score > 0 ? 'partial' : 'incorrect';
}

/**
 * The response forms a question accepts: its own kind, `written` when it carries a written form, and for a code
 * item its exam-style choices.
 */
export function acceptedForms(q: Question): Response['type'][] {
  if (q.kind === 'code') return q.choices ? ['code', 'choice'] : ['code'];
  if (q.kind === 'function') return ['code'];
  return q.kind !== 'written' && q.written ? [q.kind, 'written'] : [q.kind];
}

/**
 * A match of a rubric point with its phrases normalised once. `subjects` are what a relation is about (its first
 * term's alternatives and its notBetween terms): a sentence that names none of them continues the sentence before.
 */
type Matcher = { anywhere: string } | { inOrder: string[][]; notBetween: string[]; subjects: string[] };

const matcherCache = new WeakMap<object, Matcher>();

function matcherOf(entry: RubricMatch): Matcher {
  if (typeof entry === 'string') return { anywhere: normalizeText(entry) };
  const cached = matcherCache.get(entry);
  if (cached) return cached;
  const terms = Array.isArray(entry) ? entry : entry.inOrder;
  const inOrder = terms.map((t) => (Array.isArray(t) ? t : [t]).map(normalizeText));
  const notBetween = Array.isArray(entry) ? [] : entry.notBetween.map(normalizeText);
  const matcher = { inOrder, notBetween, subjects: [...(inOrder[0] ?? []), ...notBetween] };
  matcherCache.set(entry, matcher);
  return matcher;
}

/** The terms occur in this order in `text`: for each, the alternative that ends first after the previous one. */
function occursInOrder(text: string, terms: string[][]): boolean {
  let from = 0;
  for (const alternatives of terms) {
    let end = Infinity;
    for (const alt of alternatives) {
      const at = text.indexOf(alt, from);
      if (at !== -1) end = Math.min(end, at + alt.length);
    }
    if (end === Infinity) return false;
    from = end;
  }
  return true;
}

/**
 * Sentences grouped by subject: Japanese drops a subject once it is known (「LSTM は 3 つのゲートを持つ。パラメータも
 * 多い。」, or a bullet 「- LSTM: …。…。」), so a sentence naming none of the subjects is joined to the one before.
 */
function blocksOf(sentences: string[], subjects: string[]): string[] {
  const blocks: string[] = [];
  for (const sentence of sentences) {
    if (blocks.length > 0 && !subjects.some((t) => sentence.includes(t))) blocks[blocks.length - 1] += `\n${sentence}`;
    else blocks.push(sentence);
  }
  return blocks;
}

/** Cuts a text at every occurrence of the given terms: what lies on either side of one is not "between" them. */
function cutAt(text: string, terms: string[]): string[] {
  let pieces = [text];
  for (const term of terms) pieces = pieces.flatMap((p) => p.split(term));
  return pieces;
}

function matches(entry: RubricMatch, whole: string, sentences: string[]): boolean {
  const m = matcherOf(entry);
  if ('anywhere' in m) return whole.includes(m.anywhere);
  return blocksOf(sentences, m.subjects).some((block) => cutAt(block, m.notBetween).some((piece) => occursInOrder(piece, m.inOrder)));
}

/**
 * Which rubric points the answer appears to cover: a point is pre-ticked when one of its accepted phrasings occurs and
 * none of its rejected ones does. Only a guide: the learner confirms the points (confirmedScore).
 */
export function preTick(written: Written, answer: string): boolean[] {
  // Markdown emphasis (「**LSTM**:」) is no multiplication sign, which normalizeText would turn `*` into.
  const plain = answer.replace(/\*\*|__/g, '');
  const whole = normalizeText(plain);
  const sentences = sentencesOf(plain);
  return written.rubric.map(
    (p) => p.accept.some((e) => matches(e, whole, sentences)) && !(p.reject ?? []).some((e) => matches(e, whole, sentences)),
  );
}

/** The weighted share of the points marked as met, and its verdict. */
export function scoreOfPoints(points: readonly { weight?: number }[], met: readonly boolean[]): { score: number; verdict: Graded['verdict'] } {
  const weight = (p: { weight?: number }) => p.weight ?? 1;
  const total = points.reduce((s, p) => s + weight(p), 0);
  const got = points.reduce((s, p, i) => s + (met[i] ? weight(p) : 0), 0);
  const score = total > 0 ? got / total : 0;
  return { score, verdict: verdictOf(score) };
}

/** The provisional score of a descriptive answer: the weighted share of the pre-ticked points. */
export function gradeWritten(written: Written, answer: string): Graded {
  const ticked = preTick(written, answer);
  const { score, verdict } = scoreOfPoints(written.rubric, ticked);
  const rubric: RubricFeedback[] = written.rubric.map((p, i) => ({ point: p.point, matched: ticked[i]!, weight: p.weight }));
  return { verdict, score, feedback: { rubric } };
}

/** Grades one response that needs no code run (every form but `code`). Pure: no I/O. */
export function gradeAnswer(q: Question, response: Response): GradeOutcome {
  if (!acceptedForms(q).includes(response.type)) {
    return formatError('この問題はその形式では回答できません');
  }
  switch (response.type) {
    case 'written': {
      const written = q.written;
      if (!written) return formatError('この問題には記述式がありません');
      if (!response.value.trim()) return formatError('回答を入力してください');
      return graded(gradeWritten(written, response.value));
    }
    case 'choice': {
      if ((q.kind !== 'choice' && q.kind !== 'code') || !q.choices) break;
      if (!q.choices.some((c) => c.id === response.choice)) return formatError('選択肢を1つ選んでください');
      const right = response.choice === q.answer || (q.kind === 'code' && (q.equivalent ?? []).includes(response.choice));
      const score = right ? 1 : 0;
      return graded({ verdict: verdictOf(score), score, feedback: null });
    }
    case 'multi': {
      if (q.kind !== 'multi') break;
      const picked = new Set(response.choices);
      if (picked.size === 0) return formatError('選択肢を1つ以上選んでください');
      if ([...picked].some((id) => !q.choices.some((c) => c.id === id))) return formatError('存在しない選択肢が含まれています');
      const right = new Set(q.answer);
      const hits = [...picked].filter((id) => right.has(id)).length;
      const misses = picked.size - hits;
      const score = Math.max(0, (hits - misses) / right.size);
      return graded({ verdict: verdictOf(score), score, feedback: null });
    }
    case 'numeric': {
      if (q.kind !== 'numeric') break;
      const value = parseNumber(response.value);
      if (value === undefined) return formatError(`数値として読めません:「${response.value.slice(0, 40)}」（例: 0.25、.25、1/4）`);
      const score = numbersMatch(q.answer, value, q.tolerance) ? 1 : 0;
      return graded({ verdict: verdictOf(score), score, feedback: { parsed: value } });
    }
    case 'text': {
      if (q.kind !== 'text') break;
      if (!normalizeText(response.value)) return formatError('回答を入力してください');
      const score = textMatches(response.value, [q.answer, ...q.accept], q.suffixes) ? 1 : 0;
      return graded({ verdict: verdictOf(score), score, feedback: null });
    }
    case 'code':
      // Code runs through graders/grade-code (in a worker); reaching here is a routing bug.
      throw new Error(`gradeAnswer cannot grade code (question ${q.id})`);
  }
  return formatError('この問題はその形式では回答できません');
}

/** What the learner sees after answering: the right answer in each form the question has. */
export interface AnswerKey {
  choice?: string;
  /** code items: other choices graded correct (they compute the same value) */
  alsoChoices?: string[];
  choices?: string[];
  value?: string;
  accept?: string[];
  rubric?: string[];
  modelAnswerHtml?: string;
  /** code and function items: a model answer */
  code?: string;
}

export function answerKey(q: Question): AnswerKey {
  const key: AnswerKey = {};
  if (q.kind === 'choice') key.choice = q.answer;
  if (q.kind === 'code') {
    key.code = q.solution;
    if (q.answer) key.choice = q.answer;
    if (q.equivalent) key.alsoChoices = q.equivalent;
  }
  if (q.kind === 'function') key.code = q.solution;
  if (q.kind === 'multi') key.choices = q.answer;
  if (q.kind === 'numeric') key.value = q.unit ? `${q.answer} ${q.unit}` : String(q.answer);
  if (q.kind === 'text') {
    key.value = q.answer;
    key.accept = q.accept;
  }
  if (q.written) {
    key.rubric = q.written.rubric.map((p) => p.point);
    key.modelAnswerHtml = q.html.modelAnswer;
  }
  return key;
}
