/**
 * The optional `kerberos` module (GSSAPI on Linux/macOS, SSPI on Windows), loaded on the first
 * Negotiate offer and not before: most users never meet a Kerberos proxy, and where the module
 * could not be built `npm install` still succeeded. What the module hands back is checked
 * (it crossed a boundary), and a load that fails says what is missing and how to get it.
 */

/** One GSSAPI security context: a token per call, from the proxy's token ('' for the first). */
export interface GssClient {
  step(challenge: string): Promise<string>;
  /** True once the library considers the context established. */
  readonly contextComplete: boolean;
}

/** What Tunnelscope uses of the module. */
export interface KerberosBinding {
  /** `service` is `HTTP@host` (GSSAPI) or `HTTP/host` (SSPI); `mech` SPNEGO or plain Kerberos. */
  initializeClient(service: string, mech: 'spnego' | 'krb5'): Promise<GssClient>;
}

export type KerberosLoad = { ok: true; binding: KerberosBinding } | { ok: false; missing: string };

/** Loads the module; tests pass their own to stand for a machine without it. */
export type KerberosLoader = () => Promise<KerberosLoad>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** A `step` result or a client as the native code gave it, checked. */
function checkedClient(value: unknown): GssClient {
  if (!isRecord(value) || typeof value.step !== 'function') {
    throw new Error('the kerberos module returned a client without a step function');
  }
  const client = value;
  const step = value.step;
  return {
    async step(challenge: string): Promise<string> {
      const token: unknown = await Reflect.apply(step, client, [challenge]);
      if (typeof token !== 'string') throw new Error('the kerberos module returned a token that is not a string');
      return token;
    },
    get contextComplete(): boolean {
      return client.contextComplete === true;
    },
  };
}

/** The module's exports (CommonJS: the namespace's default, or the namespace itself), checked. */
export function bindingFrom(namespace: unknown): KerberosBinding | string {
  const candidate = isRecord(namespace) && isRecord(namespace.default) ? namespace.default : namespace;
  if (!isRecord(candidate)) return 'the kerberos module exports nothing';
  const { initializeClient, GSS_MECH_OID_SPNEGO: spnego, GSS_MECH_OID_KRB5: krb5 } = candidate;
  if (typeof initializeClient !== 'function') return 'the kerberos module has no initializeClient function';
  if (typeof spnego !== 'number' || typeof krb5 !== 'number') return 'the kerberos module has no GSS_MECH_OID_SPNEGO / GSS_MECH_OID_KRB5';
  return {
    async initializeClient(service, mech) {
      const client: unknown = await Reflect.apply(initializeClient, candidate, [service, { mechOID: mech === 'spnego' ? spnego : krb5 }]);
      return checkedClient(client);
    },
  };
}

const BUILD_HOW =
  'it builds from source when installed: install libkrb5-dev (Debian/Ubuntu; krb5-devel on Fedora) and a C++ toolchain (build-essential, python3), ' +
  "point npm_config_nodedir at the installed Node's prefix (e.g. npm_config_nodedir=/usr), then run `npm rebuild kerberos`";

/** What is missing, in words, from the error a failed import threw. */
export function missingFrom(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  const library = /Opening library (\S+) failed/.exec(message)?.[1] ?? /(lib(?:gssapi_krb5|krb5|com_err)[^\s:]*): cannot open shared object/.exec(message)?.[1];
  if (library !== undefined) {
    return `the system's Kerberos library ${library} is missing (install libgssapi-krb5-2 on Debian/Ubuntu, krb5-libs on Fedora): ${message}`;
  }
  if (/kerberos\.node/.test(message)) {
    return `the optional kerberos module is installed but its native part was not built (${message}); ${BUILD_HOW}`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different/.test(message)) {
    return `the kerberos module was built for another Node or Electron version (${message}); rebuild it for this one: \`npm rebuild kerberos\` (the desktop app's packaging rebuilds it for Electron)`;
  }
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return `the optional kerberos module is not installed (npm could not build it); ${BUILD_HOW}`;
  }
  return `the kerberos module could not be loaded (${message}); ${BUILD_HOW}`;
}

/** The real module, imported on first use. */
export const importKerberos: KerberosLoader = async () => {
  try {
    const namespace: unknown = await import('kerberos');
    const binding = bindingFrom(namespace);
    return typeof binding === 'string' ? { ok: false, missing: binding } : { ok: true, binding };
  } catch (error) {
    return { ok: false, missing: missingFrom(error) };
  }
};

let loaded: Promise<KerberosLoad> | undefined;

/** The module, loaded once per process (a failed load is remembered too: it will not build itself). */
export function loadKerberos(): Promise<KerberosLoad> {
  loaded ??= importKerberos();
  return loaded;
}
