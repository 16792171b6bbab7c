/**
 * `tunnelscope intercept --break …`: what a line typed on stdin does to the held messages.
 *   forward <n> [text]   let message n go (its payload replaced by the text when given)
 *   drop <n>             drop message n
 *   forward-all          let every held message go, in order
 *   held                 list the held messages
 * The answer is one line of words (or a JSON object with --json).
 */
import type { InterceptBreakpoints } from '../core';

export type BreakpointAnswer = { ok: boolean; text: string; json: Record<string, unknown> };

export function runBreakpointCommand(line: string, breakpoints: InterceptBreakpoints): BreakpointAnswer | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  const match = /^(\S+)(?:\s+(\d+))?(?:\s(.*))?$/s.exec(trimmed);
  const verb = match?.[1] ?? '';
  const id = match?.[2] !== undefined ? Number(match[2]) : undefined;
  const text = match?.[3];
  if ((verb === 'forward' || verb === 'f') && id !== undefined) {
    const done = breakpoints.forward(id, text !== undefined ? Buffer.from(text, 'utf8') : undefined);
    return answer(done, done ? `#${id} forwarded${text !== undefined ? ' (edited)' : ''}` : `no message #${id} is held`, { type: 'released', id, action: text !== undefined ? 'edited' : 'forwarded' });
  }
  if ((verb === 'drop' || verb === 'd') && id !== undefined) {
    const done = breakpoints.drop(id);
    return answer(done, done ? `#${id} dropped` : `no message #${id} is held`, { type: 'released', id, action: 'dropped' });
  }
  if (verb === 'forward-all' || verb === 'fa') {
    const count = breakpoints.forwardAll();
    return answer(true, `${count} held message${count === 1 ? '' : 's'} forwarded`, { type: 'released', action: 'forwarded-all', count });
  }
  if (verb === 'held') {
    const held = breakpoints.list();
    const lines = held.map((m) => `#${m.id} ${m.direction === 'out' ? 'to the server' : 'to the client'} ${m.kind} ${m.payload.length} B`);
    return answer(true, held.length === 0 ? 'nothing is held' : lines.join('\n'), { type: 'held', messages: held.map((m) => ({ id: m.id, session: m.sessionId, direction: m.direction, kind: m.kind, size: m.payload.length })) });
  }
  return answer(false, `unknown command "${trimmed.slice(0, 80)}": forward <n> [text], drop <n>, forward-all, held`, { type: 'released', error: 'unknown command' });
}

function answer(ok: boolean, text: string, json: Record<string, unknown>): BreakpointAnswer {
  return { ok, text, json: ok ? json : { ...json, error: text } };
}
