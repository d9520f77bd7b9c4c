import type { Question } from '../../server/bank/types';
import type { Written } from '../../server/bank/schema';
import { normalizeText, numbersMatch, parseNumber } from './normalize';
import type { GradeOutcome, Graded, Response } from './response';

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

/** Scores a descriptive answer: each rubric point is met when any accepted phrasing occurs in the answer. */
export function gradeWritten(written: Written, answer: string): Graded {
  const text = normalizeText(answer);
  const rubric = written.rubric.map((p) => ({
    point: p.point,
    weight: p.weight,
    matched: p.accept.some((phrase) => text.includes(normalizeText(phrase))),
  }));
  const total = rubric.reduce((s, p) => s + p.weight, 0);
  const got = rubric.reduce((s, p) => s + (p.matched ? p.weight : 0), 0);
  const score = total > 0 ? got / total : 0;
  return { verdict: verdictOf(score), score, feedback: { rubric: rubric.map(({ point, matched }) => ({ point, matched })) } };
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
      const score = response.choice === q.answer ? 1 : 0;
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
      const value = normalizeText(response.value);
      if (!value) return formatError('回答を入力してください');
      const accepted = [q.answer, ...q.accept].map(normalizeText);
      const score = accepted.includes(value) ? 1 : 0;
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
