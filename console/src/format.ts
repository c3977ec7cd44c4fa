/** Small pure helpers the screens share. */

/** "9:58" or "1:02:03" left until `expiresAt`, "expired" once past. */
export function formatRemaining(expiresAt: number, now: number): string {
  const seconds = Math.ceil((expiresAt - now) / 1000);
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A date as the API sends it (epoch seconds as text, or ISO) to local text. */
export function formatTime(value: string | Date | undefined): string {
  if (value === undefined || value === '') return '—';
  if (value instanceof Date) return value.toLocaleString();
  const n = Number(value);
  const date = Number.isFinite(n) ? new Date(n < 1e12 ? n * 1000 : n) : new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

/** Lines of text split on commas or new lines, trimmed, without empties. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
