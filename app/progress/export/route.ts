import { createContext, fetchRequestInfo } from '@/server/context';
import { exportHistory, historyToJson } from '@/server/services/history';
import { historyToHumanCsv } from '@/server/services/history-csv';
import { localDateTime } from '@/server/services/progress';

export const dynamic = 'force-dynamic';

/** GET /progress/export?format=csv|json: the learner's answers as a file to download (CSV to read, JSON to re-import). */
export async function GET(request: Request): Promise<Response> {
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (format !== 'csv' && format !== 'json') {
    return new Response('format には csv か json を指定してください。', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const ctx = await createContext(fetchRequestInfo(request));
  if (ctx.learnerId === null) {
    return new Response('サインインしてください。', { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const rows = await exportHistory(ctx.store, ctx.learnerId);
  const now = new Date();
  // The learner's local date, as the CSV's times.
  const stamp = localDateTime(now.getTime()).slice(0, 10).replaceAll('/', '');
  const body = format === 'csv' ? historyToHumanCsv(rows, ctx.bank) : historyToJson(rows, now);
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="kakunin-history-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
    },
  });
}
