import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CHAPTER_SLUGS } from './chapters';
import { choiceReferences, missingBlankMarks } from './checks';
import { renderInline, renderMarkdown } from './render';
import { statedRounding, toleranceOf } from './rounding';
import { FrontMatterSchema, type FrontMatter } from './schema';
import type { Question } from './types';

/** One content problem; loading collects all of them instead of stopping at the first. */
export interface BankProblem {
  file: string;
  field: string;
  message: string;
}

export interface LoadResult {
  questions: Question[];
  problems: BankProblem[];
}

const EXPLANATION_HEADING = /^##\s*解説\s*$/m;

export function questionsDir(): string {
  return process.env.KAKUNIN_QUESTIONS ?? path.join(process.cwd(), 'questions');
}

function listMarkdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listMarkdownFiles(full));
    else if (entry.endsWith('.md')) out.push(full);
  }
  return out;
}

function zodProblems(file: string, error: z.ZodError): BankProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.join('.') || '(front matter)',
    message: issue.message,
  }));
}

/** Splits `---\nyaml\n---\nbody` into its parts. */
function splitFrontMatter(source: string): { yaml: string; body: string } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  return match ? { yaml: match[1] ?? '', body: match[2] ?? '' } : undefined;
}

/** Parses and checks one file; returns the question or the file's problems. */
export function parseQuestionFile(
  file: string,
  source: string,
  relative: string,
): { question?: Question; problems: BankProblem[] } {
  const problems: BankProblem[] = [];
  const report = (field: string, message: string) => problems.push({ file: relative, field, message });

  const parts = splitFrontMatter(source);
  if (!parts) {
    report('(front matter)', 'ファイルは --- で囲んだ YAML front matter で始めてください');
    return { problems };
  }
  let data: unknown;
  try {
    data = parseYaml(parts.yaml);
  } catch (error) {
    report('(front matter)', `YAML を読めません: ${(error as Error).message}`);
    return { problems };
  }
  const parsed = FrontMatterSchema.safeParse(data);
  if (!parsed.success) problems.push(...zodProblems(relative, parsed.error));

  const [prompt, explanation, ...extra] = parts.body.split(EXPLANATION_HEADING);
  if (!prompt?.trim()) report('body', '問題文がありません');
  if (explanation === undefined || !explanation.trim()) report('body', '「## 解説」の節がありません');
  if (extra.length > 0) report('body', '「## 解説」が複数あります');

  if (!parsed.success) return { problems };
  const fm = parsed.data;
  checkConsistency(fm, file, report);
  checkReferences(fm, prompt ?? '', explanation ?? '', report);

  const html = renderAll(fm, prompt ?? '', explanation ?? '', report);
  if (problems.length > 0 || !html) return { problems };
  // A numeric item's tolerance follows from the rounding its stem states (an explicit one is a lint problem, policy.ts).
  const rounding = fm.kind === 'numeric' && fm.tolerance === undefined ? statedRounding(prompt ?? '') : undefined;
  const derived = fm.kind === 'numeric' && rounding ? { tolerance: toleranceOf(rounding, fm.answer) } : {};
  return {
    problems,
    question: {
      ...fm,
      ...derived,
      file: relative,
      contentHash: createHash('sha256').update(source).digest('hex').slice(0, 16),
      prompt: (prompt ?? '').trim(),
      explanation: (explanation ?? '').trim(),
      html,
    },
  };
}

function checkConsistency(fm: FrontMatter, file: string, report: (field: string, message: string) => void): void {
  const base = path.basename(file, '.md');
  if (base !== fm.id) report('id', `id「${fm.id}」とファイル名「${base}.md」が一致しません`);
  const folder = path.basename(path.dirname(file));
  if (folder !== fm.chapter) report('chapter', `chapter「${fm.chapter}」とフォルダ「${folder}」が一致しません`);
  if (fm.kind === 'code') {
    const blanks = fm.template.split('___').length - 1;
    if (blanks !== 1) report('template', `空欄 ___ はテンプレートにちょうど1つ置いてください（${blanks} 個あります）`);
    if (fm.solution.includes('___')) report('solution', '模範解答に ___ が残っています');
    if ((fm.choices === undefined) !== (fm.answer === undefined)) report('answer', '選択肢を付けるときは answer も書いてください（逆も同じ）');
    for (const id of fm.equivalent ?? []) {
      if (!fm.choices?.some((c) => c.id === id)) report('equivalent', `equivalent「${id}」が選択肢にありません`);
      if (id === fm.answer) report('equivalent', `equivalent「${id}」は answer と同じです`);
    }
  }
  if (fm.kind === 'choice' || fm.kind === 'multi' || (fm.kind === 'code' && fm.choices && fm.answer)) {
    const ids = (fm.choices ?? []).map((c) => c.id);
    const expected = ids.map((_, i) => String.fromCharCode(97 + i));
    if (ids.join() !== expected.join()) report('choices', `選択肢の id は ${expected.join(', ')} の順にしてください`);
    const answers = Array.isArray(fm.answer) ? fm.answer : fm.answer === undefined ? [] : [fm.answer];
    for (const a of answers) if (!ids.includes(a)) report('answer', `正解「${a}」が選択肢にありません`);
    if (new Set(answers).size !== answers.length) report('answer', '正解に同じ選択肢が重複しています');
  }
}

/** What the prose points at must exist: the choice letters a 解説 names and the blanks a stem names. */
function checkReferences(fm: FrontMatter, prompt: string, explanation: string, report: (field: string, message: string) => void): void {
  const choices = fm.kind === 'choice' || fm.kind === 'multi' || fm.kind === 'code' ? fm.choices : undefined;
  if (choices) {
    const ids = choices.map((c) => c.id);
    const unknown = new Map<string, string>();
    for (const ref of choiceReferences(explanation)) if (!ids.includes(ref.letter) && !unknown.has(ref.letter)) unknown.set(ref.letter, ref.excerpt);
    for (const [letter, excerpt] of unknown) {
      report('body (解説)', `解説が選択肢「${letter}」を挙げていますが、選択肢は ${ids[0]}〜${ids.at(-1)} です（「${excerpt}」）`);
    }
  }
  const template = fm.kind === 'code' || fm.kind === 'function' ? fm.template : undefined;
  for (const mark of missingBlankMarks(prompt, template)) {
    const where = template ? 'テンプレートにも問題文にも' : '問題文に';
    const hint = template?.includes('___') ? '。テンプレートの空欄は ___ なので「空欄 `___`」と書いてください' : '';
    report('body', `問題文が「空欄 (${mark})」を指していますが、${where} (${mark}) の印がありません${hint}`);
  }
}

function renderAll(
  fm: FrontMatter,
  prompt: string,
  explanation: string,
  report: (field: string, message: string) => void,
): Question['html'] | undefined {
  const render = (field: string, fn: () => string): string | undefined => {
    try {
      return fn();
    } catch (error) {
      report(field, `数式を描画できません: ${(error as Error).message}`);
      return undefined;
    }
  };
  const choices: Record<string, string> = {};
  if ((fm.kind === 'choice' || fm.kind === 'multi' || fm.kind === 'code') && fm.choices) {
    fm.choices.forEach((c, i) => {
      choices[c.id] = render(`choices.${i}.text`, () => renderInline(c.text)) ?? '';
    });
  }
  const promptHtml = render('body', () => renderMarkdown(prompt));
  const explanationHtml = render('body (解説)', () => renderMarkdown(explanation));
  const modelAnswerHtml = fm.written ? render('written.modelAnswer', () => renderMarkdown(fm.written!.modelAnswer)) : undefined;
  if (promptHtml === undefined || explanationHtml === undefined) return undefined;
  return { prompt: promptHtml, explanation: explanationHtml, choices, modelAnswer: modelAnswerHtml };
}

/** Loads every question under `dir`, collecting every problem of every file. */
export function loadBank(dir: string = questionsDir()): LoadResult {
  const questions: Question[] = [];
  const problems: BankProblem[] = [];
  let files: string[] = [];
  try {
    files = listMarkdownFiles(dir);
  } catch (error) {
    return { questions, problems: [{ file: dir, field: '(folder)', message: (error as Error).message }] };
  }
  const seen = new Map<string, string>();
  /** chapter + title → file: titles tell questions apart within a chapter's list */
  const titles = new Map<string, string>();
  for (const file of files) {
    const relative = path.relative(dir, file);
    const folder = path.basename(path.dirname(file));
    if (!(CHAPTER_SLUGS as readonly string[]).includes(folder)) {
      problems.push({ file: relative, field: 'chapter', message: `フォルダ「${folder}」は章のスラッグではありません` });
    }
    const result = parseQuestionFile(file, readFileSync(file, 'utf8'), relative);
    problems.push(...result.problems);
    if (!result.question) continue;
    const previous = seen.get(result.question.id);
    if (previous) {
      problems.push({ file: relative, field: 'id', message: `id「${result.question.id}」は ${previous} と重複しています` });
      continue;
    }
    seen.set(result.question.id, relative);
    const { title, chapter } = result.question;
    const other = titles.get(`${chapter}\n${title}`);
    if (other) problems.push({ file: relative, field: 'title', message: `title「${title}」は同じ章の ${other} と重複しています。問題を見分けられる題にしてください` });
    else titles.set(`${chapter}\n${title}`, relative);
    questions.push(result.question);
  }
  return { questions, problems };
}
