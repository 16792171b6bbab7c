/**
 * A page of the web host as a test sees it: the `ws` package connected to /api the way the
 * browser does (Origin, the token cookie, the page's client id), calling commands by id and
 * ignoring the events it is sent.
 */
import WebSocket from 'ws';
import { webServerMessageSchema } from '../../src-main/shared/bridge';

export interface PageClient {
  ws: WebSocket;
  call(name: string, arg: unknown): Promise<unknown>;
}

export async function openPageClient(port: number, token: string, clientId: string): Promise<PageClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?client=${clientId}`, {
    headers: { Origin: `http://127.0.0.1:${port}`, Cookie: `tunnelscope_token_${port}=${token}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data: Buffer) => {
    const message = webServerMessageSchema.parse(JSON.parse(data.toString('utf8')));
    if (message.type === 'result') waiting.get(message.id)?.(message.result);
  });
  return {
    ws,
    call: (name, arg) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, name, arg }));
      }),
  };
}
