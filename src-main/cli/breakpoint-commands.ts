/**
 * `tunnelscope intercept`: what a line typed on stdin does, through the engine's `intercept:*`
 * commands (the same checks as the app's breakpoint panel):
 *   forward <n> [text]               let held message n go (its payload replaced by the text when given)
 *   forward-json <n> <json>          … replaced by JSON, which must parse
 *   forward-hex <n> <hex>            … replaced by these bytes
 *   drop <n>                         drop held message n
 *   forward-all                      let every held message go, in order
 *   held                             list the held messages
 *   inject <session> in|out <text>   a message to the client (in) or the server (out);
 *   inject-json / inject-hex …       … as JSON (checked) or as bytes (a binary message)
 *   close <session> client|server <code> [reason]
 * <session> is a captured session's id or the start of it (the 8 characters printed).
 * The answer is one line of words (or a JSON object with --json).
 */
import type { Engine } from '../core';
import type { TypedPayload } from '../shared/intercept-control';
import { maskedHeldPreview } from './held-masking';

export type BreakpointAnswer = { ok: boolean; text: string; json: Record<string, unknown> };

type CommandRunner = Pick<Engine, 'call'>;

const USAGE =
  'forward <n> [text], forward-json <n> <json>, forward-hex <n> <hex>, drop <n>, forward-all, held, inject[-json|-hex] <session> in|out <payload>, close <session> client|server <code> [reason]';

export async function runBreakpointCommand(line: string, engine: CommandRunner): Promise<BreakpointAnswer | undefined> {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  const space = trimmed.search(/\s/);
  const verb = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  switch (verb) {
    case 'forward':
    case 'f':
      return forward(engine, rest, 'text');
    case 'forward-json':
      return forward(engine, rest, 'json');
    case 'forward-hex':
      return forward(engine, rest, 'hex');
    case 'drop':
    case 'd': {
      const id = heldNumber(rest);
      if (id === undefined) return refused(`drop needs the held message's number, e.g. drop 3`, 'released');
      const done = await engine.call('intercept:drop', { id });
      return done.ok ? answer(`#${id} dropped`, { type: 'released', id, action: 'dropped' }) : refused(done.error.message, 'released', { id });
    }
    case 'forward-all':
    case 'fa': {
      const done = await engine.call('intercept:forward-all', {});
      const count = done.ok ? done.value.count : 0;
      return answer(`${count} held message${count === 1 ? '' : 's'} forwarded`, { type: 'released', action: 'forwarded-all', count });
    }
    case 'held':
      return held(engine);
    case 'inject':
      return inject(engine, rest, 'text');
    case 'inject-json':
      return inject(engine, rest, 'json');
    case 'inject-hex':
      return inject(engine, rest, 'hex');
    case 'close':
      return closeSide(engine, rest);
    default:
      return refused(`unknown command "${trimmed.slice(0, 80)}": ${USAGE}`, 'command');
  }
}

async function forward(engine: CommandRunner, rest: string, as: TypedPayload['as']): Promise<BreakpointAnswer> {
  const match = /^(\d+)(?:\s(.*))?$/s.exec(rest);
  const id = match ? Number(match[1]) : undefined;
  if (id === undefined || !(id >= 1)) return refused(`forward needs the held message's number, e.g. forward 3 (or forward 3 <new payload>)`, 'released');
  const value = match?.[2];
  if (as !== 'text' && value === undefined) return refused(`forward-${as} needs the number and the new payload, e.g. forward-${as} ${id} ${as === 'json' ? '{"a":1}' : 'cafe'}`, 'released', { id });
  const done = await engine.call('intercept:forward', { id, ...(value !== undefined ? { edit: { as, value } } : {}) });
  if (!done.ok) return refused(done.error.message, 'released', { id });
  return answer(`#${id} forwarded${done.value.edited ? ' (edited)' : ''}`, { type: 'released', id, action: done.value.edited ? 'edited' : 'forwarded' });
}

async function held(engine: CommandRunner): Promise<BreakpointAnswer> {
  const list = await engine.call('intercept:held', {});
  if (!list.ok) return refused(list.error.message, 'held');
  const { frames } = list.value;
  // Credentials in a held message (a CONNECT's password) as '*', as the paused line shows it.
  const lines = frames.map((m) => `#${m.id} ${m.sessionId.slice(0, 8)} ${m.direction === 'out' ? 'to the server' : 'to the client'} ${m.kind} ${m.size} B: ${maskedHeldPreview(m.direction, m.kind, m.preview)}`);
  return answer(frames.length === 0 ? 'nothing is held' : lines.join('\n'), {
    type: 'held',
    messages: frames.map((m) => ({ id: m.id, session: m.sessionId, direction: m.direction, kind: m.kind, size: m.size })),
    queues: list.value.queues.filter((q) => q.waiting.in + q.waiting.out > 0).map((q) => ({ session: q.sessionId, waiting: q.waiting })),
  });
}

async function inject(engine: CommandRunner, rest: string, as: TypedPayload['as']): Promise<BreakpointAnswer> {
  const match = /^(\S+)\s+(in|out)\s(.*)$/s.exec(rest);
  if (!match) return refused(`inject needs the session, the direction and the payload, e.g. inject 3f2a9c1e out {"ping":1} (in: to the client, out: to the server)`, 'injected');
  const sessionId = await sessionFor(engine, match[1] ?? '');
  if (!sessionId.ok) return refused(sessionId.problem, 'injected');
  const direction = match[2] === 'in' ? 'in' : 'out';
  const done = await engine.call('intercept:inject', { sessionId: sessionId.id, direction, kind: as === 'hex' ? 'binary' : 'text', payload: { as, value: match[3] ?? '' } });
  if (!done.ok) return refused(done.error.message, 'injected');
  return answer(`injected ${direction === 'out' ? 'to the server' : 'to the client'} of ${sessionId.id.slice(0, 8)}${done.value.queued ? ' (behind the held messages)' : ''}`, { type: 'injected', session: sessionId.id, direction, queued: done.value.queued });
}

async function closeSide(engine: CommandRunner, rest: string): Promise<BreakpointAnswer> {
  const match = /^(\S+)\s+(client|server)\s+(\d{1,5})(?:\s(.*))?$/s.exec(rest);
  if (!match) return refused('close needs the session, the side and a code, e.g. close 3f2a9c1e server 1001 going away', 'closed-side');
  const sessionId = await sessionFor(engine, match[1] ?? '');
  if (!sessionId.ok) return refused(sessionId.problem, 'closed-side');
  const side = match[2] === 'client' ? 'client' : 'server';
  const code = Number(match[3]);
  const done = await engine.call('intercept:close-side', { sessionId: sessionId.id, side, code, reason: match[4] ?? '' });
  if (!done.ok) return refused(done.error.message, 'closed-side');
  return answer(`closing the ${side} side of ${sessionId.id.slice(0, 8)} with ${code}`, { type: 'closed-side', session: sessionId.id, side, code });
}

/** A captured session's id from its start (the 8 characters the output prints), among the connections relaying now. */
async function sessionFor(engine: CommandRunner, given: string): Promise<{ ok: true; id: string } | { ok: false; problem: string }> {
  const list = await engine.call('intercept:held', {});
  const ids = list.ok ? list.value.queues.map((q) => q.sessionId) : [];
  const found = ids.filter((id) => id === given || id.startsWith(given));
  if (found.length === 1 && found[0] !== undefined) return { ok: true, id: found[0] };
  if (found.length > 1) return { ok: false, problem: `"${given.slice(0, 40)}" is the start of ${found.length} sessions: give more of the id` };
  return { ok: false, problem: `no intercepted connection "${given.slice(0, 40)}" is relaying${ids.length > 0 ? ` (relaying: ${ids.map((id) => id.slice(0, 8)).join(', ')})` : ''}` };
}

function heldNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function answer(text: string, json: Record<string, unknown>): BreakpointAnswer {
  return { ok: true, text, json };
}

function refused(text: string, type: string, extra: Record<string, unknown> = {}): BreakpointAnswer {
  return { ok: false, text, json: { type, ...extra, error: text } };
}
