/**
 * What the renderer talks to: the contract's commands as named methods plus the event stream.
 * Electron's preload exposes it as `window.tunnelscope`; in a browser the web host's
 * WebSocket client implements the same interface, so everything above it is the same code.
 */
import { z } from 'zod';
import { COMMAND_NAMES, commandSchemas, type CommandName, type TunnelscopeApi } from './commands';
import { netErrorSchema } from './errors';
import type { CommandErrorCode } from './result';
import type { HostEvent } from './events';
import type { MenuAction } from './ipc-channels';

// The IPC channels live in a zod-free file so the sandboxed preload can import them.
export { EVENT_CHANNEL, MENU_CHANNEL, MENU_ACTIONS, isMenuAction, type MenuAction } from './ipc-channels';

export type TunnelscopeBridge = TunnelscopeApi & {
  /** Subscribes to the engine's event stream; returns the unsubscribe function. */
  onEvent(callback: (event: HostEvent) => void): () => void;
  /**
   * Subscribes to the application menu's actions (Electron only; the web bridge has no menu
   * and leaves this out). Returns the unsubscribe function.
   */
  onMenu?(callback: (action: MenuAction) => void): () => void;
};

/**
 * The web host's wire protocol (JSON text messages over its WebSocket at `/api`). The page
 * sends `call`s; each is answered by one `result` with the same `id`. Events are pushed as
 * they happen. A message the host cannot read at all (not JSON, no usable id) is answered
 * with `id: -1` and an INVALID_ARGUMENT result that says what was wrong.
 *
 * A call larger than one message (an imported log) travels in parts, since the host refuses
 * messages over its limit (`--max-message-mb`): the JSON text of its `arg` cut into
 * `call-part`s numbered 0…total-1, sent in order, then the `call` with `parts: total` and no
 * `arg`. The host joins them (src-main/web/call-parts.ts) and answers the call once; a part
 * sequence it refuses gets one error result with the call's id, and its remaining parts are
 * dropped unanswered.
 */
/** Most parts one call may have (a 320 MiB import in 256 Ki-character parts is 1,280). */
export const MAX_CALL_PARTS = 4096;

const callId = z.number().int().min(0);
const commandName = z.enum(COMMAND_NAMES as [string, ...string[]]);

export const webCallSchema = z
  .object({
    type: z.literal('call'),
    id: callId,
    name: commandName,
    arg: z.unknown().optional(),
    /** The arg came in this many `call-part`s. */
    parts: z.number().int().min(2).max(MAX_CALL_PARTS).optional(),
  })
  .refine((call) => call.parts === undefined || call.arg === undefined, { message: 'a call sent in parts carries no arg', path: ['arg'] });
export type WebCall = z.infer<typeof webCallSchema>;

export const webCallPartSchema = z
  .object({
    type: z.literal('call-part'),
    id: callId,
    name: commandName,
    index: z.number().int().min(0).max(MAX_CALL_PARTS - 1),
    total: z.number().int().min(2).max(MAX_CALL_PARTS),
    /** The next slice of the JSON text of the call's arg. */
    data: z.string(),
  })
  .refine((part) => part.index < part.total, { message: 'index must be below total', path: ['index'] });
export type WebCallPart = z.infer<typeof webCallPartSchema>;

export const webClientMessageSchema = z.discriminatedUnion('type', [webCallSchema, webCallPartSchema]);
export type WebClientMessage = z.infer<typeof webClientMessageSchema>;

export const webServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.unknown() }),
  /**
   * The page stopped reading fast enough: more than the host's limit (`--max-buffered-mb`) is
   * waiting to go out to it, so the host sends it no events until that has drained.
   */
  z.object({ type: z.literal('behind'), bufferedBytes: z.number().int().min(0) }),
  /** The backlog has drained; `skippedEvents` events were not sent: the page must resync. */
  z.object({ type: z.literal('caught-up'), skippedEvents: z.number().int().min(0) }),
]);
export type WebServerMessage = z.infer<typeof webServerMessageSchema>;

/** Every CommandErrorCode (result.ts); the `satisfies` and the check below keep the two in step. */
const COMMAND_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_COMMAND',
  'UNKNOWN_SESSION',
  'SESSION_NOT_OPEN',
  'NOT_FOUND',
  'FORBIDDEN',
  'INTERNAL',
  'CONFLICT',
  'UNKNOWN_PROFILE',
  'STORAGE_ERROR',
  'LIMIT_REACHED',
] as const satisfies readonly CommandErrorCode[];
const _allCommandErrorCodes: CommandErrorCode extends (typeof COMMAND_ERROR_CODES)[number] ? true : false = true;
void _allCommandErrorCodes;

export const commandErrorSchema = z.object({
  code: z.enum(COMMAND_ERROR_CODES),
  message: z.string(),
  path: z.string().optional(),
});

/** The schema of a command's Result as it arrives over the wire (checked before the UI trusts it). */
export function commandResultSchema<C extends CommandName>(name: C) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: commandSchemas[name].result }),
    z.object({ ok: z.literal(false), error: z.union([netErrorSchema, commandErrorSchema]) }),
  ]);
}
