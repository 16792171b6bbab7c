/**
 * What the intercepting proxy reports beside the engine's own session events: a WebSocket
 * captured (the session it became), a plain HTTP exchange passed through, a client that would
 * not take our certificate, a request that could not be relayed. The CLI prints them (`--json`:
 * one line each); nothing here carries a payload.
 */
import type { DeflateMode } from './upstream-options';

export type InterceptEvent =
  | {
      type: 'captured';
      sessionId: string;
      clientAddress: string;
      /** Where the client was going (no credentials: a client's URL has none in its request line). */
      url: string;
      deflate: DeflateMode;
    }
  | {
      /** Both sides' handshakes are done: the client got its 101 with what the server chose. */
      type: 'relaying';
      sessionId: string;
      protocol: string;
      /** permessage-deflate on each side: what was agreed there, or why it is off. */
      deflate: { client: string; server: string };
    }
  | {
      /** The upstream leg failed before it opened: the client was answered with this status. */
      type: 'refused';
      sessionId?: string;
      clientAddress: string;
      url: string;
      status: number;
      text: string;
    }
  | {
      type: 'http';
      clientAddress: string;
      method: string;
      host: string;
      path: string;
      status: number | null;
      /** Response body bytes passed back (null when no answer came). */
      size: number | null;
      ms: number;
      error?: string;
    }
  | {
      /** A message held at a breakpoint (breakpoints.ts): it waits, and so does its direction, until forwarded or dropped. */
      type: 'paused';
      sessionId: string;
      id: number;
      direction: 'in' | 'out';
      kind: 'text' | 'binary';
      size: number;
      /** Text: its first 200 characters; binary: its first 100 bytes in hex. */
      preview: string;
    }
  | {
      /** A TLS handshake with the client that failed: most often it does not trust our CA, or pins its server's certificate. */
      type: 'client-tls';
      clientAddress: string;
      host: string;
      rejectedCertificate: boolean;
      reason: string;
    };

export type InterceptEventListener = (event: InterceptEvent) => void;
