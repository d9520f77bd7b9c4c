import type { Bank } from './bank';
import type { Question } from './types';

/** One question as `bank export` prints it: stable keys for outside tools. */
export function exportQuestion(q: Question) {
  const common = {
    id: q.id,
    title: q.title,
    chapter: q.chapter,
    source: q.source,
    kind: q.kind,
    tags: q.tags,
    prompt: q.prompt,
    explanation: q.explanation,
    file: q.file,
    contentHash: q.contentHash,
    ...(q.written ? { written: q.written } : {}),
  };
  switch (q.kind) {
    case 'choice':
    case 'multi':
      return { ...common, choices: q.choices.map((c) => ({ id: c.id, text: c.text })), answer: q.answer };
    case 'numeric':
      return { ...common, answer: q.answer, tolerance: q.tolerance ?? null, unit: q.unit ?? null };
    case 'text':
      return { ...common, answer: q.answer, accept: q.accept };
    case 'written':
      return { ...common, answer: q.written.modelAnswer };
    case 'code':
      return {
        ...common,
        grader: q.grader ?? q.id,
        template: q.template,
        answer: q.solution.trim(),
        ...(q.choices ? { choices: q.choices.map((c) => ({ id: c.id, text: c.text })), answerChoice: q.answer ?? null } : {}),
      };
    case 'function':
      return { ...common, grader: q.grader ?? q.id, template: q.template, answer: q.solution.trim() };
  }
}

export function exportBank(bank: Bank) {
  return bank.questions.map(exportQuestion);
}
