/**
 * What a Negotiate token says that a support engineer needs, never the token itself: the
 * mechanism inside SPNEGO (Kerberos or NTLM) and, for Kerberos, the ticket's realm and service
 * principal, which travel in clear in the AP-REQ (RFC 4178 NegTokenInit → RFC 1964 token →
 * RFC 4120 AP-REQ → Ticket). A token that cannot be read gets `problem` in words, never a throw.
 *
 * The walk is a small DER reader rather than a general ASN.1 library: the Kerberos GSS token
 * puts two raw bytes (the token id) between its OID and the AP-REQ, which is not DER.
 */

export interface NegotiateTokenInfo {
  /** `Kerberos`, `NTLM`, or the mechanism's OID when it is neither. */
  mechanism?: string;
  /** The Kerberos ticket's realm (`CORP.EXAMPLE`). */
  realm?: string;
  /** The Kerberos ticket's service principal without the realm (`HTTP/proxy.corp.example`). */
  principal?: string;
  /** Why the token could not be read. */
  problem?: string;
}

interface Tlv {
  tag: number;
  value: Buffer;
  /** Offset just after this element in the buffer it was read from. */
  end: number;
}

const OID_SPNEGO = '1.3.6.1.5.5.2';
const OID_KRB5 = '1.2.840.113554.1.2.2';
const OID_KRB5_MS = '1.2.840.48018.1.2.2';
const OID_NTLM = '1.3.6.1.4.1.311.2.2.10';
const NTLM_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

class TokenProblem extends Error {}

function readTlv(buffer: Buffer, offset: number, what: string): Tlv {
  if (offset + 2 > buffer.length) throw new TokenProblem(`${what} is cut short`);
  const tag = buffer[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new TokenProblem(`${what} has a multi-byte tag`);
  let length = buffer[offset + 1] ?? 0;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new TokenProblem(`${what} has an unsupported length form`);
    if (start + count > buffer.length) throw new TokenProblem(`${what} is cut short`);
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (buffer[start + i] ?? 0);
    start += count;
  }
  const end = start + length;
  if (end > buffer.length) throw new TokenProblem(`${what} is cut short (${length} bytes announced, ${buffer.length - start} there)`);
  return { tag, value: buffer.subarray(start, end), end };
}

function expectTlv(buffer: Buffer, offset: number, tag: number, what: string): Tlv {
  const tlv = readTlv(buffer, offset, what);
  if (tlv.tag !== tag) throw new TokenProblem(`${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** The elements of a constructed value, in order. */
function children(value: Buffer, what: string): Tlv[] {
  const list: Tlv[] = [];
  let offset = 0;
  while (offset < value.length) {
    const tlv = readTlv(value, offset, what);
    list.push(tlv);
    offset = tlv.end;
  }
  return list;
}

/** The context-tagged field [n] of a SEQUENCE's elements. */
function field(elements: readonly Tlv[], n: number): Buffer | undefined {
  return elements.find((e) => e.tag === (0xa0 | n))?.value;
}

function oidText(value: Buffer): string {
  const first = value[0] ?? 0;
  const arcs = [Math.floor(first / 40), first % 40];
  let arc = 0;
  for (const byte of value.subarray(1)) {
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
    }
  }
  return arcs.join('.');
}

function mechanismName(oid: string): string {
  if (oid === OID_KRB5 || oid === OID_KRB5_MS) return 'Kerberos';
  if (oid === OID_NTLM) return 'NTLM';
  return oid;
}

/** A GeneralString (Kerberos realm and name parts are ASCII in practice). */
function generalString(value: Buffer | undefined, what: string): string {
  if (value === undefined) throw new TokenProblem(`${what} is missing`);
  return expectTlv(value, 0, 0x1b, what).value.toString('latin1');
}

/** RFC 1964 token: [APPLICATION 0] { OID, TOK_ID (2 bytes), AP-REQ }. */
function kerberosToken(token: Buffer): NegotiateTokenInfo {
  const outer = expectTlv(token, 0, 0x60, 'the Kerberos token');
  const oid = expectTlv(outer.value, 0, 0x06, 'the Kerberos token mechanism');
  const mechanism = mechanismName(oidText(oid.value));
  if (mechanism !== 'Kerberos') return { mechanism };
  const tokenId = outer.value.subarray(oid.end, oid.end + 2).toString('hex');
  // 0200 is the proxy's AP-REP (mutual authentication): nothing in it to show.
  if (tokenId === '0200') return { mechanism };
  if (tokenId === '0300') return { mechanism, problem: 'the token is a Kerberos error (KRB-ERROR)' };
  if (tokenId !== '0100') return { mechanism, problem: `the Kerberos token is not an AP-REQ (token id ${tokenId})` };
  const apReq = expectTlv(outer.value, oid.end + 2, 0x6e, 'the AP-REQ');
  const apFields = children(expectTlv(apReq.value, 0, 0x30, 'the AP-REQ').value, 'the AP-REQ');
  const ticketField = field(apFields, 3);
  if (ticketField === undefined) throw new TokenProblem('the AP-REQ has no ticket');
  const ticket = expectTlv(ticketField, 0, 0x61, 'the ticket');
  const ticketFields = children(expectTlv(ticket.value, 0, 0x30, 'the ticket').value, 'the ticket');
  const realm = generalString(field(ticketFields, 1), "the ticket's realm");
  const sname = field(ticketFields, 2);
  if (sname === undefined) throw new TokenProblem("the ticket's service name is missing");
  const nameFields = children(expectTlv(sname, 0, 0x30, "the ticket's service name").value, "the ticket's service name");
  const parts = field(nameFields, 1);
  if (parts === undefined) throw new TokenProblem("the ticket's service name has no parts");
  const strings = children(expectTlv(parts, 0, 0x30, "the service name's parts").value, "the service name's parts");
  const principal = strings.map((s, i) => (s.tag === 0x1b ? s.value.toString('latin1') : `?${i}`)).join('/');
  return { mechanism, realm, principal };
}

/** The inner mechanism token of an SPNEGO NegTokenInit (or a NegTokenResp's response token). */
function spnegoInner(negotiation: Buffer): NegotiateTokenInfo {
  const choice = readTlv(negotiation, 0, 'the SPNEGO token');
  if (choice.tag !== 0xa0 && choice.tag !== 0xa1) throw new TokenProblem(`the SPNEGO token is neither NegTokenInit nor NegTokenResp (tag 0x${choice.tag.toString(16)})`);
  const fields = children(expectTlv(choice.value, 0, 0x30, 'the SPNEGO token').value, 'the SPNEGO token');
  // NegTokenInit: [0] mechTypes, [2] mechToken; NegTokenResp: [1] supportedMech, [2] responseToken.
  const mechList = choice.tag === 0xa0 ? field(fields, 0) : undefined;
  const listed = mechList ? children(expectTlv(mechList, 0, 0x30, 'the mechanism list').value, 'the mechanism list').map((m) => oidText(m.value)) : [];
  const supported = choice.tag === 0xa1 ? field(fields, 1) : undefined;
  const preferred = supported ? oidText(expectTlv(supported, 0, 0x06, 'the supported mechanism').value) : listed[0];
  const inner = field(fields, 2);
  if (inner === undefined) return preferred ? { mechanism: mechanismName(preferred) } : {};
  const mechToken = expectTlv(inner, 0, 0x04, 'the mechanism token').value;
  return innerToken(mechToken, preferred);
}

function innerToken(token: Buffer, preferred: string | undefined): NegotiateTokenInfo {
  if (token.subarray(0, NTLM_SIGNATURE.length).equals(NTLM_SIGNATURE)) return { mechanism: 'NTLM' };
  if (token[0] === 0x60) return kerberosToken(token);
  return preferred ? { mechanism: mechanismName(preferred) } : { problem: 'the mechanism token is neither Kerberos nor NTLM' };
}

/** The token of a `Negotiate <base64>` header, decoded. */
export function describeNegotiateToken(base64: string): NegotiateTokenInfo {
  const token = Buffer.from(base64, 'base64');
  if (token.length === 0) return { problem: 'the token is empty' };
  try {
    if (token[0] !== 0x60) return token[0] === 0xa1 ? spnegoInner(token) : innerToken(token, undefined);
    const outer = expectTlv(token, 0, 0x60, 'the token');
    const oid = oidText(expectTlv(outer.value, 0, 0x06, "the token's mechanism").value);
    if (oid === OID_SPNEGO) {
      const afterOid = readTlv(outer.value, 0, "the token's mechanism").end;
      return spnegoInner(outer.value.subarray(afterOid));
    }
    return kerberosToken(token);
  } catch (error) {
    if (error instanceof TokenProblem) return { problem: error.message };
    throw error;
  }
}
