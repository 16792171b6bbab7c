/** What the upgrade tells a recogniser: the request target ("/socket.io/?EIO=4") and the subprotocol the server chose. */
import type { HandshakeStep } from '../../shared/model';

export function upgradeSigns(steps: readonly HandshakeStep[]): { target?: string; subprotocol?: string } {
  const step = steps.find((s) => s.leg === 'upgrade' && s.ok);
  if (!step) return {};
  const target = step.request?.startLine.split(' ')[1];
  const subprotocol = step.response?.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1]?.trim();
  return { ...(target !== undefined ? { target } : {}), ...(subprotocol ? { subprotocol } : {}) };
}
