/**
 * What a session's send queue says to the user: one wording for the UI and the CLI. The
 * queue is what was handed to the socket and not yet written; at the high-water mark the
 * server is not reading and sends are refused (SEND_QUEUE_FULL).
 */
import { formatBytes } from './format-bytes';
import type { SessionStats } from './stats';

/** Whether the queue is at or above its high-water mark (sends are refused). */
export function sendQueueFull(stats: SessionStats | null | undefined): boolean {
  const queued = stats?.queued;
  return queued !== undefined && queued.bytes >= queued.highWaterMark;
}

/** "the server is not reading (16.0 MiB queued)" while the queue is full; undefined otherwise. */
export function sendQueueNotice(stats: SessionStats | null | undefined): string | undefined {
  if (!sendQueueFull(stats)) return undefined;
  return `the server is not reading (${formatBytes(stats?.queued?.bytes ?? 0)} queued)`;
}
