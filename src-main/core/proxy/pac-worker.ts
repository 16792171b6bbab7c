/**
 * Entry of a PAC worker thread: answers each `evaluate` request with its outcome. The
 * calling thread owns the deadline and terminates this thread when it passes, so no PAC
 * script can hold the calling thread (in the desktop app, Electron's main process).
 *
 * Built as an entry of its own (pac-worker.js in out/main and out/node); started from the
 * sources by pac-worker-start.ts.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { runPacScript } from './pac-sandbox';
import { pacRequestSchema, type PacOutcome, type PacReady, type PacReply } from './pac-worker-protocol';

if (parentPort === null) throw new Error('pac-worker runs only as a worker thread');
serve(parentPort);

function serve(port: MessagePort): void {
  const reply = (id: number, outcome: PacOutcome): void => {
    const message: PacReply = { type: 'outcome', id, outcome };
    port.postMessage(message);
  };
  port.on('message', (message: unknown) => {
    const request = pacRequestSchema.safeParse(message);
    if (!request.success) {
      // A bug on the calling side; answer so it fails at once instead of at its deadline.
      const id = typeof message === 'object' && message !== null && 'id' in message && Number.isInteger(message.id) ? Number(message.id) : -1;
      reply(id, { kind: 'engine-failed', description: `the PAC worker got a request it does not understand: ${request.error.message}` });
      return;
    }
    void runPacScript(request.data).then((outcome) => reply(request.data.id, outcome));
  });
  const ready: PacReady = { type: 'ready' };
  port.postMessage(ready);
}
