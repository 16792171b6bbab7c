/**
 * What the intercepting proxy reports beside the engine's own session events: a WebSocket
 * captured (the session it became), a plain HTTP exchange passed through, a client that would
 * not take our certificate, a request that could not be relayed. The CLI prints them (`--json`:
 * one line each); nothing here carries a payload.
 */
import type { ClientProcess } from '../../shared/captured-from';
import type { HttpCapture, ProxyDecision } from '../../shared/model';
import type { PassthroughSource } from './passthrough-hosts';
import type { DeflateMode } from './upstream-options';

/** One side's WebSocket handshake: the upgrade request and the 101 (secret headers redacted). */
export interface HandshakeRecord {
  request: HttpCapture;
  response: HttpCapture;
}

/**
 * Who began closing a relayed connection, in intercept's terms: the intercepted application,
 * you (a `close` command or the app's close button, on `side`), or Tunnelscope itself (a request
 * it could not answer). A close the server begins is the session's own ending (initiatedBy
 * 'server'), not reported here: the engine's 'client' means only that our side spoke first.
 */
export type CloseStarter = 'application' | 'you' | 'tunnelscope';

export type InterceptEvent =
  | {
      /** A relayed connection's close begun from our side, and by whom (before the session's closed event). */
      type: 'closing';
      sessionId: string;
      by: CloseStarter;
      /** With `you`: the side the close was sent to. */
      side?: 'client' | 'server';
    }
  | {
      type: 'captured';
      sessionId: string;
      clientAddress: string;
      /** Where the OS tells (Linux, the user's own processes): absent means unknown. */
      clientProcess?: ClientProcess;
      /** Where the client was going (no credentials: a client's URL has none in its request line). */
      url: string;
      deflate: DeflateMode;
    }
  | {
      /** Both sides' handshakes are done: the client got its 101 with what the server chose. */
      type: 'relaying';
      sessionId: string;
      protocol: string;
      /** permessage-deflate on each side: what was agreed there, or why it is off. Messages are relayed and logged uncompressed either way. */
      deflate: { client: string; server: string };
      /**
       * Both handshakes: what the client asked and the 101 it got from us; what went to the
       * server and what came back (the session's `upgrade` step holds the same).
       */
      handshakes: { client: HandshakeRecord; server: HandshakeRecord };
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
      clientProcess?: ClientProcess;
      host: string;
      rejectedCertificate: boolean;
      reason: string;
      /** What showed it: `TLS alert "unknown ca"`, a close right after the handshake … */
      evidence: string;
    }
  | {
      /**
       * A CONNECT to a host on the passthrough list (passthrough-hosts.ts) ended: tunnelled
       * untouched to the server, no TLS terminated, nothing captured. `status`: what the client
       * was answered (502/504: the way out failed, `error` says why).
       */
      type: 'passthrough';
      clientAddress: string;
      clientProcess?: ClientProcess;
      host: string;
      port: number;
      /** The pattern of the list it matched. */
      pattern: string;
      /** Which list that pattern is on: the global one, the profile's, or this run's `--passthrough`. */
      source: PassthroughSource;
      status: number;
      /** Bytes from the client to the server, and back. */
      sent: number;
      received: number;
      ms: number;
      error?: string;
      /** The way out the tunnel took (fallbacks in its reason); absent when it failed before a decision. */
      decision?: ProxyDecision;
    };

export type InterceptEventListener = (event: InterceptEvent) => void;
