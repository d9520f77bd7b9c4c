import { createContext, fetchRequestInfo } from '@/server/context';
import { exportHistory, historyToCsv, historyToJson } from '@/server/services/history';

export const dynamic = 'force-dynamic';

/** GET /progress/export?format=csv|json: the learner's answers as a file to download. */
export function GET(request: Request): Response {
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (format !== 'csv' && format !== 'json') {
    return new Response('format には csv か json を指定してください。', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const ctx = createContext(fetchRequestInfo(request));
  if (ctx.learnerId === null) {
    return new Response('サインインしてください。', { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const rows = exportHistory(ctx.db, ctx.learnerId);
  const now = new Date();
  const stamp = now.toISOString().slice(0, 10).replaceAll('-', '');
  const body = format === 'csv' ? historyToCsv(rows) : historyToJson(rows, now);
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="kakunin-history-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
    },
  });
}
