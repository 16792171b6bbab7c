/**
 * Credentials inside frames, treated like credential headers: the decoders know exactly which
 * field of a frame is a password, so every output that leaves the engine (exports' `decoded`, the
 * CLI) shows the REDACTED marker there instead, and says which paths it hid.
 *
 *   MQTT        CONNECT `password`; CONNECT and AUTH `properties.authenticationData` (MQTT 5)
 *   STOMP       headers named `passcode` or like credentials, in every frame (a broker may take
 *               `Authorization` on SUBSCRIBE or SEND as well as on CONNECT); `login` is a user name
 *   GraphQL-ws  connection_init `payload` keys named like credentials (at any depth)
 *   Socket.IO   CONNECT `data` (the auth payload) keys named like credentials (at any depth)
 *
 * "Named like a credential" is the headers' rule (shared/secret-headers.ts). Several protocol
 * frames in one message (`{packets: [...]}`, `{frames: [...]}`: decoded-frame.ts `joined`) are
 * each looked at. Paths are JSONPath-like (`$.packets[1].password`, `$.headers.passcode`,
 * `$["x-key"]`), relative to the decoded value.
 */
import { REDACTED } from '../capture/redact';
import { looksLikeCredentialHeader } from '../../shared/secret-headers';
import type { JsonValue } from './json-value';

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `$.name` for plain names, `$["x-name"]` otherwise. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Keys named like credentials in an auth payload, at any depth (a credential-named key's whole value is one path). */
function namedCredentials(value: JsonValue | undefined, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => namedCredentials(item, childPath(path, i), out));
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (looksLikeCredentialHeader(key)) out.push(childPath(path, key));
      else namedCredentials(item, childPath(path, key), out);
    }
  }
}

function mqttPacket(packet: JsonObject, path: string, out: string[]): void {
  if (packet.cmd !== 'connect' && packet.cmd !== 'auth') return;
  if (packet.cmd === 'connect' && packet.password !== undefined) out.push(childPath(path, 'password'));
  const properties = packet.properties;
  if (isObject(properties) && properties.authenticationData !== undefined) out.push(childPath(childPath(path, 'properties'), 'authenticationData'));
}

/** STOMP header names whose values are credentials: `passcode` (CONNECT's), and the headers' rule. */
export function isStompCredentialHeader(name: string): boolean {
  return name === 'passcode' || looksLikeCredentialHeader(name);
}

function stompFrame(frame: JsonObject, path: string, out: string[]): void {
  if (isObject(frame.headers)) {
    for (const name of Object.keys(frame.headers)) if (isStompCredentialHeader(name)) out.push(childPath(childPath(path, 'headers'), name));
  }
  // With a repeated header the decoder also gives every line in order: [[name, value], …].
  if (Array.isArray(frame.headerList)) {
    frame.headerList.forEach((line, i) => {
      if (Array.isArray(line) && typeof line[0] === 'string' && isStompCredentialHeader(line[0])) out.push(childPath(childPath(childPath(path, 'headerList'), i), 1));
    });
  }
}

function graphqlMessage(message: JsonObject, path: string, out: string[]): void {
  if (message.type === 'connection_init') namedCredentials(message.payload, childPath(path, 'payload'), out);
}

function socketIoPacket(packet: JsonObject, path: string, out: string[]): void {
  if (packet.type === 'CONNECT') namedCredentials(packet.data, childPath(path, 'data'), out);
}

const FINDERS: Readonly<Record<string, (frame: JsonObject, path: string, out: string[]) => void>> = {
  mqtt: mqttPacket,
  stomp: stompFrame,
  'graphql-ws': graphqlMessage,
  socketio: socketIoPacket,
};

/** The paths of `value` (a frame's decoding by `protocol`) that hold credentials; [] when none. */
export function credentialPaths(protocol: string, value: JsonValue): string[] {
  const finder = FINDERS[protocol];
  if (!finder || !isObject(value)) return [];
  const out: string[] = [];
  // Several protocol frames in one message: `joined` puts them in the one list of its value.
  const keys = Object.keys(value);
  const list = keys.length === 1 && keys[0] !== undefined ? value[keys[0]] : undefined;
  if (keys.length === 1 && keys[0] !== undefined && Array.isArray(list)) {
    const listPath = childPath('$', keys[0]);
    list.forEach((item, i) => {
      if (isObject(item)) finder(item, childPath(listPath, i), out);
    });
    return out;
  }
  finder(value, '$', out);
  return out;
}

/** A copy of `value` with each path's value replaced by the REDACTED marker (paths as credentialPaths gives them). */
function replaced(value: JsonValue, paths: readonly string[], at: string): JsonValue {
  if (paths.includes(at)) return REDACTED;
  if (!paths.some((path) => path.startsWith(at))) return value;
  if (Array.isArray(value)) return value.map((item, i) => replaced(item, paths, childPath(at, i)));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = replaced(item, paths, childPath(at, key));
    return out;
  }
  return value;
}

/** The decoded value with its credentials redacted, and their paths (the value itself when there are none). */
export function redactCredentials(protocol: string, value: JsonValue): { value: JsonValue; paths: string[] } {
  const paths = credentialPaths(protocol, value);
  return paths.length === 0 ? { value, paths } : { value: replaced(value, paths, '$'), paths };
}
