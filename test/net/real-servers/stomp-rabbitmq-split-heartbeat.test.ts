/**
 * What a real broker makes of a heart-beat's CR LF split across WebSocket messages, against what
 * the STOMP decoder makes of the same messages: RabbitMQ Web-STOMP (test/support/rabbitmq.ts, on
 * 127.0.0.1, stopped by pid). A client sends CONNECT, then CR in one message and LF in the
 * next, then a SEND with a receipt: the broker answers the RECEIPT (the split EOL was a
 * heart-beat between frames), and the decoder reads the LF's message as a heart-beat. Another
 * sends CR, then a SEND: the broker answers ERROR and closes, and the decoder calls the SEND's
 * message not valid. Nothing is asserted about time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { processRuns, rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../../support/rabbitmq';
import { waitUntil } from '../../support/wait-until';

const title = `STOMP heart-beats split across messages, with RabbitMQ Web-STOMP${rabbitmqMissing ? ` (skipped: ${rabbitmqMissing})` : ''}`;

/** A client's session: the text it got (whole messages, in order), and whether the broker closed. */
interface Client {
  socket: WebSocket;
  received: string[];
  closed: () => boolean;
}

async function connect(url: string): Promise<Client> {
  const socket = new WebSocket(url, ['v12.stomp']);
  const received: string[] = [];
  let closed = false;
  socket.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  socket.on('close', () => {
    closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send('CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\u0000');
  await waitUntil('CONNECTED', () => received.some((text) => text.startsWith('CONNECTED')), 60_000);
  return { socket, received, closed: () => closed };
}

describe.skipIf(rabbitmqMissing !== undefined)(title, () => {
  let broker: RunningRabbitMq | undefined;

  beforeAll(async () => {
    broker = await startRabbitMq();
  }, 300_000);

  afterAll(async () => {
    const running = broker;
    broker = undefined;
    if (!running) return;
    const pids = running.pids();
    await running.stop();
    for (const pid of [pids.script, pids.vm, pids.epmd]) if (pid !== undefined) expect(processRuns(pid), `pid ${pid}`).toBe(false);
  }, 300_000);

  it('CR | LF is a heart-beat to the broker and to the decoder', async () => {
    if (!broker) throw new Error('the broker did not start');
    const client = await connect(broker.webStompUrl);
    const sent = ['\r', '\n', 'SEND\ndestination:/queue/split-heartbeat\nreceipt:r-1\n\nhello\u0000'];
    for (const text of sent) client.socket.send(text);
    await waitUntil('a RECEIPT, an ERROR or the close', () => client.received.some((text) => text.startsWith('RECEIPT') || text.startsWith('ERROR')) || client.closed(), 60_000);
    expect(client.received.find((text) => text.startsWith('RECEIPT'))).toMatch(/^RECEIPT\nreceipt-id:r-1\n/);
    expect(client.received.some((text) => text.startsWith('ERROR'))).toBe(false);
    client.socket.close();

    const decoder = new StompDecoder();
    const outcomes = sent.map((text, k) => decoder.decode({ seq: k + 1, dir: 'out', opcode: 'text', bytes: Buffer.from(text) }));
    expect(outcomes.map((outcome) => outcome?.summary)).toEqual(['the CR of a heart-beat (CR LF), its LF in a later message', 'heart-beat', 'SEND /queue/split-heartbeat 5 B receipt=r-1']);
  }, 120_000);

  it('CR | a frame is an error to the broker and not valid to the decoder', async () => {
    if (!broker) throw new Error('the broker did not start');
    const client = await connect(broker.webStompUrl);
    const sent = ['\r', 'SEND\ndestination:/queue/split-heartbeat\nreceipt:r-2\n\nhello\u0000'];
    for (const text of sent) client.socket.send(text);
    await waitUntil('a RECEIPT, an ERROR or the close', () => client.received.some((text) => text.startsWith('RECEIPT') || text.startsWith('ERROR')) || client.closed(), 60_000);
    expect(client.received.some((text) => text.startsWith('RECEIPT'))).toBe(false);
    expect(client.received.find((text) => text.startsWith('ERROR')) ?? (client.closed() ? 'closed' : 'neither')).toMatch(/^ERROR|^closed$/);
    client.socket.close();

    const decoder = new StompDecoder();
    const outcomes = sent.map((text, k) => decoder.decode({ seq: k + 1, dir: 'out', opcode: 'text', bytes: Buffer.from(text) }));
    expect(outcomes[1]).toMatchObject({ kind: 'invalid', summary: expect.stringMatching(/^not valid STOMP: a CR at byte 0 not followed by LF/) as unknown });
  }, 120_000);
});
