import { count, eq, sum } from 'drizzle-orm';
import { answers, questions } from '../../db/schema';
import { CHAPTERS } from '../bank/chapters';
import type { Context } from '../context';

export interface ChapterOverview {
  slug: string;
  title: string;
  day: number;
  questionCount: number;
  answeredCount: number;
  /** mean score of every answer so far, null before the first one */
  accuracy: number | null;
}

/**
 * The 13 chapters in course order with the bank's counts and the learner's accuracy so far. Answers are grouped by
 * question on the covering index, then summed per chapter here (a join of every answer with questions is 3× slower).
 */
export function chapterOverview(ctx: Context): ChapterOverview[] {
  const perQuestion = ctx.db
    .select({ questionId: answers.questionId, answered: count(), scoreSum: sum(answers.score) })
    .from(answers)
    .where(eq(answers.learnerId, ctx.learnerId))
    .groupBy(answers.questionId)
    .all();
  // Retired questions keep their chapter in the synced table, so their answers still count.
  const chapterOf = new Map(ctx.db.select({ id: questions.id, chapter: questions.chapter }).from(questions).all().map((q) => [q.id, q.chapter]));
  const byChapter = new Map<string, { answered: number; scoreSum: number }>();
  for (const row of perQuestion) {
    const chapter = chapterOf.get(row.questionId);
    if (!chapter) continue;
    const acc = byChapter.get(chapter) ?? { answered: 0, scoreSum: 0 };
    acc.answered += row.answered;
    acc.scoreSum += Number(row.scoreSum ?? 0);
    byChapter.set(chapter, acc);
  }
  return CHAPTERS.map((c) => {
    const s = byChapter.get(c.slug);
    const answered = s?.answered ?? 0;
    return {
      slug: c.slug,
      title: c.title,
      day: c.day,
      questionCount: ctx.bank.questions.filter((q) => q.chapter === c.slug).length,
      answeredCount: answered,
      accuracy: answered > 0 ? Number(s?.scoreSum ?? 0) / answered : null,
    };
  });
}

