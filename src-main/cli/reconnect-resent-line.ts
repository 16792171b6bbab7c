/**
 * The CLI's line for a `resent` report (core/session/opening-replay.ts): what a reconnecting
 * connection sent again when an attempt opened, what waits for the server's answer, and what was
 * not sent again and why, in the words the app's reconnect notice uses. A report comes again as
 * the replay goes on (after the server's answer), so each line says the whole state then.
 */
import type { ResentReport } from '../shared/attempts';

/** "↻ attempt 2 reconnected: sent again: STOMP CONNECT, STOMP SUBSCRIBE /a · not sent again: …". */
export function resentLine(report: ResentReport): string {
  const parts = [report.sent.length > 0 ? `sent again: ${report.sent.map((s) => s.label).join(', ')}` : 'nothing sent again'];
  if (report.waiting !== undefined) parts.push(report.waiting);
  if (report.notSent.length > 0) parts.push(`not sent again: ${report.notSent.join('; ')}`);
  return `↻ attempt ${report.attempt} reconnected: ${parts.join(' · ')}`;
}
