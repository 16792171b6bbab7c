/**
 * The wait a refusal asked for (RFC 9110 §10.2.3 Retry-After), honoured by the next reconnect:
 * the server's 429 or 503 to the WebSocket upgrade, or the proxy's 429 or 503 to CONNECT. The
 * header is seconds or an HTTP date; a date is measured from the answer's own Date header when it
 * has one (so a clock off between the two sides does not count), else from the engine's clock.
 * The wait is never shorter than the backoff would be (a Retry-After: 0 or a date gone by does
 * not make a loop faster) and never longer than RETRY_AFTER_MAX_MS (a misconfigured "come back
 * tomorrow" should not hang a connection the user watches; Now and Cancel still work).
 */
import type { AttemptAsked } from '../../shared/attempts';
import type { HttpCapture } from '../../shared/model';
import type { NetError } from '../../shared/errors';

/** The longest wait a Retry-After is honoured with: 10 minutes. */
export const RETRY_AFTER_MAX_MS = 10 * 60_000;

const ASKING_STATUSES = new Set([429, 503]);

function headerOf(capture: HttpCapture, name: string): string | undefined {
  return capture.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** Milliseconds a Retry-After value asks for, or undefined when it is neither seconds nor an HTTP date. */
export function retryAfterMs(value: string, answerDate: string | undefined, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), Number.MAX_SAFE_INTEGER / 1000) * 1000;
  // An HTTP date names its weekday (IMF-fixdate, RFC 850, asctime): a bare number is not one.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const from = answerDate !== undefined ? Date.parse(answerDate) : Number.NaN;
  return Math.max(0, at - (Number.isNaN(from) ? now : from));
}

/** Who asked and for how long: the server's answer to the upgrade, or the proxy's to CONNECT. */
function askingAnswer(error: NetError | undefined): { by: AttemptAsked['by']; answer: HttpCapture } | undefined {
  // A proxy's 503 to CONNECT is read as "could not reach the server" (connect-answer.ts), its 429 as a refusal.
  const byProxy = error?.code === 'PROXY_REFUSED' || error?.code === 'PROXY_UPSTREAM_UNREACHABLE';
  const answer = error?.code === 'UPGRADE_REJECTED' ? error.details.upgradeResponse : byProxy ? error.details.proxyResponse : undefined;
  const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(answer?.startLine ?? '')?.[1]);
  if (!answer || !ASKING_STATUSES.has(status)) return undefined;
  return { by: byProxy ? 'proxy' : 'server', answer };
}

/**
 * The next wait: the backoff's, or longer when the attempt's refusal asked for longer (then
 * `asked` says who asked and how long, for the notice).
 */
export function waitHonouringRetryAfter(backoffMs: number, error: NetError | undefined, now: number): { waitMs: number; asked?: AttemptAsked } {
  const asking = askingAnswer(error);
  const value = asking ? headerOf(asking.answer, 'retry-after') : undefined;
  const ms = asking && value !== undefined ? retryAfterMs(value, headerOf(asking.answer, 'date'), now) : undefined;
  if (!asking || ms === undefined) return { waitMs: backoffMs };
  const honoured = Math.min(ms, RETRY_AFTER_MAX_MS);
  if (honoured <= backoffMs) return { waitMs: backoffMs };
  return { waitMs: Math.round(honoured), asked: { by: asking.by, seconds: Math.ceil(ms / 1000) } };
}
