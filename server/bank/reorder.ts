/**
 * Reorders a question's choices in its file: `npm run --silent bank -- reorder <file> <order>`, where `order` names the
 * old letters in their new places (`cadb`: the new a is the old c, the new b the old a, …). The answer and every choice
 * letter the 解説 names move with their choices, and a run of one-line bullets 「- **x**: …」 is put back in a–i order.
 * Ids, text and the rest of the file stay as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { choiceReferences } from './checks';

const EXPLANATION_HEADING = /^##\s*解説\s*$/m;
const BULLET = /^- \*\*([a-i])\*\*/;

/** The new letter of each old letter, from an order such as `cadb`; undefined when the order is no permutation. */
export function letterMap(order: string, count: number): Map<string, string> | undefined {
  const letters = Array.from({ length: count }, (_, i) => String.fromCharCode(97 + i));
  if (order.length !== count || [...order].sort().join('') !== letters.join('')) return undefined;
  return new Map([...order].map((old, i) => [old, letters[i]!]));
}

/** Puts runs of consecutive one-line bullets that start with a choice letter back in letter order. */
function sortBulletRuns(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && BULLET.test(lines[j]!)) j++;
    if (j - i > 1) {
      const run = lines.slice(i, j).sort((a, b) => BULLET.exec(a)![1]!.localeCompare(BULLET.exec(b)![1]!));
      lines.splice(i, j - i, ...run);
    }
    i = Math.max(j, i + 1);
  }
  return lines.join('\n');
}

/** Every choice letter named in the 解説 mapped to its new letter (positions from choiceReferences). */
export function remapExplanation(explanation: string, map: Map<string, string>): string {
  let out = explanation;
  for (const ref of choiceReferences(explanation)) {
    const to = map.get(ref.letter);
    if (to) out = out.slice(0, ref.index) + to + out.slice(ref.index + 1);
  }
  return sortBulletRuns(out);
}

export function reorderSource(source: string, order: string): string {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error('front matter (---) がありません');
  const doc = parseDocument(match[1]!);
  const choices = doc.get('choices');
  if (!isSeq(choices)) throw new Error('choices がありません');
  const map = letterMap(order, choices.items.length);
  if (!map) throw new Error(`並び「${order}」は a〜${String.fromCharCode(96 + choices.items.length)} を 1 回ずつ並べてください`);
  const byOld = new Map<string, unknown>();
  for (const item of choices.items) {
    if (!isMap(item)) throw new Error('choices の要素は { id, text } です');
    byOld.set(String(item.get('id')), item);
  }
  choices.items = [...order].map((old) => {
    const item = byOld.get(old);
    if (!isMap(item)) throw new Error(`選択肢 ${old} がありません`);
    item.set('id', map.get(old));
    return item;
  });
  const answer = doc.get('answer', true);
  if (isScalar(answer)) answer.value = map.get(String(answer.value)) ?? answer.value;
  else if (isSeq(answer)) {
    const letters = answer.items.map((a) => map.get(String(isScalar(a) ? a.value : a)) ?? String(a)).sort();
    doc.set('answer', doc.createNode(letters, { flow: true }));
  }
  const [prompt, explanation = ''] = match[2]!.split(EXPLANATION_HEADING);
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  return `---\n${yaml}\n---\n${prompt}## 解説${remapExplanation(explanation, map)}`;
}

export function reorderFile(file: string, order: string): void {
  writeFileSync(file, reorderSource(readFileSync(file, 'utf8'), order));
}
