/**
 * A scripted proxy that signs users in with NTLM as a corporate gateway does: a CONNECT without
 * credentials gets 407 offering NTLM and Basic; on the same kept connection the NEGOTIATE gets a
 * 407 with a CHALLENGE naming the proxy (domain CORP, server PROXY1), and an AUTHENTICATE from
 * the expected user and domain opens the tunnel to 127.0.0.1:`targetPort`. It reads the
 * AUTHENTICATE with the engine's own decoder; it does not check the NTLMv2 hash (as Squid's
 * ntlm_fake_auth does not), which the unit tests check against the MS-NLMP vectors.
 */
import { decodeAuthenticate } from '../../../src-main/core/proxy/ntlm/ntlm-messages';
import { startFakeProxy, type FakeProxy, type FakeProxyContext } from '../../support/fake-proxy';

/** A CHALLENGE: flags UNICODE|NTLM|TARGET_TYPE_DOMAIN|TARGET_INFO|EXTENDED_SESSIONSECURITY, target "CORP", NetBIOS domain CORP and server PROXY1. */
function challengeToken(): string {
  const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');
  const target = utf16('CORP');
  const pair = (id: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([id, 0, value.length & 0xff, value.length >> 8]), value]);
  const info = Buffer.concat([pair(2, utf16('CORP')), pair(1, utf16('PROXY1')), pair(0, Buffer.alloc(0))]);
  const header = Buffer.alloc(48);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(target.length, 12);
  header.writeUInt16LE(target.length, 14);
  header.writeUInt32LE(48, 16);
  header.writeUInt32LE(0x00000001 | 0x00000200 | 0x00010000 | 0x00080000 | 0x00800000, 20);
  Buffer.from('0123456789abcdef', 'hex').copy(header, 24);
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(48 + target.length, 44);
  return Buffer.concat([header, target, info]).toString('base64');
}

function keep407(context: FakeProxyContext, offer: string): void {
  context.socket.write(`HTTP/1.1 407 Proxy Authentication Required\r\n${offer}Content-Length: 0\r\n\r\n`);
  context.next();
}

export interface NtlmProxy extends FakeProxy {
  /** Who signed in (the AUTHENTICATE's domain and user), in order. */
  readonly signedIn: string[];
}

export async function startNtlmProxy(user: string, domain: string, targetPort: number): Promise<NtlmProxy> {
  const signedIn: string[] = [];
  const proxy = await startFakeProxy((context) => {
    const sent = context.header('proxy-authorization');
    if (sent === undefined || !sent.startsWith('NTLM ')) {
      keep407(context, 'Proxy-Authenticate: NTLM\r\nProxy-Authenticate: Basic realm="corp"\r\n');
      return;
    }
    const bytes = Buffer.from(sent.slice(5), 'base64');
    const type = bytes.length >= 12 ? bytes.readUInt32LE(8) : 0;
    if (type === 1) {
      keep407(context, `Proxy-Authenticate: NTLM ${challengeToken()}\r\n`);
      return;
    }
    const message = type === 3 ? decodeAuthenticate(bytes) : undefined;
    if (message !== undefined) signedIn.push(`${message.domain}\\${message.user}`);
    if (message?.user === user && message.domain === domain) {
      context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
      return;
    }
    context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return Object.assign(proxy, { signedIn });
}
