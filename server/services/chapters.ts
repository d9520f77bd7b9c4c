import { count, eq, sum } from 'drizzle-orm';
import { CHAPTERS } from '../bank/chapters';
import type { Context } from '../context';

export interface ChapterOverview {
  slug: string;
  title: string;
  day: number;
  questionCount: number;
  /** answers given in the chapter (a question answered twice counts twice) */
  answeredCount: number;
  /** distinct questions of the current bank answered at least once: the coverage is answeredQuestions / questionCount */
  answeredQuestions: number;
  /** mean score of every answer so far (a partial answer counts its partial score), null before the first one */
  accuracy: number | null;
}

/**
 * The 13 chapters in course order with the bank's counts, the learner's coverage and accuracy so far. Answers are grouped by
 * question on the covering index, then summed per chapter here (a join of every answer with questions is 3× slower).
 */
export async function chapterOverview(ctx: Context): Promise<ChapterOverview[]> {
  const { answers, questions } = ctx.store.tables;
  // count() is a number on both dialects; sum() a string (PostgreSQL's numeric), hence Number() below.
  const perQuestion = await ctx.store.db
    .select({ questionId: answers.questionId, answered: count(), scoreSum: sum(answers.score) })
    .from(answers)
    .where(eq(answers.learnerId, ctx.learnerId))
    .groupBy(answers.questionId);
  // Retired questions keep their chapter in the synced table, so their answers still count.
  const chapterOf = new Map((await ctx.store.db.select({ id: questions.id, chapter: questions.chapter }).from(questions)).map((q) => [q.id, q.chapter]));
  const byChapter = new Map<string, { answered: number; questions: number; scoreSum: number }>();
  for (const row of perQuestion) {
    const chapter = chapterOf.get(row.questionId);
    if (!chapter) continue;
    const acc = byChapter.get(chapter) ?? { answered: 0, questions: 0, scoreSum: 0 };
    acc.answered += row.answered;
    // Coverage counts only questions still in the bank, so it never passes questionCount.
    if (ctx.bank.byId.has(row.questionId)) acc.questions += 1;
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
      answeredQuestions: s?.questions ?? 0,
      accuracy: answered > 0 ? Number(s?.scoreSum ?? 0) / answered : null,
    };
  });
}

