// The API's reply bodies: JSON.stringify + UTF-8 encoding against server/http/json-body.ts (the bank's HTML encoded
// once and copied in), on an answer reply for every question of the real bank, measured in the same run. Checks the
// bytes are identical first; asserts nothing else.
//
//   npx tsx bench/json-bodies.ts [--rounds 20000]

import { getBank } from '../server/bank/bank';
import { bankJsonBodies } from '../server/http/json-body';

const args = process.argv.slice(2);
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 20_000;

const bank = getBank();
const bodies = bankJsonBodies(bank);
// the shape of a sessions.answer reply (what answering changed, with the 解説)
const replies = bank.questions.map((q) => ({
  result: {
    data: {
      position: 3,
      questionId: q.id,
      answered: true,
      savedResponse: null,
      result: { answerId: 5, rating: 3, response: { type: 'choice', choice: 'a' }, verdict: 'correct', score: 1, feedback: null, key: { choice: 'a' }, explanationHtml: q.html.explanation, timeSpentMs: 1000 },
    },
  },
}));
for (const r of replies) if (!bodies.serialize(r).equals(Buffer.from(JSON.stringify(r), 'utf8'))) throw new Error(`bytes differ for ${r.result.data.questionId}`);
const bytes = replies.reduce((s, r) => s + Buffer.byteLength(JSON.stringify(r)), 0) / replies.length;

function time(fn: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) sink += fn(i);
  if (sink < 0) console.log(sink);
  return ((performance.now() - t0) / ROUNDS) * 1000;
}

const plain = time((i) => Buffer.from(JSON.stringify(replies[i % replies.length]), 'utf8').length);
const cached = time((i) => bodies.serialize(replies[i % replies.length]).length);
console.log(`answer replies of ${bank.questions.length} questions, ${(bytes / 1000).toFixed(1)} kB on average (${bodies.size} strings registered)`);
console.log(`JSON.stringify + UTF-8   ${plain.toFixed(1)} µs a reply`);
console.log(`JsonBodies               ${cached.toFixed(1)} µs a reply   (${(plain / cached).toFixed(1)}× faster)`);
