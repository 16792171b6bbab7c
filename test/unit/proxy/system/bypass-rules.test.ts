// The bypass lists of OS proxy settings (ignore-hosts, NoProxyFor, ExceptionsList, ProxyOverride), one reading for all.
import { describe, expect, it } from 'vitest';
import { findBypassEntry } from '../../../../src-main/core/proxy/system/bypass-rules';

describe('findBypassEntry', () => {
  it.each<[string[], string, number, string | undefined]>([
    [['*'], 'anything.example', 443, '*'],
    [['<local>'], 'intranet', 443, '<local>'],
    [['<local>'], 'intranet.corp', 443, undefined],
    [['<local>'], '::1', 443, undefined],
    [['localhost'], 'LOCALHOST', 80, 'localhost'],
    [['localhost'], 'localhost.corp', 80, undefined],
    [['*.corp.example'], 'build.corp.example', 443, '*.corp.example'],
    [['*.corp.example'], 'corp.example', 443, undefined],
    [['*example.com'], 'myexample.com', 443, '*example.com'],
    [['.internal'], 'a.b.internal', 443, '.internal'],
    [['.internal'], 'internal', 443, undefined],
    [['10.*'], '10.1.2.3', 443, '10.*'],
    [['10.*'], '110.1.2.3', 443, undefined],
    [['127.0.0.0/8'], '127.1.2.3', 443, '127.0.0.0/8'],
    [['127.0.0.0/8'], 'localhost', 443, undefined],
    [['169.254/16'], '169.254.9.9', 443, '169.254/16'],
    [['169.254/16'], '169.255.9.9', 443, undefined],
    [['fe80::/10'], '[fe80::1]', 443, 'fe80::/10'],
    [['fe80::/10'], '10.0.0.1', 443, undefined],
    [['::1'], '[::1]', 443, '::1'],
    [['echo.example:8443'], 'echo.example', 8443, 'echo.example:8443'],
    [['echo.example:8443'], 'echo.example', 443, undefined],
    [['https://echo.example'], 'echo.example', 443, 'https://echo.example'],
    [['  ', '', 'other', ' ECHO.example '], 'echo.example', 443, 'ECHO.example'],
    [['10.0.0.0/99', '10.0.0.0/x', 'junk/8', '/'], '10.0.0.1', 443, undefined],
    [['(a+)+$', '[', 'a\\'], 'aaaa', 443, undefined],
    [['echo.example'], 'echo.example.', 443, 'echo.example'],
  ])('%j for %s:%d → %s', (entries, host, port, expected) => {
    expect(findBypassEntry(entries, host, port)).toBe(expected);
  });
});
