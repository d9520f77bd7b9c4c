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

/** The 13 chapters in course order with the bank's counts and the learner's accuracy so far. */
export function chapterOverview(ctx: Context): ChapterOverview[] {
  const stats = ctx.db
    .select({ chapter: questions.chapter, answered: count(), scoreSum: sum(answers.score) })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.learnerId, ctx.learnerId))
    .groupBy(questions.chapter)
    .all();
  const byChapter = new Map(stats.map((s) => [s.chapter, s]));
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

