const DELTA_SECONDS = /^\d+$/;
// The three HTTP-date forms (IMF-fixdate, RFC 850, asctime) all start with a day name; checking
// that keeps Date.parse's leniency ("1.5" is a date to V8) away from the header.
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * A `Retry-After` header value as a wait in ms from `nowMs`: delta-seconds or an HTTP-date
 * (a past date is 0). Undefined when absent or unparseable.
 */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
