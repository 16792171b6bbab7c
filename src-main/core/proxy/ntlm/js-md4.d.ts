// js-md4 ships no type declarations; this is the part of its API (v0.3.2) the NTLM code uses.
declare module 'js-md4' {
  interface Md4 {
    /** The digest of the bytes (or a UTF-8 string) as an ArrayBuffer. */
    arrayBuffer(message: ArrayBuffer | Uint8Array | string): ArrayBuffer;
  }
  const md4: Md4;
  export default md4;
}
