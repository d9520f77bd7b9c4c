import { kindGroupOf, sourceGroupOf, type KindGroup, type SourceGroup, type StatusFilter } from '../bank/groups';
import type { Question } from '../bank/types';
import type { Context } from '../context';

/** One question as the practice filters see it, with the learner's history of it. */
export interface CatalogEntry {
  id: string;
  chapter: string;
  kindGroup: KindGroup;
  sourceGroup: SourceGroup;
  answered: boolean;
  /** the latest answer's verdict was not correct */
  lastWrong: boolean;
}

export interface QuestionFilters {
  kinds?: KindGroup[];
  sources?: SourceGroup[];
  status?: StatusFilter;
}

/**
 * The latest verdict of every question the learner has answered: one grouped scan of the covering index
 * answers_learner_question_idx (with a single max(), SQLite reads the bare column from the latest row). The home
 * page and every session start read this, so it must not load the learner's whole history.
 */
async function latestVerdicts(ctx: Context): Promise<Map<string, string>> {
  const rows = await ctx.store.rows<{ questionId: string; verdict: string }>(ctx.store.sql.latestVerdicts(ctx.learnerId));
  return new Map(rows.map((r) => [r.questionId, r.verdict]));
}

export async function questionCatalog(ctx: Context): Promise<CatalogEntry[]> {
  const latest = await latestVerdicts(ctx);
  return ctx.bank.questions.map((q) => ({
    id: q.id,
    chapter: q.chapter,
    kindGroup: kindGroupOf(q.kind),
    sourceGroup: sourceGroupOf(q.source),
    answered: latest.has(q.id),
    lastWrong: latest.has(q.id) && latest.get(q.id) !== 'correct',
  }));
}

export function matchesFilters(entry: CatalogEntry, filters: QuestionFilters): boolean {
  if (filters.kinds && filters.kinds.length > 0 && !filters.kinds.includes(entry.kindGroup)) return false;
  if (filters.sources && filters.sources.length > 0 && !filters.sources.includes(entry.sourceGroup)) return false;
  if (filters.status === 'unanswered' && entry.answered) return false;
  if (filters.status === 'wrong' && !entry.lastWrong) return false;
  return true;
}

/** The questions of the chapters that pass the filters, in course order. */
export async function filteredPool(ctx: Context, chapters: readonly string[], filters: QuestionFilters): Promise<Question[]> {
  const entries = new Map((await questionCatalog(ctx)).map((e) => [e.id, e]));
  return ctx.bank.questions.filter((q) => chapters.includes(q.chapter) && matchesFilters(entries.get(q.id)!, filters));
}
