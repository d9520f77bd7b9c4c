import { chapterOrder } from './chapters';
import { loadBank, questionsDir, type BankProblem } from './load';
import type { Question } from './types';

export class BankInvalidError extends Error {
  constructor(readonly problems: BankProblem[]) {
    super(`問題バンクに ${problems.length} 件の問題があります:\n${formatProblems(problems)}`);
    this.name = 'BankInvalidError';
  }
}

export function formatProblems(problems: BankProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field}: ${p.message}`).join('\n');
}

export interface Bank {
  /** every question in course order: chapter, then the course's own items, then id */
  questions: Question[];
  byId: Map<string, Question>;
}

const sourceOrder = { kakunin: 0, enshu: 1, original: 2 } as const;

function courseOrder(a: Question, b: Question): number {
  return (
    chapterOrder(a.chapter) - chapterOrder(b.chapter) ||
    sourceOrder[a.source] - sourceOrder[b.source] ||
    a.id.localeCompare(b.id)
  );
}

/** Loads and validates the bank; throws BankInvalidError listing every problem. */
export function buildBank(dir: string = questionsDir()): Bank {
  const { questions, problems } = loadBank(dir);
  if (problems.length > 0) throw new BankInvalidError(problems);
  const sorted = [...questions].sort(courseOrder);
  return { questions: sorted, byId: new Map(sorted.map((q) => [q.id, q])) };
}

let cached: Bank | undefined;

/** The bank of this process, loaded on first use (files are read once; restart to pick up edits). */
export function getBank(): Bank {
  cached ??= buildBank();
  return cached;
}
