/**
 * Who an intercepted connection's client is (tunnelscope intercept): carried by
 * `session-created` and `session:list` for a captured session.
 */
import { z } from 'zod';
import { httpCaptureSchema } from './model';

export const clientProcessSchema = z.object({
  pid: z.number().int().positive(),
  /** The process's command name as the OS gives it (Linux: /proc/<pid>/comm). */
  name: z.string(),
});
export type ClientProcess = z.infer<typeof clientProcessSchema>;

export const capturedFromSchema = z.object({
  /** The client's address and port (`127.0.0.1:51234`). */
  clientAddress: z.string(),
  /** The client's process where the OS tells (Linux, the user's own processes); absent: unknown. */
  clientProcess: clientProcessSchema.optional(),
});
export type CapturedFrom = z.infer<typeof capturedFromSchema>;

/**
 * The client side of an intercepted WebSocket's handshake: what the client asked us and the 101
 * we answered (secrets redacted). The server side is the session's own upgrade step.
 */
export const clientHandshakeSchema = z.object({ request: httpCaptureSchema, response: httpCaptureSchema });
export type ClientHandshake = z.infer<typeof clientHandshakeSchema>;
