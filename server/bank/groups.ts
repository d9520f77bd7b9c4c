import type { QuestionKind } from './schema';

/** How learners filter questions: by the form of the answer and by where the item comes from. */
export const KIND_GROUPS = ['choice', 'code', 'numeric', 'written'] as const;
export type KindGroup = (typeof KIND_GROUPS)[number];

export const KIND_GROUP_LABEL: Record<KindGroup, string> = {
  choice: '選択式',
  code: 'コード',
  numeric: '数値計算',
  written: '記述・用語',
};

export function kindGroupOf(kind: QuestionKind): KindGroup {
  switch (kind) {
    case 'choice':
    case 'multi':
      return 'choice';
    case 'code':
    case 'function':
      return 'code';
    case 'numeric':
      return 'numeric';
    case 'text':
    case 'written':
      return 'written';
  }
}

export const SOURCE_GROUPS = ['course', 'original'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];

export const SOURCE_GROUP_LABEL: Record<SourceGroup, string> = { course: '講座の確認テスト・演習チャレンジ', original: 'オリジナル' };

export function sourceGroupOf(source: 'kakunin' | 'enshu' | 'original'): SourceGroup {
  return source === 'original' ? 'original' : 'course';
}

export const STATUS_FILTERS = ['all', 'unanswered', 'wrong'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
