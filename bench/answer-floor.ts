// The floor of an answer on this machine, for bench/load.ts: a bare node:http server (no Next, no tRPC, no zod, no
// drizzle, no FSRS) doing only what recording an answer cannot skip. Per request: read and parse the JSON body,
// SHA-256 the session cookie and look the learner up, read the session row, then, in a group commit (one
// transaction per event-loop turn, a savepoint per answer, replies after COMMIT), insert the answer and its review
// log and upsert the review card, on tables with the app's indexes; reply with JSON of the app's reply size.
// Whatever Kakunin does beyond this is framework, validation and scheduling; this is what no implementation avoids.

import { Worker } from 'node:worker_threads';

export interface AnswerFloor {
  url: string;
  /** the cookie of learner `i` (0-based) */
  cookie(i: number): string;
  stop(): Promise<number>;
}

const source = `
  const { parentPort, workerData } = require('node:worker_threads');
  const http = require('node:http');
  const { createHash } = require('node:crypto');
  const Database = require('better-sqlite3');
  const db = new Database(workerData.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(\`
    CREATE TABLE learners (id INTEGER PRIMARY KEY);
    CREATE TABLE auth (token_hash TEXT PRIMARY KEY, learner_id INTEGER NOT NULL REFERENCES learners(id), expires_at INTEGER NOT NULL);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, learner_id INTEGER NOT NULL REFERENCES learners(id), question_ids TEXT NOT NULL, finished_at INTEGER);
    CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL REFERENCES sessions(id),
      learner_id INTEGER NOT NULL REFERENCES learners(id), question_id TEXT NOT NULL, question_hash TEXT NOT NULL, position INTEGER NOT NULL,
      response TEXT NOT NULL, verdict TEXT NOT NULL, score REAL NOT NULL, feedback TEXT, seed INTEGER, time_spent_ms INTEGER NOT NULL, created_at INTEGER NOT NULL);
    CREATE UNIQUE INDEX answers_session_question_uq ON answers (session_id, question_id);
    CREATE INDEX answers_learner_created_idx ON answers (learner_id, created_at);
    CREATE INDEX answers_learner_question_idx ON answers (learner_id, question_id, created_at, score, verdict, time_spent_ms, session_id);
    CREATE TABLE cards (learner_id INTEGER NOT NULL REFERENCES learners(id), question_id TEXT NOT NULL, due INTEGER NOT NULL, stability REAL NOT NULL,
      difficulty REAL NOT NULL, reps INTEGER NOT NULL, state INTEGER NOT NULL, last_review INTEGER, introduced_at INTEGER NOT NULL, PRIMARY KEY (learner_id, question_id));
    CREATE INDEX cards_due_idx ON cards (learner_id, due);
    CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, learner_id INTEGER NOT NULL REFERENCES learners(id), question_id TEXT NOT NULL,
      answer_id INTEGER REFERENCES answers(id), rating INTEGER NOT NULL, card_before TEXT, reviewed_at INTEGER NOT NULL);
    CREATE INDEX logs_card_idx ON logs (learner_id, question_id, reviewed_at);
    CREATE INDEX logs_answer_idx ON logs (answer_id);
  \`);
  const hash = (t) => createHash('sha256').update(t).digest('hex');
  const addLearner = db.prepare('INSERT INTO learners (id) VALUES (?)');
  const addToken = db.prepare('INSERT INTO auth VALUES (?, ?, ?)');
  const addSession = db.prepare('INSERT INTO sessions (id, learner_id, question_ids) VALUES (?, ?, ?)');
  const questionIds = JSON.stringify(Array.from({ length: 100 }, (_, i) => 'question-id-' + i));
  db.transaction(() => {
    for (let i = 1; i <= workerData.learners; i++) {
      addLearner.run(i);
      addToken.run(hash('token-' + i), i, Date.now() + 86400000);
      addSession.run(i, i, questionIds);
    }
  })();
  const learnerOf = db.prepare('SELECT learner_id FROM auth WHERE token_hash = ? AND expires_at > ?').pluck();
  const sessionOf = db.prepare('SELECT * FROM sessions WHERE id = ? AND learner_id = ?');
  const insertAnswer = db.prepare(\`INSERT INTO answers (session_id, learner_id, question_id, question_hash, position, response, verdict, score, feedback, seed, time_spent_ms, created_at)
    VALUES (?, ?, ?, 'hash', 0, ?, ?, ?, NULL, NULL, ?, ?) ON CONFLICT DO NOTHING RETURNING id\`).pluck();
  const cardOf = db.prepare('SELECT * FROM cards WHERE learner_id = ? AND question_id = ?');
  const saveCard = db.prepare(\`INSERT INTO cards VALUES (?, ?, ?, 2.5, 5, 1, 2, ?, ?)
    ON CONFLICT DO UPDATE SET due = excluded.due, reps = cards.reps + 1, last_review = excluded.last_review\`);
  const insertLog = db.prepare('INSERT INTO logs (learner_id, question_id, answer_id, rating, card_before, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)');
  const explanation = 'x'.repeat(workerData.replyBytes);

  let pending = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    db.exec('BEGIN IMMEDIATE');
    const replies = batch.map((job) => {
      try {
        return { ok: true, value: db.transaction(job.work)() };
      } catch (error) {
        return { ok: false, error };
      }
    });
    db.exec('COMMIT');
    batch.forEach((job, i) => job.done(replies[i]));
  };
  const commit = (work, done) => {
    pending.push({ work, done });
    if (pending.length === 1) setImmediate(flush);
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const token = /kakunin_session=([^;]*)/.exec(req.headers.cookie || '')?.[1];
      const learnerId = token && learnerOf.get(hash(token), Date.now());
      const session = learnerId && sessionOf.get(input.sessionId, learnerId);
      if (!session) { res.writeHead(404); res.end(); return; }
      const now = Date.now();
      const verdict = input.response.choice === 'a' ? 'correct' : 'incorrect';
      commit(() => {
        const answerId = insertAnswer.get(input.sessionId, learnerId, input.questionId, JSON.stringify(input.response), verdict, verdict === 'correct' ? 1 : 0, input.timeSpentMs, now);
        if (answerId === undefined) throw new Error('conflict');
        const before = cardOf.get(learnerId, input.questionId);
        saveCard.run(learnerId, input.questionId, now + 86400000, now, now);
        insertLog.run(learnerId, input.questionId, answerId, 3, before ? JSON.stringify(before) : null, now);
        return answerId;
      }, (outcome) => {
        res.writeHead(outcome.ok ? 200 : 409, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ result: { data: { position: 0, questionId: input.questionId, answered: true, savedResponse: null,
          result: { answerId: outcome.value, verdict, score: 1, rating: 3, response: input.response, key: { choice: 'a' }, explanationHtml: explanation, timeSpentMs: input.timeSpentMs } } } }));
      });
    });
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

/** Starts the floor server in a worker thread (its own event loop, like the bare hello-world). */
export function startAnswerFloor(opts: { file: string; learners: number; replyBytes: number }): Promise<AnswerFloor> {
  const worker = new Worker(source, { eval: true, workerData: opts });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: number) =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        cookie: (i) => `kakunin_session=token-${i + 1}`,
        stop: () => worker.terminate(),
      }),
    );
  });
}
