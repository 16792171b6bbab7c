/**
 * Hands the server's data messages to an EngineIoHeartbeat as the session's intake notes them:
 * a FrameSink in front of the session's own. Incoming messages reach the store by several paths
 * (the socket capture's whole reads, ws's messages), and every one of them is noted here once,
 * in seq order, after its burst; so the heartbeat sees each message once and never slows a read.
 * Once the first message showed the session is not Engine.IO, nothing more is looked at.
 */
import type { FrameSink } from './frame-batcher';
import type { FrameStore } from './frame-store';
import { OPCODE_LIST } from './frame-store';
import type { EngineIoHeartbeat } from './engineio-heartbeat';

const TEXT_IN = OPCODE_LIST.indexOf('text');
const BINARY_IN = OPCODE_LIST.indexOf('binary');

export class EngineIoSink implements FrameSink {
  constructor(
    private readonly inner: FrameSink,
    private readonly store: FrameStore,
    private readonly heartbeat: EngineIoHeartbeat,
  ) {}

  note(fromSeq: number, toSeq: number = fromSeq): void {
    // Consumers hear of the frames first: an answer the heartbeat sends is a later frame.
    this.inner.note(fromSeq, toSeq);
    if (!this.heartbeat.watching) return;
    const view = this.store.scanView();
    const first = Math.max(fromSeq, view.firstSeq);
    const last = Math.min(toSeq, view.lastSeq);
    const pings: Buffer[] = [];
    for (let seq = first; seq <= last; seq++) {
      const slot = (view.head + (seq - view.firstSeq)) % view.capacity;
      const meta = view.meta[slot];
      if (meta !== TEXT_IN && meta !== BINARY_IN) continue;
      if (!this.heartbeat.isEngineIo) {
        // The first message decides (reading the open packet sends nothing, so the view holds).
        this.heartbeat.incoming(meta === BINARY_IN, this.store.payload(seq) ?? Buffer.alloc(0));
        if (!this.heartbeat.watching) return;
        continue;
      }
      // Only one-byte text messages can be the ping `2`: the rest are passed over unread.
      if (meta !== TEXT_IN || view.size[slot] !== 1) continue;
      const payload = this.store.payload(seq);
      if (payload !== undefined) pings.push(Buffer.from(payload));
    }
    // Answers are sent after the scan: sending appends to the store, which the view does not survive.
    for (const payload of pings) {
      if (!this.heartbeat.watching) return;
      this.heartbeat.incoming(false, payload);
    }
  }

  flush(): void {
    this.inner.flush();
  }
}
