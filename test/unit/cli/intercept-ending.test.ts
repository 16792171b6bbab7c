/**
 * An intercepted connection's end in intercept's words (intercept-ending.ts): the relay's
 * 'closing' report wins over the engine's initiatedBy, whose 'client' is our own side.
 */
import { describe, expect, it } from 'vitest';
import { closedByText, httpSizeText } from '../../../src-main/cli/intercept-ending';

describe('closedByText', () => {
  it('names who began, from the relay when it said so', () => {
    expect(closedByText('client', { by: 'application' })).toBe(' (closed by the application)');
    expect(closedByText('client', { by: 'you', side: 'server' })).toBe(' (closed by you through intercept, sent to the server)');
    expect(closedByText('client', { by: 'you', side: 'client' })).toBe(' (closed by you through intercept, sent to the client)');
    expect(closedByText('client', { by: 'tunnelscope' })).toBe(' (closed by Tunnelscope)');
  });

  it('else from the session: the server, our side (Tunnelscope, never "the client"), or nobody', () => {
    expect(closedByText('server', undefined)).toBe(' (closed by the server)');
    expect(closedByText('client', undefined)).toBe(' (closed by Tunnelscope)');
    expect(closedByText('none', undefined)).toBe('');
  });
});

describe('httpSizeText', () => {
  it('"—" for no body, else the size as the app shows it', () => {
    expect(httpSizeText(null)).toBe('—');
    expect(httpSizeText(0)).toBe('0 B');
    expect(httpSizeText(1536)).toBe('1.5 KiB');
  });
});
