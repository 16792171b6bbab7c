import { describe, expect, it } from 'vitest';
import { placeLabel } from '../../../src-renderer/src/util/problem-place';

describe('a profile problem’s place, as the editor numbers and names it', () => {
  it.each([
    ['savedMessages.1.body', "message 2's body"],
    ['savedMessages.0.name', "message 1's name"],
    ['savedMessages.3', 'message 4'],
    ['headers.0.name', "header 1's name"],
    ['headers.2.value', "header 3's value"],
    ['tls.caFiles.1', 'extra CA file 2'],
    ['proxy.caFiles.0', 'proxy CA file 1'],
    ['decodeProtobuf.rules.0.type', "type rule 1's message type"],
    ['decodeProtobuf.rules.2.firstByte', "type rule 3's first byte"],
    ['proxy.url', 'proxy address'],
    ['keepalive.intervalMs', 'keep-alive interval'],
    ['reconnect.maxDelayMs', 'longest wait'],
    ['url', 'URL'],
    ['general', ''],
    ['', ''],
    ['tls.somethingNew', 'TLS (somethingNew)'],
    ['mystery.path', 'mystery.path'],
  ])('%s → %j', (place, words) => {
    expect(placeLabel(place)).toBe(words);
  });
});
