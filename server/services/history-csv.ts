import type { Bank } from '../bank/bank';
import { chapterTitle } from '../bank/chapters';
import type { HistoryRow } from './history';
import { localDateTime } from './progress';

/*
 * The learner's history as a spreadsheet: one row per answer, in Japanese, with the question's title, local time, the
 * verdict in words and the answer as the learner typed it (never JSON). The JSON export stays the file to re-import.
 */

export const HUMAN_CSV_HEADERS = ['日時', '種別', '章', '問題', '形式', '回答', '判定', '得点', '所要時間（秒）'] as const;

const MODE_LABEL: Record<HistoryRow['sessionMode'], string> = { practice: '演習', review: '復習', mock: '模擬試験' };
const VERDICT_LABEL: Record<HistoryRow['verdict'], string> = { correct: '正解', partial: '部分正解', incorrect: '不正解' };
const FORM_LABEL: Record<HistoryRow['response']['type'], string> = {
  choice: '選択',
  multi: '複数選択',
  numeric: '数値',
  text: '短答',
  written: '記述',
  code: 'コード',
};

/** The answer as text: choice letters as the page labels them (a, b, c…), typed text and code as typed. */
export function responseText(response: HistoryRow['response']): string {
  switch (response.type) {
    case 'choice':
      return response.choice;
    case 'multi':
      return [...response.choices].sort().join(', ');
    case 'numeric':
    case 'text':
    case 'written':
      return response.value;
    case 'code':
      return response.code;
  }
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break (or edge spaces), quotes doubled.
 * A learner's text that a spreadsheet would run as a formula (=, +, -, @ at the start, and not a plain number) is
 * prefixed with an apostrophe, as OWASP's CSV-injection advice says.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** 0.75 → 75, 2/3 → 66.7: points out of 100, as the pages show them. */
const points = (score: number) => Math.round(score * 1000) / 10;

/** UTF-8 with a byte order mark (Excel then reads the Japanese right) and CRLF line ends. */
export function historyToHumanCsv(rows: readonly HistoryRow[], bank: Pick<Bank, 'byId'>): string {
  const lines = [HUMAN_CSV_HEADERS.join(',')];
  for (const row of rows) {
    const q = bank.byId.get(row.questionId);
    const chapter = q?.chapter ?? row.chapter;
    const cells: (string | number)[] = [
      localDateTime(Date.parse(row.createdAt), true),
      MODE_LABEL[row.sessionMode],
      chapter ? chapterTitle(chapter) : '',
      q?.title ?? '（問題バンクから削除された問題）',
      FORM_LABEL[row.response.type],
      responseText(row.response),
      VERDICT_LABEL[row.verdict],
      points(row.score),
      Math.round(row.timeSpentMs / 100) / 10,
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
