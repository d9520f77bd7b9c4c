'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../_trpc/client';

/** Reads an exported JSON file in the browser and sends it to progress.importHistory. */
export function ImportForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const importHistory = useMutation(trpc.progress.importHistory.mutationOptions({ onSuccess: () => router.refresh() }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setReadError(null);
    importHistory.reset();
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch {
      setReadError('JSON として読めないファイルです。「JSON で書き出す」で保存したファイルを選んでください。');
      return;
    }
    importHistory.mutate(data);
  };

  const result = importHistory.data;
  const error = readError ?? importHistory.error?.message ?? null;
  return (
    <form className="import-form" onSubmit={submit} aria-label="履歴の読み込み">
      <div className="form-row">
        <input type="file" name="history" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <button type="submit" className="secondary" disabled={!file || importHistory.isPending}>
          {importHistory.isPending ? '読み込み中…' : '読み込む'}
        </button>
      </div>
      {result && (
        <p className="notice" role="status">
          {result.imported} 件の回答を読み込みました（セッション {result.sessions} 件、復習カード {result.cards} 枚を再構成）。
          {result.skipped > 0 && ` 問題バンクにない問題の回答 ${result.skipped} 件は読み込みませんでした（${result.skippedQuestionIds.join(', ')}）。`}
        </p>
      )}
      {error && (
        <p className="error import-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
