/** `--decode auto|none|socketio|stomp|mqtt|msgpack|cbor` on connect (default auto). */
import { DECODE_CHOICES, type DecodeChoice } from '../core';
import { UsageError } from './usage-error';

export function parseDecodeFlag(raw: string | undefined): DecodeChoice {
  if (raw === undefined) return 'auto';
  const wanted = raw.trim().toLowerCase();
  const choice = DECODE_CHOICES.find((name) => name === wanted);
  if (choice === undefined) throw new UsageError(`--decode: "${raw}" is not one of ${DECODE_CHOICES.join(', ')}`, 'connect');
  return choice;
}
