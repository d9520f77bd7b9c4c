/**
 * The `bank` CLI: `npm run --silent bank -- lint | export | sync`.
 * lint: validate every file and render all KaTeX with throwOnError, then the bank-wide rules of policy.ts (glossary,
 *   rounding, answer cues, chapter size); prints each chapter's counts and the cue statistics (exit 1 on any problem).
 * export: the whole bank as one JSON array on stdout.
 * sync: mirror the bank into the database, after migrations: PostgreSQL when KAKUNIN_DATABASE_URL is set, else the
 *   SQLite file (KAKUNIN_DB). A database that cannot be reached or written: one line and exit 78, as `npm start`.
 * reorder <file> <order>: move a question's choices (server/bank/reorder.ts).
 */
import { storeLabel } from '../../db/app-store';
import { databasePath, migrateDb, openDb } from '../../db/client';
import { asDatabaseOpenError, DATABASE_EXIT_CODE } from '../../db/errors';
import { sqliteStore } from '../../db/store-sqlite';
import { CHAPTERS } from './chapters';
import { buildBank, formatProblems, BankInvalidError } from './bank';
import { exportBank } from './export';
import { loadBank, questionsDir } from './load';
import { chapterCounts, cueStatistics, formatCueStatistics, loadGlossary, policyProblems } from './policy';
import type { Question } from './types';
import { syncBank } from './sync';
import { reorderFile } from './reorder';

/** Each chapter's counts as one line: total, kinds, run-graded, parameter-count items. */
function chapterLines(questions: Question[]): string[] {
  return chapterCounts(questions).map((c) => {
    const kinds = Object.entries(c.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(' ');
    return `  ${c.chapter.padEnd(15)} ${String(c.total).padStart(3)} 問（${kinds}）実行採点 ${c.runGraded}、パラメータ数 ${c.parameterCounts}`;
  });
}

function lint(): number {
  const { questions, problems } = loadBank();
  const policy = policyProblems(questions, loadGlossary(questionsDir()));
  const all = [...problems, ...policy];
  const summary = [...chapterLines(questions), formatCueStatistics(cueStatistics(questions))].join('\n');
  if (all.length > 0) {
    console.error(formatProblems(all));
    console.error(`\n${all.length} 件の問題（ファイル ${problems.length} 件、バンク全体の規則 ${policy.length} 件。${questions.length} 問を読み込みました）\n${summary}`);
    return 1;
  }
  const counts = CHAPTERS.map((c) => `${c.slug} ${questions.filter((q) => q.chapter === c.slug).length}`);
  console.log(`OK: ${questions.length} 問 (${counts.join(', ')})\n${summary}`);
  return 0;
}

/** Mirrors the bank into the app's database (the same choice of store as the app's: db/app-store.ts). */
async function sync(): Promise<number> {
  try {
    const bank = buildBank();
    const url = process.env.KAKUNIN_DATABASE_URL;
    let result: { upserted: number; retired: number };
    if (url) {
      // loaded only here: a SQLite install never loads pg; opening the store applies db/migrations-pg
      const { openPgStore } = await import('../../db/store-pg');
      const store = await openPgStore(url, { max: 1 });
      try {
        result = await syncBank(store, bank);
      } finally {
        await store.close();
      }
    } else {
      const db = openDb();
      try {
        migrateDb(db);
        result = await syncBank(sqliteStore(db), bank);
      } finally {
        db.$client.close();
      }
    }
    console.log(`同期しました: ${result.upserted} 問、廃止 ${result.retired} 問`);
    return 0;
  } catch (error) {
    if (error instanceof BankInvalidError) {
      console.error(error.message);
      return 1;
    }
    const unusable = asDatabaseOpenError(error, storeLabel(databasePath()));
    if (unusable) {
      console.error(unusable.message);
      return DATABASE_EXIT_CODE;
    }
    console.error(error);
    return 1;
  }
}

function main(command: string | undefined): number {
  try {
    switch (command) {
      case 'lint':
        return lint();
      case 'export':
        process.stdout.write(`${JSON.stringify(exportBank(buildBank()), null, 2)}\n`);
        return 0;
      case 'sync':
        // the process stays until it settles; its exit code is set then
        void sync().then((code) => {
          process.exitCode = code;
        });
        return 0;
      case 'reorder': {
        const [file, order] = process.argv.slice(3);
        if (!file || !order) {
          console.error('使い方: npm run --silent bank -- reorder <file> <order>（例: cadb は新しい a が元の c）');
          return 2;
        }
        reorderFile(file, order);
        console.log(`並べ替えました: ${file} (${order})`);
        return 0;
      }
      default:
        console.error('使い方: npm run --silent bank -- lint | export | sync | reorder <file> <order>');
        return 2;
    }
  } catch (error) {
    if (error instanceof BankInvalidError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv[2]);
