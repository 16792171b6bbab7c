/**
 * A body in another charset through a real broker: RabbitMQ Web-STOMP (test/support/rabbitmq.ts,
 * on 127.0.0.1, stopped by pid) relays a SEND's `content-type` (with its charset) and body to the
 * subscriber's MESSAGE, and the STOMP decoder reads the MESSAGE the broker sent as text in that
 * charset: utf-16le (NULs inside, by content-length) and windows-1252 (bytes C3 A9, which UTF-8
 * would read as `é`, are `Ã©`). The broker sends text WebSocket messages, so only bodies whose
 * bytes are also UTF-8 can pass it. An empty message inside the SEND, split in two, changes
 * nothing for the broker. Nothing is asserted about time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { processRuns, rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../../support/rabbitmq';
import { waitUntil } from '../../support/wait-until';

const title = `STOMP bodies in other charsets, with RabbitMQ Web-STOMP${rabbitmqMissing ? ` (skipped: ${rabbitmqMissing})` : ''}`;

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

  it('the MESSAGE the broker relays is text in the SEND\'s charset to the decoder', async () => {
    if (!broker) throw new Error('the broker did not start');
    const socket = new WebSocket(broker.webStompUrl, ['v12.stomp']);
    const received: Buffer[] = [];
    socket.on('message', (data: Buffer) => received.push(Buffer.from(data)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const has = (prefix: string, count = 1): boolean => received.filter((bytes) => bytes.toString('latin1').startsWith(prefix)).length >= count;
    socket.send('CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\u0000');
    await waitUntil('CONNECTED', () => has('CONNECTED'), 60_000);
    socket.send('SUBSCRIBE\nid:s-1\ndestination:/queue/charset\nreceipt:r-0\n\n\u0000');
    await waitUntil('the SUBSCRIBE receipt', () => has('RECEIPT'), 60_000);

    const utf16 = Buffer.from('hi ✓', 'utf16le'); // 68 00 69 00 20 00 13 27: UTF-8 too
    const sendUtf16 = Buffer.concat([Buffer.from(`SEND\ndestination:/queue/charset\ncontent-type:text/plain;charset=utf-16le\ncontent-length:${utf16.length}\n\n`), utf16, Buffer.from([0])]);
    const sendLatin = Buffer.concat([Buffer.from('SEND\ndestination:/queue/charset\ncontent-type:text/plain;charset=windows-1252\n\n'), Buffer.from([0xc3, 0xa9, 0x00])]);
    // The first SEND in two messages with an empty one between.
    const sent = [sendUtf16.subarray(0, 40), Buffer.alloc(0), sendUtf16.subarray(40), sendLatin];
    for (const bytes of sent) socket.send(bytes, { binary: false });
    await waitUntil('two MESSAGEs', () => has('MESSAGE', 2), 60_000);
    socket.close();

    const decoder = new StompDecoder();
    const messages = received.filter((bytes) => bytes.toString('latin1').startsWith('MESSAGE'));
    const bodies = messages.map((bytes, k) => {
      const outcome = decoder.decode({ seq: k + 1, dir: 'in', opcode: 'text', bytes });
      return outcome?.kind === 'decoded' && typeof outcome.value === 'object' && outcome.value !== null && !Array.isArray(outcome.value) ? outcome.value.body : outcome?.summary;
    });
    expect(bodies).toEqual(['hi ✓', 'Ã©']);

    // The client's side, as the log reads it: the empty message inside the SEND says so.
    const client = new StompDecoder();
    expect(sent.map((bytes, k) => client.decode({ seq: k + 1, dir: 'out', opcode: 'text', bytes })?.summary)).toEqual([
      'part of a STOMP frame (40 B so far, continues in a later message)',
      'empty message (inside a STOMP frame, 40 B so far, continues in a later message)',
      'SEND /queue/charset 8 B',
      'SEND /queue/charset 2 B',
    ]);
  }, 180_000);
});
