/**
 * The one-line summary of a connection draft's advanced settings, shown when they are
 * collapsed: "Headers (2) · Subprotocols (1) · TLS (CA: corp-root.pem) · Timeout 10 s".
 */
import { draftHistory, type ConnectionDraft } from '../connection-form/connection-draft';
import { draftKeepalive } from '../connection-form/connection-draft';
import { KEEPALIVE_DEFAULTS } from '../../../src-main/shared/model';
import { DEFAULT_TRUST } from '../../../src-main/shared/model';
import { trustSettingText } from '../../../src-main/shared/trust-text';
import { DEADLINE_TEXT, formatDeadline, nonDefaultTimeouts, timeoutsFromForm } from '../../../src-main/shared/timeouts';

export interface SummaryPart {
  text: string;
  /** Drawn as a warning (certificate verification off). */
  warn?: boolean;
}

function baseName(path: string): string {
  const parts = path.trim().split(/[\\/]/);
  return parts[parts.length - 1] || path.trim();
}

function tlsSummary(draft: ConnectionDraft): string[] {
  const parts: string[] = [];
  if (draft.trust !== DEFAULT_TRUST) parts.push(`trust: ${trustSettingText(draft.trust)}`);
  const ca = draft.caFiles.filter((f) => f.trim() !== '').map(baseName);
  if (ca.length > 0) parts.push(`CA: ${ca.join(', ')}`);
  if (draft.certFile.trim() !== '') parts.push(`client cert: ${baseName(draft.certFile)}`);
  const proxyCa = draft.proxyCaFiles.filter((f) => f.trim() !== '').map(baseName);
  if (proxyCa.length > 0) parts.push(`proxy CA: ${proxyCa.join(', ')}`);
  return parts;
}

export function draftSummary(draft: ConnectionDraft): SummaryPart[] {
  const headers = draft.headers.filter((h) => h.name.trim() !== '').length;
  const subprotocols = draft.subprotocols.filter((s) => s.trim() !== '').length;
  const parts: SummaryPart[] = [
    { text: `Headers (${headers})` },
    { text: `Subprotocols (${subprotocols})` },
  ];
  if (draft.origin.trim() !== '') parts.push({ text: `Origin ${draft.origin.trim()}` });
  const tls = tlsSummary(draft);
  parts.push({ text: tls.length > 0 ? `TLS (${tls.join(', ')})` : 'TLS (default)' });
  if (draft.insecure) parts.push({ text: 'verification OFF', warn: true });
  // Only the deadlines changed from their defaults: the defaults are in the README and the form.
  const timeouts = nonDefaultTimeouts({ timeouts: timeoutsFromForm(draft.timeouts) });
  if (timeouts.length > 0) parts.push({ text: `Timeouts: ${timeouts.map((t) => `${DEADLINE_TEXT[t.name].field} ${formatDeadline(t.ms)}`).join(', ')}` });
  // Only a history other than the default is worth the room.
  const history = draftHistory(draft);
  if (history) parts.push({ text: `Keeps ${formatCompact(history.maxFrames)} frames / ${formatMegabytes(draft.historyMegabytes)} MiB` });
  // Likewise a keep-alive other than the default (on, every 30 s).
  const keepalive = draftKeepalive(draft);
  if (!keepalive) parts.push({ text: 'Keep-alive off' });
  else if (keepalive.intervalMs !== KEEPALIVE_DEFAULTS.intervalMs || keepalive.pongTimeoutMs !== KEEPALIVE_DEFAULTS.pongTimeoutMs) {
    parts.push({ text: `Keep-alive ${formatSeconds(keepalive.intervalMs)}` });
  }
  // On is the default; off is worth saying, since a Socket.IO server then closes the session.
  if (!draft.engineioHeartbeat) parts.push({ text: 'Engine.IO heartbeat off' });
  // Likewise MQTT's: a broker closes the session after 1.5 × keep-alive without PINGREQ.
  if (!draft.mqttKeepalive) parts.push({ text: 'MQTT keep-alive off' });
  if (draft.reconnectOn) parts.push({ text: draft.reconnectMaxAttempts > 0 ? `Reconnect ×${draft.reconnectMaxAttempts}` : 'Reconnect' });
  return parts;
}

/** 250000 → "250k", 2000000 → "2M": the summary line is short on room. */
function formatCompact(count: number): string {
  if (count >= 1_000_000 && count % 100_000 === 0) return `${count / 1_000_000}M`;
  if (count >= 10_000 && count % 1000 === 0) return `${count / 1000}k`;
  return count.toLocaleString('en-US');
}

function formatMegabytes(megabytes: number): string {
  return Number.isInteger(megabytes) ? megabytes.toLocaleString('en-US') : megabytes.toFixed(1);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? `${seconds} s` : `${seconds.toFixed(1)} s`;
}
