/**
 * Hands the server's data messages to an MqttKeepAlive while it waits for the CONNACK: a FrameSink
 * in front of another (as engineio-sink.ts does for Engine.IO). Every incoming message is noted
 * here once, in seq order, after its burst. Outside that wait (before the CONNECT, and for the
 * rest of the session once the CONNACK came) nothing is looked at, so a busy session pays one test a burst.
 */
import type { FrameSink } from './frame-batcher';
import type { FrameStore } from './frame-store';
import { OPCODE_LIST } from './frame-store';
import type { MqttKeepAlive } from './mqtt-keepalive';

const TEXT_IN = OPCODE_LIST.indexOf('text');
const BINARY_IN = OPCODE_LIST.indexOf('binary');

export class MqttKeepAliveSink implements FrameSink {
  constructor(
    private readonly inner: FrameSink,
    private readonly store: FrameStore,
    private readonly keepAlive: MqttKeepAlive,
  ) {}

  note(fromSeq: number, toSeq: number = fromSeq): void {
    this.inner.note(fromSeq, toSeq);
    if (!this.keepAlive.watchingIncoming) return;
    const view = this.store.scanView();
    const first = Math.max(fromSeq, view.firstSeq);
    const last = Math.min(toSeq, view.lastSeq);
    for (let seq = first; seq <= last && this.keepAlive.watchingIncoming; seq++) {
      const meta = view.meta[(view.head + (seq - view.firstSeq)) % view.capacity];
      if (meta !== TEXT_IN && meta !== BINARY_IN) continue;
      // Reading the CONNACK schedules a PINGREQ and sends nothing now, so the view holds.
      const payload = this.store.payload(seq);
      if (payload !== undefined) this.keepAlive.incoming(payload);
    }
  }

  flush(): void {
    this.inner.flush();
  }
}
