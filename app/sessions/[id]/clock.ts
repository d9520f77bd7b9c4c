/** A countdown as the exam shows it: 23:59, or 1:59:59 past an hour (rounded up: 0:00 only at the very end). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A time limit in minutes for the start page: 1440 s → "24分", 7200 s → "120分（2時間）". */
export function formatMinutes(sec: number): string {
  const minutes = Math.round(sec / 60);
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes}分（${minutes / 60}時間）` : `${minutes}分`;
}
