import { describe, expect, it } from 'vitest';
import { ACTIONS, type Caveat, describeCaveat, formatCaveat, parseCaveat } from '../src/index.js';

describe('caveat text', () => {
  it('uses the canonical forms', () => {
    expect(formatCaveat({ type: 'org', org: 'org_01H' })).toBe('org = org_01H');
    expect(
      formatCaveat({ type: 'apps', apps: { app_2: ['read'], app_1: ['write', 'read', 'read'] } }),
    ).toBe('apps = app_1:read+write,app_2:read');
    expect(formatCaveat({ type: 'actions', actions: ['control', 'read', 'control'] })).toBe(
      'actions = read,control',
    );
    expect(formatCaveat({ type: 'not-after', notAfter: 2427148800 })).toBe(
      'not-after = 2046-11-30T00:00:00Z',
    );
  });

  it('lists actions in ACTIONS order', () => {
    expect(ACTIONS).toEqual(['read', 'write', 'create', 'delete', 'control']);
    expect(formatCaveat({ type: 'actions', actions: [...ACTIONS].reverse() })).toBe(
      'actions = read,write,create,delete,control',
    );
  });

  it('parses what it formats', () => {
    const caveats: Caveat[] = [
      { type: 'org', org: 'org_01H' },
      { type: 'apps', apps: { a: ['read'], b: ['write', 'delete'] } },
      { type: 'actions', actions: ['read', 'control'] },
      { type: 'not-after', notAfter: 0 },
      { type: 'not-after', notAfter: 253402300799 },
      { type: 'not-after', notAfter: Date.UTC(2048, 1, 29, 12, 34, 56) / 1000 },
      { type: 'not-after', notAfter: Date.UTC(2000, 1, 29) / 1000 },
      { type: 'not-after', notAfter: Date.UTC(2046, 11, 31, 23, 59, 59) / 1000 },
    ];
    for (const c of caveats) expect(parseCaveat(formatCaveat(c))).toEqual(c);
  });

  const rejected = [
    'account = 3735928559',
    'org = ',
    'org=org_1',
    'org  = org_1',
    'org = org_1 ',
    'org = org 1',
    'org = _org',
    'ORG = org_1',
    'apps = b:read,a:read',
    'apps = a:write+read',
    'apps = a:read,a:write',
    'apps = a:',
    'apps = a',
    'apps = a:read:write',
    'apps = a:fly',
    'apps = __proto__:read',
    'actions = write,read',
    'actions = read,read',
    'actions = ',
    'actions = admin',
    'not-after = 2046-11-30T08:00:00.000Z',
    'not-after = 2046-11-30T08:00:00+00:00',
    'not-after = 2046-02-30T08:00:00Z',
    'not-after = 2046-02-29T08:00:00Z',
    'not-after = 2100-02-29T00:00:00Z',
    'not-after = 2046-04-31T00:00:00Z',
    'not-after = 2046-13-01T00:00:00Z',
    'not-after = 2046-00-01T00:00:00Z',
    'not-after = 2046-01-00T00:00:00Z',
    'not-after = 2046-01-01T24:00:00Z',
    'not-after = 2046-01-01T23:60:00Z',
    'not-after = 2046-01-01T23:59:60Z',
    'not-after = 1969-12-31T23:59:59Z',
    'not-after = 2046-1a-01T00:00:00Z',
    'not-after = 2046/01/01T00:00:00Z',
    'not-after = 2046-11-30',
    'not-after = 1700000000',
    'org = org_1\n',
    'org = \u00f6rg',
  ];
  it.each(rejected)('rejects %j (fails closed)', (text) => {
    expect(parseCaveat(text)).toBeNull();
  });

  const invalid: [string, unknown][] = [
    ['unknown type', { type: 'ip', ip: '1.2.3.4' }],
    ['bad org id', { type: 'org', org: 'a,b' }],
    ['empty apps', { type: 'apps', apps: {} }],
    ['app without actions', { type: 'apps', apps: { a: [] } }],
    ['app id with colon', { type: 'apps', apps: { 'a:b': ['read'] } }],
    ['unknown action', { type: 'actions', actions: ['admin'] }],
    ['no actions', { type: 'actions', actions: [] }],
    ['fractional time', { type: 'not-after', notAfter: 1.5 }],
    ['negative time', { type: 'not-after', notAfter: -1 }],
    ['year 10000', { type: 'not-after', notAfter: 253402300800 }],
  ];
  it.each(invalid)('refuses to format a caveat with %s', (_name, caveat) => {
    expect(() => formatCaveat(caveat as Caveat)).toThrow(TypeError);
  });
});

describe('describeCaveat', () => {
  it('renders each caveat in words', () => {
    expect(describeCaveat({ type: 'org', org: 'org_x' })).toBe('only organization org_x');
    expect(describeCaveat({ type: 'apps', apps: { app_1: ['read', 'write'] } })).toBe(
      'only apps app_1 (read, write)',
    );
    expect(describeCaveat({ type: 'actions', actions: ['read'] })).toBe('only actions: read');
    expect(describeCaveat({ type: 'not-after', notAfter: 2427177600 })).toBe(
      'expires 2046-11-30T08:00:00Z',
    );
    expect(describeCaveat({ type: 'unknown', text: 'ip = 1.2.3.4' })).toBe(
      'unknown caveat "ip = 1.2.3.4" (the token is refused)',
    );
  });
});
