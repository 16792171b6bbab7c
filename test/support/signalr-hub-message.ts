/** A SignalR MessagePack hub message as the protocol frames it: a varint length, then the MessagePack array. */
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false });

export function signalrHubMessage(items: unknown[]): Buffer {
  const body = packr.pack(items);
  const prefix: number[] = [];
  let length = body.byteLength;
  do {
    let byte = length & 0x7f;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    prefix.push(byte);
  } while (length > 0);
  return Buffer.concat([Buffer.from(prefix), body]);
}
