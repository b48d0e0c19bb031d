// `--keep 90d`, `--since 30d`: a duration, or (for --since) a date.
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d`, `12h`, `2w`, `30m` in milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)\s*([mhdw])$/.exec(value.trim());
  if (!m?.[1] || !m[2]) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a duration such as 90d, 12h, 2w or 30m`);
  const ms = Number(m[1]) * (UNITS[m[2]] ?? 0);
  if (ms <= 0) throw new UsageError(`${flag} ${JSON.stringify(value)}: must be longer than zero`);
  return ms;
}

/** A duration back from `now` (`30d`) or an ISO date (`2026-11-01`). */
export function parseSince(value: string, now: Date, flag = '--since'): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) throw new UsageError(`${flag} ${JSON.stringify(value)}: not a valid date`);
    return d;
  }
  return new Date(now.getTime() - parseDuration(value, flag));
}
