/**
 * The `bank` CLI: `npm run --silent bank -- lint | export | sync`.
 * lint: validate every file and render all KaTeX with throwOnError, then the bank-wide rules of policy.ts (glossary,
 *   rounding, answer cues, chapter size); prints each chapter's counts and the cue statistics (exit 1 on any problem).
 * export: the whole bank as one JSON array on stdout.
 * sync: mirror the bank into the database (KAKUNIN_DB), after migrations.
 * reorder <file> <order>: move a question's choices (server/bank/reorder.ts).
 */
import { migrateDb, openDb } from '../../db/client';
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

function main(command: string | undefined): number {
  try {
    switch (command) {
      case 'lint':
        return lint();
      case 'export':
        process.stdout.write(`${JSON.stringify(exportBank(buildBank()), null, 2)}\n`);
        return 0;
      case 'sync': {
        const db = openDb();
        migrateDb(db);
        // the process stays until it settles; a failure sets the exit code then
        void syncBank(sqliteStore(db), buildBank()).then(
          (result) => {
            console.log(`同期しました: ${result.upserted} 問、廃止 ${result.retired} 問`);
            db.$client.close();
          },
          (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
          },
        );
        return 0;
      }
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
