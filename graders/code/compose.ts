import type { CodeItem } from './types';

/** The name of the hidden function that records each value the blank produces. */
export const BLANK_HOOK = '__kakunin_blank__';

export interface Composed {
  source: string;
  /** offsets of the learner's code inside `source` */
  answerFrom: number;
  answerTo: number;
  /** first line of the template inside `source` (1-based) */
  templateLine: number;
}

function countLines(text: string): number {
  return text.split('\n').length;
}

/**
 * The program that is run: prelude, then the template with the learner's blank wrapped in the hook
 * (or, for a function item, the learner's whole code), then the call.
 */
export function composeProgram(item: CodeItem, prelude: string, call: string, answer: string): Composed {
  const head = prelude.trimEnd() + '\n';
  if (item.kind === 'function') {
    const source = `${head}${answer}\n${call}\n`;
    return { source, answerFrom: head.length, answerTo: head.length + answer.length, templateLine: countLines(head) };
  }
  const at = item.template.indexOf('___');
  const before = item.template.slice(0, at) + `${BLANK_HOOK}(`;
  const source = `${head}${before}${answer})${item.template.slice(at + 3)}\n${call}\n`;
  return { source, answerFrom: head.length + before.length, answerTo: head.length + before.length + answer.length, templateLine: countLines(head) };
}

function offsetOf(source: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return offset + col - 1;
}

function lineColOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Maps an error position in the composed program back to the learner's code, or to the template. */
export function locate(
  composed: Composed,
  pos: { line: number; col: number; endLine?: number; endCol?: number },
): { line: number; col: number; endLine?: number; endCol?: number; where: 'answer' | 'template' } {
  const from = offsetOf(composed.source, pos.line, pos.col);
  const answer = composed.source.slice(composed.answerFrom, composed.answerTo);
  if (from >= composed.answerFrom && from <= composed.answerTo) {
    const a = lineColOf(answer, from - composed.answerFrom);
    const to = pos.endLine !== undefined && pos.endCol !== undefined ? offsetOf(composed.source, pos.endLine, pos.endCol) : from;
    const b = lineColOf(answer, Math.min(to, composed.answerTo) - composed.answerFrom);
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col, where: 'answer' };
  }
  return { line: Math.max(1, pos.line - composed.templateLine + 1), col: pos.col, where: 'template' };
}
