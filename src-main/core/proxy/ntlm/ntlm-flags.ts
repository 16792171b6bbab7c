/**
 * The NTLM negotiate flags (MS-NLMP 2.2.2.5) and their names, so a decoded message says
 * `UNICODE, NTLM, EXTENDED_SESSIONSECURITY, TARGET_INFO` instead of `0xe28a8233`.
 */

export const NTLM_FLAGS = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  DATAGRAM: 0x00000040,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  OEM_DOMAIN_SUPPLIED: 0x00001000,
  OEM_WORKSTATION_SUPPLIED: 0x00002000,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  IDENTIFY: 0x00100000,
  REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  '128': 0x20000000,
  KEY_EXCH: 0x40000000,
  '56': 0x80000000,
} as const;

export type NtlmFlagName = keyof typeof NTLM_FLAGS;

/** Every flag set, by name, lowest bit first; a bit the specification leaves unused as `0x00000100`. */
export function flagNames(flags: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit += 1) {
    const value = (1 << bit) >>> 0;
    if ((flags & value) === 0) continue;
    const name = (Object.keys(NTLM_FLAGS) as NtlmFlagName[]).find((key) => NTLM_FLAGS[key] === value);
    names.push(name ?? `0x${value.toString(16).padStart(8, '0')}`);
  }
  return names;
}

/** The flags named, OR-ed together (unsigned). */
export function flagsOf(...names: NtlmFlagName[]): number {
  return names.reduce((flags, name) => (flags | NTLM_FLAGS[name]) >>> 0, 0);
}

export function hasFlag(flags: number, name: NtlmFlagName): boolean {
  return (flags & NTLM_FLAGS[name]) !== 0;
}
