/**
 * What the renderer talks to: the contract's commands as named methods plus the event stream.
 * Electron's preload exposes it as `window.tunnelscope`; in a browser the web host's
 * WebSocket client implements the same interface, so everything above it is the same code.
 */
import { z } from 'zod';
import { COMMAND_NAMES, commandSchemas, type CommandName, type TunnelscopeApi } from './commands';
import { netErrorSchema } from './errors';
import type { CommandErrorCode } from './result';
import type { EngineEvent } from './events';
import type { MenuAction } from './ipc-channels';

// The IPC channels live in a zod-free file so the sandboxed preload can import them.
export { EVENT_CHANNEL, MENU_CHANNEL, MENU_ACTIONS, isMenuAction, type MenuAction } from './ipc-channels';

export type TunnelscopeBridge = TunnelscopeApi & {
  /** Subscribes to the engine's event stream; returns the unsubscribe function. */
  onEvent(callback: (event: EngineEvent) => void): () => void;
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
 */
export const webClientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().min(0),
  name: z.enum(COMMAND_NAMES as [string, ...string[]]),
  arg: z.unknown(),
});
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
