/**
 * A Protocol Buffers message type chosen per rule (issue 14): `protobuf.rules` beside the type,
 * each rule a type and conditions (direction, first byte, a part of the URL, the subprotocol);
 * the first rule that holds wins, else the choice's type, else schema-less. The contract refuses a
 * rule without a condition, a first byte outside 0–255 and more than 32 rules; the engine refuses
 * a rule whose type the schema lacks, by the rule's place; the app's sessions, exports and
 * profiles use the rules.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { compileProtobufSchema, type CompiledProtobuf } from '../../../src-main/core/decode/protobuf-schema';
import { compileProtobufRules, protobufRuleUrl, protobufTypeChooser, urlConditionHolds } from '../../../src-main/core/decode/protobuf-type-rules';
import { SessionDecoding } from '../../../src-main/core/decode/session-decoding';
import { commandSchemas } from '../../../src-main/shared/commands';
import { MAX_PROTOBUF_RULES, protobufChoiceSchema } from '../../../src-main/shared/decoding';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { makeTempDir, plainProfileInput, valueOf } from '../profiles/profile-fixtures';
import { CHAT_PROTO as CHAT, chatMessage } from '../../support/protobuf-chat';

/** Starts with 0x0a (field 1, length-delimited). */
const request = chatMessage('chat.Request', { text: 'hello' });
/** Starts with 0x08 (field 1, varint). */
const reply = chatMessage('chat.Reply', { code: 200, note: 'ok' });
/** Starts with 0x0a, like a Request. */
const event = chatMessage('chat.Event', { topic: 'prices', data: Buffer.from([1, 2]) });

const schema = { name: 'chat.proto', proto: CHAT };
const rules = [
  { dir: 'out' as const, type: 'chat.Request' },
  { dir: 'in' as const, firstByte: 0x08, type: 'chat.Reply' },
];

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

function compiled(): CompiledProtobuf {
  const made = compileProtobufSchema({ protoText: CHAT, name: 'chat.proto' });
  if ('problem' in made) throw new Error(made.problem);
  return made.compiled;
}

function frame(dir: 'in' | 'out', bytes: Buffer): WireFrame {
  return { seq: 1, dir, opcode: 'binary', bytes };
}

/** An imported log: a Request out, a Reply in, an Event in. */
async function chatSession(): Promise<{ e: Engine; sessionId: string }> {
  const e = new Engine({ host: 'web', version: '1', env: {} });
  engine = e;
  const text = [
    { dir: 'out', bytes: request },
    { dir: 'in', bytes: reply },
    { dir: 'in', bytes: event },
  ]
    .map((f, i) => JSON.stringify({ seq: i + 1, dir: f.dir, opcode: 'binary', at: `2024-05-01T10:00:0${i}.000Z`, size: f.bytes.length, base64: f.bytes.toString('base64') }))
    .join('\n');
  const imported = await e.call('frames:import', { text, name: 'chat.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  return { e, sessionId: imported.value.sessionId };
}

describe('the contract of type rules', () => {
  it('takes rules with at least one condition, a first byte 0–255, at most 32', () => {
    expect(protobufChoiceSchema.safeParse({ schema, type: 'chat.Event', rules }).success).toBe(true);
    const bare = protobufChoiceSchema.safeParse({ schema, rules: [{ type: 'chat.Reply' }] });
    expect(bare.error?.issues[0]).toMatchObject({ path: ['rules', 0], message: 'a rule needs a condition: a direction, a first byte, a part of the URL or a subprotocol' });
    const byte = protobufChoiceSchema.safeParse({ schema, rules: [{ firstByte: 256, type: 'chat.Reply' }] });
    expect(byte.error?.issues[0]).toMatchObject({ path: ['rules', 0, 'firstByte'], message: 'a first byte is 0 to 255 (0x00 to 0xff)' });
    const many = protobufChoiceSchema.safeParse({ schema, rules: Array.from({ length: MAX_PROTOBUF_RULES + 1 }, () => ({ dir: 'in', type: 'chat.Reply' })) });
    expect(many.error?.issues[0]?.message).toBe('at most 32 type rules');
    const unknownKey = protobufChoiceSchema.safeParse({ schema, rules: [{ dir: 'in', type: 'chat.Reply', lastByte: 1 }] });
    expect(unknownKey.success).toBe(false);
    expect(commandSchemas['session:decoding'].arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema, rules } }).success).toBe(true);
  });
});

describe('choosing the type per message', () => {
  it('takes the first rule that holds, by direction and first byte, else the type given, else none', () => {
    const made = compileProtobufRules(compiled(), rules);
    if ('problem' in made) throw new Error(made.problem);
    const fallback = compiled().schemaOf('chat.Event');
    if ('problem' in fallback) throw new Error(fallback.problem);
    const choose = protobufTypeChooser(made.rules, fallback.schema, {});
    expect(choose(frame('out', request))?.typeName).toBe('chat.Request');
    expect(choose(frame('in', reply))?.typeName).toBe('chat.Reply');
    expect(choose(frame('in', event))?.typeName).toBe('chat.Event');
    expect(choose(frame('in', Buffer.alloc(0)))?.typeName).toBe('chat.Event'); // no first byte
    expect(protobufTypeChooser(made.rules, undefined, {})(frame('in', event))).toBeUndefined();
  });

  it('holds a URL or subprotocol rule only for a connection that has it (subprotocol without case)', () => {
    const made = compileProtobufRules(compiled(), [
      { urlIncludes: '/v2/', type: 'chat.Reply' },
      { subprotocol: 'chat.v3', dir: 'in', type: 'chat.Request' },
    ]);
    if ('problem' in made) throw new Error(made.problem);
    expect(protobufTypeChooser(made.rules, undefined, { url: 'wss://h/api/v2/ws' })(frame('out', reply))?.typeName).toBe('chat.Reply');
    expect(protobufTypeChooser(made.rules, undefined, { url: 'wss://h/api/v1/ws' })(frame('out', reply))).toBeUndefined();
    expect(protobufTypeChooser(made.rules, undefined, { subprotocol: 'Chat.V3' })(frame('in', request))?.typeName).toBe('chat.Request');
    expect(protobufTypeChooser(made.rules, undefined, { subprotocol: 'Chat.V3' })(frame('out', request))).toBeUndefined();
    expect(protobufTypeChooser(made.rules, undefined, {})(frame('in', request))).toBeUndefined(); // not known: does not hold
  });

  it('reads one URL: the session’s, as the URL parser writes it, without its fragment; a request target alone holds nothing', () => {
    expect(protobufRuleUrl('WSS://Feed.Example.COM:443/Chat/a b?q=1#frag')).toBe('wss://feed.example.com/Chat/a%20b?q=1');
    expect(protobufRuleUrl('ws://127.0.0.1:8080/x')).toBe('ws://127.0.0.1:8080/x');
    expect(protobufRuleUrl('/chat?x=1')).toBeUndefined();
    expect(protobufRuleUrl(undefined)).toBeUndefined();
    expect(urlConditionHolds('//feed.example.com/Chat/', 'WSS://Feed.Example.COM:443/Chat/?q=1')).toBe(true);
    expect(urlConditionHolds('a%20b', 'wss://h/a b')).toBe(true);
    // Case counts in the part asked; the default port and the fragment are not in the URL read.
    expect(urlConditionHolds('/chat/', 'wss://h/Chat/')).toBe(false);
    expect(urlConditionHolds(':443', 'wss://h:443/')).toBe(false);
    expect(urlConditionHolds('#frag', 'wss://h/#frag')).toBe(false);
    expect(urlConditionHolds('/chat', '/chat')).toBe(false);
  });

  it('a SessionDecoding (the CLI, exports) reads the session URL noted, never the upgrade’s request target', () => {
    const made = compileProtobufRules(compiled(), [{ dir: 'in', firstByte: 0x08, urlIncludes: '//127.0.0.1:9/', type: 'chat.Reply' }]);
    if ('problem' in made) throw new Error(made.problem);
    const summaryOf = (noteUrl: boolean): string | undefined => {
      const decoding = new SessionDecoding('protobuf', undefined, undefined, { protobufRules: made.rules });
      if (noteUrl) decoding.noteSessionUrl('ws://127.0.0.1:9/chat');
      decoding.noteHandshake('/chat', undefined);
      const outcome = decoding.decodeInOrder(frame('in', reply));
      return outcome && 'summary' in outcome ? outcome.summary.split(' ')[0] : undefined;
    };
    expect(summaryOf(true)).toBe('chat.Reply');
    expect(summaryOf(false)).not.toBe('chat.Reply');
  });

  it('names a rule whose type the schema lacks by its place', () => {
    const made = compileProtobufRules(compiled(), [...rules, { dir: 'in', type: 'chat.Nope' }]);
    expect(made).toEqual({ index: 2, problem: 'no message type "chat.Nope" in the schema; it has chat.Request, chat.Reply, chat.Event' });
  });
});

describe('type rules in the engine', () => {
  it('session:decoding decodes each frame with the type its rule gives, and says how many rules', async () => {
    const { e, sessionId } = await chatSession();
    const chosen = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema, type: 'chat.Event', rules } });
    expect(chosen.ok && chosen.value.protobuf).toEqual({ name: 'chat.proto', type: 'chat.Event', types: ['chat.Request', 'chat.Reply', 'chat.Event'], rules: 2 });
    const decoded = await e.call('frames:decode', { sessionId, seqs: [1, 2, 3], values: true });
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value.frames.map((f) => [f.summary.split(' ')[0], f.value])).toEqual([
      ['chat.Request', { text: 'hello' }],
      ['chat.Reply', { code: 200, note: 'ok' }],
      ['chat.Event', { topic: 'prices', data: { $bytes: 'AQI=', length: 2 } }],
    ]);
  });

  it('refuses a rule whose type is not in the schema, at rules.<i>.type, and keeps the decoding as it was', async () => {
    const { e, sessionId } = await chatSession();
    const refused = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema, rules: [{ dir: 'out', type: 'chat.Request' }, { dir: 'in', type: 'chat.Nope' }] } });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', path: 'protobuf.rules.1.type', message: 'session:decoding: protobuf.rules.1.type: type rule 2: chat.proto: no message type "chat.Nope" in the schema; it has chat.Request, chat.Reply, chat.Event' },
    });
    const state = await e.call('session:decoding', { sessionId });
    expect(state.ok && state.value.choice).toBe('auto');
  });

  it('protobuf:compile checks a choice without a session, as session:decoding would', async () => {
    const e = new Engine({ host: 'web', version: '1', env: {} });
    engine = e;
    expect(await e.call('protobuf:compile', { protobuf: { schema, rules } })).toEqual({ ok: true, value: { name: 'chat.proto', types: ['chat.Request', 'chat.Reply', 'chat.Event'], rules: 2 } });
    const broken = await e.invoke('protobuf:compile', { protobuf: { schema: { name: 'chat.proto', proto: 'syntax = "proto3";\nmessage X {\n  string a = ;\n}' } } });
    expect(broken).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'protobuf.schema', message: "protobuf:compile: protobuf.schema: chat.proto: illegal id ';' (line 3)" } });
    const noCondition = await e.invoke('protobuf:compile', { protobuf: { schema, rules: [{ type: 'chat.Reply' }] } });
    expect(noCondition).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'protobuf.rules.0' } });
  });

  it('an export with decoded values uses the rules (no type: what no rule takes is schema-less)', async () => {
    const { e, sessionId } = await chatSession();
    const exported = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: { schema, rules } } });
    if (!exported.ok) throw new Error(exported.error.message);
    const lines = exported.value.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { seq?: number; decoded?: { summary?: string } });
    const summaries = lines.filter((l) => l.seq !== undefined).map((l) => l.decoded?.summary ?? '');
    expect(summaries.map((s) => s.split(' ')[0])).toEqual(['chat.Request', 'chat.Reply', 'no']);
    expect(summaries[2]).toMatch(/^no schema: fields 1:/);
    const bad = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: { schema, rules: [{ dir: 'in', type: 'chat.Nope' }] } } });
    expect(bad).toMatchObject({ ok: false, error: { path: 'decoded.protobuf.rules.0.type' } });
  });

  it('a profile saves and reads back its rules; one with a rule without a condition is refused at its place', async () => {
    const temp = makeTempDir();
    const e = new Engine({ host: 'web', version: '1', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    engine = e;
    try {
      const decodeProtobuf = { schema, type: 'chat.Event', rules };
      const saved = profileViewSchema.parse(valueOf(await e.invoke('profiles:save', { profile: { ...plainProfileInput('chat'), decode: 'protobuf', decodeProtobuf } })));
      const read = profileViewSchema.parse(valueOf(await e.invoke('profiles:get', { id: saved.id })));
      expect(read.decodeProtobuf).toEqual(decodeProtobuf);
      const bad = await e.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), decode: 'protobuf', decodeProtobuf: { schema, rules: [{ type: 'chat.Reply' }] } } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'profile.decodeProtobuf.rules.0' } });
    } finally {
      await e.dispose();
      engine = undefined;
      temp.cleanup();
    }
  });
});
