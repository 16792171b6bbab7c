/**
 * Negotiate (SPNEGO, RFC 4559) to a proxy with the signed-in user's Kerberos ticket: nothing is
 * typed. One GSSAPI context per connection: the first token answers the 407 that offered
 * Negotiate; a 407 carrying `Negotiate <token>` continues the same context on the same
 * connection. A failure to make the first token (no module, no ticket, unknown principal, …)
 * is `unusable`: the caller may then fall back to NTLM when the proxy offered it too.
 */
import type { NetErrorDetails } from '../../../shared/errors';
import type { ProxyAuthSent } from '../../../shared/model';
import { NetFailure, errorMessage } from '../../errors/net-failure';
import type { BoundRoundResult, ConnectionBoundScheme } from '../connection-bound-scheme';
import { gssCause, isVagueNoCredentials, kerberosFailure } from './gss-failure';
import { loadKerberos, type GssClient, type KerberosBinding, type KerberosLoader } from './kerberos-module';
import { parseServicePrincipal, principalText, type ServicePrincipal } from '../../../shared/service-principal';
import { defaultServicePrincipal, gssServiceName } from './service-principal';
import { describeNegotiateToken } from './spnego-token';

export interface NegotiateOptions {
  /** The proxy's host as written in its URL: the default principal is `HTTP@<host>`. */
  proxyHost: string;
  /** The connection's own service principal (`HTTP@proxy.corp.example`), when set. */
  servicePrincipal?: string;
  /** Tests stand for a machine without the module; by default the real one, loaded once. */
  loader?: KerberosLoader;
  platform?: NodeJS.Platform;
}

/** A round's result (connection-bound-scheme.ts): `unusable` when no first token could be made, so a fallback may follow. */
export type NegotiateResult = BoundRoundResult;

export class NegotiateSignIn implements ConnectionBoundScheme {
  private readonly options: NegotiateOptions;
  private client: GssClient | undefined;
  private binding: KerberosBinding | undefined;
  private principal: ServicePrincipal | undefined;

  constructor(options: NegotiateOptions) {
    this.options = options;
  }

  /** Whether a first token went out (a later 407 without a token is then a rejection). */
  get started(): boolean {
    return this.client !== undefined;
  }

  /** The service principal in the transcript's words (`HTTP@proxy`), or the setting as written when it is wrong. */
  get spnText(): string {
    const principal = this.resolvePrincipal();
    return principal.ok ? principalText(principal.principal) : (this.options.servicePrincipal ?? '');
  }

  /** The first token, for the 407 that offered Negotiate. */
  async first(details: NetErrorDetails): Promise<NegotiateResult> {
    const principal = this.resolvePrincipal();
    if (!principal.ok) {
      const failure = NetFailure.of('tunnel', 'PROXY_AUTH_UNSUPPORTED', { ...details, authScheme: 'Negotiate' }, {
        message: `The Negotiate service principal setting is not valid: ${principal.problem}.`,
      });
      return { kind: 'fail', failure };
    }
    this.principal = principal.principal;
    const spn = principalText(principal.principal);
    const load = await (this.options.loader ?? loadKerberos)();
    if (!load.ok) {
      const failure = NetFailure.of('tunnel', 'KERBEROS_UNAVAILABLE', { ...details, authScheme: 'Negotiate', servicePrincipal: spn }, {
        message: `The proxy asks for Negotiate (Kerberos), but Kerberos cannot be used here: ${load.missing}.`,
      });
      return { kind: 'unusable', failure, reason: 'the kerberos module cannot be loaded' };
    }
    this.binding = load.binding;
    const service = gssServiceName(principal.principal, this.options.platform);
    let libraryText: string;
    try {
      const client = await load.binding.initializeClient(service, 'spnego');
      const token = await client.step('');
      this.client = client;
      return { kind: 'send', header: `Negotiate ${token}`, sent: this.describe(token, spn) };
    } catch (error) {
      libraryText = errorMessage(error);
    }
    // SPNEGO says only "cannot find mechanisms"; plain Kerberos names the cache it looked in.
    const explained = isVagueNoCredentials(libraryText) ? await this.kerberosWords(service, libraryText) : libraryText;
    const cause = gssCause(explained, spn);
    const failure = kerberosFailure(cause, spn, explained, details);
    return { kind: 'unusable', failure, reason: cause.message.replace(/\.$/, '') };
  }

  /** The next token for a 407 that carried the proxy's `Negotiate <token>`. */
  async next(proxyToken: string, details: NetErrorDetails): Promise<NegotiateResult> {
    const client = this.client;
    const spn = this.principal ? principalText(this.principal) : this.spnText;
    if (!client) return { kind: 'fail', failure: NetFailure.of('tunnel', 'INTERNAL_ERROR', details, { message: 'A Negotiate continuation came before the first token.' }) };
    try {
      const token = await client.step(proxyToken);
      if (token === '') {
        return { kind: 'fail', failure: kerberosFailure({ code: 'KERBEROS_FAILED', message: `The proxy's Negotiate answer ended the exchange, yet it asks again (407).` }, spn, '', details) };
      }
      return { kind: 'send', header: `Negotiate ${token}`, sent: this.describe(token, spn) };
    } catch (error) {
      const libraryText = errorMessage(error);
      return { kind: 'fail', failure: kerberosFailure(gssCause(libraryText, spn), spn, libraryText, details) };
    }
  }

  private resolvePrincipal(): ReturnType<typeof parseServicePrincipal> {
    const setting = this.options.servicePrincipal;
    if (setting === undefined || setting.trim() === '') return { ok: true, principal: defaultServicePrincipal(this.options.proxyHost) };
    return parseServicePrincipal(setting);
  }

  /** The plain Kerberos mechanism's account of missing credentials (it names the cache). */
  private async kerberosWords(service: string, fallback: string): Promise<string> {
    try {
      await (await this.binding?.initializeClient(service, 'krb5'))?.step('');
      return fallback;
    } catch (error) {
      return errorMessage(error);
    }
  }

  private describe(token: string, spn: string): ProxyAuthSent {
    const info = describeNegotiateToken(token);
    return {
      scheme: 'Negotiate',
      spn,
      ...(info.mechanism !== undefined ? { mechanism: info.mechanism } : {}),
      ...(info.realm !== undefined ? { realm: info.realm } : {}),
      ...(info.principal !== undefined ? { ticketPrincipal: info.principal } : {}),
      ...(info.problem !== undefined ? { tokenProblem: info.problem } : {}),
    };
  }
}
