// A saved message of kind `protocol` (issue 14) keeps the composer's protocol message as JSON;
// a body that is not JSON or not a message the composer can build is refused, saying what and where.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { savedMessageWith } from '../../../src-main/shared/profiles';

const schema = savedMessageWith(z.string());

describe('saved protocol messages', () => {
  it('keeps a protocol message with its kind', () => {
    const body = JSON.stringify({ protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/topic/prices' }] });
    expect(schema.parse({ id: 'm1', name: 'prices', kind: 'protocol', body })).toEqual({ id: 'm1', name: 'prices', kind: 'protocol', body });
  });

  it('refuses a body that is not JSON, or not a protocol message, naming the body', () => {
    const notJson = schema.safeParse({ id: 'm1', name: 'x', kind: 'protocol', body: 'SUBSCRIBE' });
    expect(notJson.success).toBe(false);
    expect(notJson.error?.issues[0]).toMatchObject({ path: ['body'], message: expect.stringMatching(/^a protocol message is stored as JSON/) });
    const notMessage = schema.safeParse({ id: 'm1', name: 'x', kind: 'protocol', body: JSON.stringify({ protocol: 'socketio', event: 'chat', args: '{}' }) });
    expect(notMessage.error?.issues[0]).toMatchObject({ path: ['body'], message: 'not a protocol message: args: the arguments are a JSON array, e.g. ["hello", {"room": 1}]' });
  });
});
