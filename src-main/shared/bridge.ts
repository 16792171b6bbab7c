/**
 * What the renderer talks to: the contract's commands as named methods plus the event stream.
 * Electron's preload exposes it as `window.tunnelscope`; in a browser the web host's
 * WebSocket client implements the same interface, so everything above it is the same code.
 */
import { z } from 'zod';
import { COMMAND_NAMES, type TunnelscopeApi } from './commands';
import type { EngineEvent } from './events';

export type TunnelscopeBridge = TunnelscopeApi & {
  /** Subscribes to the engine's event stream; returns the unsubscribe function. */
  onEvent(callback: (event: EngineEvent) => void): () => void;
};

/** The IPC channel (Electron) on which engine events travel to the renderer. */
export const EVENT_CHANNEL = 'engine:event';

/**
 * The web host's wire protocol (JSON text messages over its WebSocket). Commands are answered
 * with the same `id`; events are pushed as they happen.
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
]);
export type WebServerMessage = z.infer<typeof webServerMessageSchema>;
