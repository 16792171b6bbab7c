// The renderer's list of protocols (for the profile editor, which has no session to ask) is the
// engine's list of decoders, in the same order with the same titles.
import { describe, expect, it } from 'vitest';
import { DECODER_NAMES, DECODER_TITLES } from '../../../src-main/core/decode/decoded-frame';
import { DECODE_PROTOCOLS, decodeChoiceSchema } from '../../../src-main/shared/decoding';

describe('DECODE_PROTOCOLS', () => {
  it('names every decoder the engine has, with its title', () => {
    expect(DECODE_PROTOCOLS).toEqual(DECODER_NAMES.map((name) => ({ name, title: DECODER_TITLES[name] })));
  });

  it('are choices the contract accepts, as are auto and none', () => {
    for (const choice of ['auto', 'none', ...DECODE_PROTOCOLS.map((p) => p.name)]) expect(decodeChoiceSchema.safeParse(choice).success).toBe(true);
    expect(decodeChoiceSchema.safeParse('Socket.IO').success).toBe(false);
  });
});
