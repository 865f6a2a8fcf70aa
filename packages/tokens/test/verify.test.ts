import { describe, expect, it } from 'vitest';
import {
  type AccessRequest,
  attenuate,
  authenticate,
  authorize,
  type Caveat,
  type CaveatScope,
  decodeMacaroon,
  decodeTokenString,
  deriveRootKey,
  encodeMacaroon,
  encodeTokenString,
  inspect,
  isWithin,
  mint,
  newIdentifier,
  scopeOf,
  TokenFormatError,
  verify,
} from '../src/index.js';
import { chainSignature } from '../src/signature.js';

const MASTER = Buffer.from('test master key, 32 bytes long!!');
const rootKeyFor = (id: string) => deriveRootKey(MASTER, id);
const NOW = new Date('2026-11-30T08:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const ALL = ['read', 'write', 'create', 'delete', 'control'] as const;

function mintWith(caveats: Caveat[], identifier = newIdentifier()): string {
  return mint({ rootKey: rootKeyFor(identifier), identifier, caveats });
}

const orgA: Caveat = { type: 'org', org: 'org_a' };
const later: Caveat = { type: 'not-after', notAfter: NOW_S + 3600 };
const appReq = (app: string, action: AccessRequest['action'] = 'read'): AccessRequest => ({
  level: 'app',
  org: 'org_a',
  app,
  action,
});

describe('identifiers and root keys', () => {
  it('makes random tok_ + 32 hex identifiers', () => {
    const a = newIdentifier();
    expect(a).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(newIdentifier()).not.toBe(a);
  });

  it('derives a 32-byte root key per identifier', () => {
    expect(deriveRootKey(MASTER, 'tok_1')).toHaveLength(32);
    expect(deriveRootKey(MASTER, 'tok_1').equals(deriveRootKey(MASTER, 'tok_1'))).toBe(true);
    expect(deriveRootKey(MASTER, 'tok_1').equals(deriveRootKey(MASTER, 'tok_2'))).toBe(false);
  });
});

describe('mint and authenticate', () => {
  it('accepts a fresh token and returns its identifier, caveats and scope', () => {
    const token = mintWith([orgA, later], 'tok_abc');
    expect(token).toMatch(/^hangar_[A-Za-z0-9_-]+_[0-9A-Za-z]{6}$/);
    expect(authenticate(token, rootKeyFor, NOW)).toEqual({
      ok: true,
      identifier: 'tok_abc',
      caveats: [orgA, later],
      scope: { org: 'org_a', apps: null, actions: [...ALL], notAfter: NOW_S + 3600 },
    });
  });

  it('takes a fixed root key as well as a lookup function', () => {
    const token = mint({ rootKey: Buffer.from('k'), identifier: 'id', caveats: [] });
    expect(authenticate(token, Buffer.from('k'), NOW).ok).toBe(true);
  });

  it('accepts Bearer and whitespace around the token', () => {
    expect(authenticate(` Bearer ${mintWith([])}\n`, rootKeyFor, NOW).ok).toBe(true);
  });

  it('reports malformed input without throwing', () => {
    for (const bad of ['', 'nope', 'hangar_AAAA_000000', null, undefined, 7]) {
      const result = authenticate(bad as string, rootKeyFor, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('reports a bad signature for the wrong key', () => {
    const token = mintWith([orgA]);
    expect(authenticate(token, Buffer.from('other'), NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
      detail: 'token signature is not valid',
    });
  });

  it('reports a bad signature when a caveat is removed', () => {
    const token = mintWith([orgA, { type: 'actions', actions: ['read'] }]);
    const raw = decodeMacaroon(decodeTokenString(token));
    const stripped = encodeTokenString(
      encodeMacaroon({ ...raw, caveats: raw.caveats.slice(0, 1) }),
    );
    expect(authenticate(stripped, rootKeyFor, NOW)).toMatchObject({ reason: 'bad_signature' });
  });

  it('reports expiry after the not-after second, not at it', () => {
    const token = mintWith([{ type: 'not-after', notAfter: NOW_S }]);
    expect(authenticate(token, rootKeyFor, NOW).ok).toBe(true);
    expect(authenticate(token, rootKeyFor, new Date(NOW.getTime() + 1000))).toEqual({
      ok: false,
      reason: 'expired',
      detail: 'token expired at 2026-11-30T08:00:00Z',
    });
  });

  it('fails closed on an invalid clock', () => {
    const token = mintWith([]);
    expect(authenticate(token, rootKeyFor, new Date(Number.NaN))).toMatchObject({
      reason: 'expired',
    });
  });

  it('fails closed on a caveat it does not know, even when correctly signed', () => {
    const id = 'tok_x';
    const good = mintWith([orgA], id);
    const raw = decodeMacaroon(decodeTokenString(good));
    // Sign "ip = 10.0.0.1" properly with the real chain, as a foreign library would.
    const stillGood = attenuate(good, []);
    const caveat = { id: Buffer.from('ip = 10.0.0.1') };
    const forged = encodeTokenString(
      encodeMacaroon({
        ...raw,
        caveats: [...raw.caveats, caveat],
        signature: chainSignature(raw.signature, caveat),
      }),
    );
    expect(authenticate(stillGood, rootKeyFor, NOW).ok).toBe(true);
    expect(authenticate(forged, rootKeyFor, NOW)).toEqual({
      ok: false,
      reason: 'unknown_caveat',
      detail: 'unknown or malformed caveat "ip = 10.0.0.1"',
    });
  });

  it('fails closed on a third-party caveat', () => {
    const good = mintWith([]);
    const raw = decodeMacaroon(decodeTokenString(good));
    const caveat = {
      id: Buffer.from('org = org_a'),
      vid: Buffer.alloc(40, 1),
      location: 'https://x/',
    };
    const token = encodeTokenString(
      encodeMacaroon({
        ...raw,
        caveats: [caveat],
        signature: chainSignature(raw.signature, caveat),
      }),
    );
    expect(authenticate(token, rootKeyFor, NOW)).toMatchObject({
      ok: false,
      reason: 'unknown_caveat',
    });
    expect(inspect(token).caveats).toEqual([{ type: 'unknown', text: 'org = org_a' }]);
  });

  it('refuses to mint an invalid caveat', () => {
    expect(() => mintWith([{ type: 'actions', actions: [] }])).toThrow(TypeError);
  });

  it('keeps an optional location, unsigned as in all macaroons', () => {
    const token = mint({
      rootKey: Buffer.from('k'),
      identifier: 'id',
      location: 'https://api.hangar.dev',
      caveats: [],
    });
    expect(inspect(token).location).toBe('https://api.hangar.dev');
    expect(inspect(mintWith([])).location).toBeNull();
  });
});

describe('authorize', () => {
  const scope = (caveats: Caveat[]): CaveatScope => scopeOf(caveats);

  it('lets an unrestricted token do anything', () => {
    expect(authorize(scope([]), { level: 'org', org: 'any', action: 'delete' })).toEqual({
      ok: true,
    });
  });

  it('checks the actions caveat', () => {
    const s = scope([{ type: 'actions', actions: ['read'] }]);
    expect(authorize(s, { level: 'none', action: 'read' }).ok).toBe(true);
    expect(authorize(s, { level: 'none', action: 'write' })).toEqual({
      ok: false,
      reason: 'caveat_unmet',
      caveat: 'actions = read',
      detail: 'the token does not allow the write action',
    });
  });

  it('checks the org caveat at org and app level only', () => {
    const s = scope([orgA]);
    expect(authorize(s, { level: 'none', action: 'read' }).ok).toBe(true);
    expect(authorize(s, { level: 'org', org: 'org_a', action: 'create' }).ok).toBe(true);
    expect(authorize(s, appReq('web')).ok).toBe(true);
    expect(authorize(s, { level: 'org', org: 'org_b', action: 'read' })).toMatchObject({
      ok: false,
      caveat: 'org = org_a',
    });
    expect(authorize(s, { level: 'org', action: 'read' }).ok).toBe(false);
  });

  it('checks the apps caveat: per-app actions, never the whole org', () => {
    const s = scope([orgA, { type: 'apps', apps: { web: ['read', 'write'] } }]);
    expect(authorize(s, { level: 'none', action: 'read' }).ok).toBe(true);
    expect(authorize(s, appReq('web', 'write')).ok).toBe(true);
    expect(authorize(s, appReq('web', 'delete'))).toMatchObject({
      ok: false,
      caveat: 'apps = web:read+write',
    });
    expect(authorize(s, appReq('api'))).toMatchObject({ ok: false, reason: 'caveat_unmet' });
    expect(authorize(s, { level: 'app', org: 'org_a', action: 'read' }).ok).toBe(false);
    expect(authorize(s, { level: 'org', org: 'org_a', action: 'read' })).toMatchObject({
      ok: false,
      detail: 'the token is limited to apps and cannot act on the whole organization',
    });
  });

  it('is not fooled by app names that are Object.prototype keys', () => {
    const s = scope([{ type: 'apps', apps: { web: ['read'] } }]);
    for (const app of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(authorize(s, { level: 'app', app, action: 'read' }).ok).toBe(false);
    }
  });
});

describe('scope intersection', () => {
  it('intersects actions, apps and time', () => {
    expect(
      scopeOf([
        { type: 'actions', actions: ['read', 'write'] },
        { type: 'actions', actions: ['write', 'delete'] },
        { type: 'apps', apps: { a: ['read', 'write'], b: ['read'] } },
        { type: 'apps', apps: { a: ['write'], c: ['read'] } },
        { type: 'not-after', notAfter: 20 },
        { type: 'not-after', notAfter: 10 },
      ]),
    ).toEqual({ org: null, apps: { a: ['write'] }, actions: ['write'], notAfter: 10 });
  });

  it('allows nothing when two org caveats disagree', () => {
    const s = scopeOf([orgA, { type: 'org', org: 'org_b' }]);
    expect(s.actions).toEqual([]);
    for (const org of ['org_a', 'org_b']) {
      expect(authorize(s, { level: 'org', org, action: 'read' }).ok).toBe(false);
    }
    expect(authorize(s, { level: 'none', action: 'read' })).toMatchObject({
      caveat: 'actions = (none)',
    });
  });

  it('keeps an empty app set when apps caveats do not overlap', () => {
    const s = scopeOf([
      { type: 'apps', apps: { a: ['read'] } },
      { type: 'apps', apps: { b: ['read'] } },
    ]);
    expect(s.apps).toEqual({});
    expect(authorize(s, appReq('a')).ok).toBe(false);
    expect(authorize(s, appReq('b'))).toMatchObject({ caveat: 'apps = (none)' });
  });
});

describe('verify', () => {
  it('allows within scope and reports why it denies', () => {
    const token = mintWith([orgA, { type: 'actions', actions: ['read'] }, later]);
    expect(
      verify(token, rootKeyFor, { level: 'org', org: 'org_a', action: 'read' }, NOW),
    ).toMatchObject({
      ok: true,
    });
    expect(
      verify(token, rootKeyFor, { level: 'org', org: 'org_a', action: 'write' }, NOW),
    ).toMatchObject({
      ok: false,
      reason: 'caveat_unmet',
      caveat: 'actions = read',
    });
    expect(
      verify(
        token,
        rootKeyFor,
        { level: 'org', org: 'org_a', action: 'read' },
        new Date(NOW.getTime() + 7200_000),
      ),
    ).toMatchObject({ ok: false, reason: 'expired' });
    expect(verify('junk', rootKeyFor, { level: 'none', action: 'read' }, NOW)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('attenuate', () => {
  it('narrows offline and the server accepts the result', () => {
    const token = mintWith([orgA, later]);
    const narrowed = attenuate(token, [{ type: 'apps', apps: { web: ['read'] } }]);
    expect(verify(narrowed, rootKeyFor, appReq('web'), NOW).ok).toBe(true);
    expect(verify(narrowed, rootKeyFor, appReq('web', 'write'), NOW).ok).toBe(false);
    expect(verify(narrowed, rootKeyFor, appReq('api'), NOW).ok).toBe(false);
    expect(inspect(narrowed).identifier).toBe(inspect(token).identifier);
  });

  it('cannot widen: adding a broader caveat leaves the narrower one in force', () => {
    const token = mintWith([{ type: 'actions', actions: ['read'] }]);
    const attempt = attenuate(token, [{ type: 'actions', actions: [...ALL] }]);
    expect(verify(attempt, rootKeyFor, { level: 'none', action: 'write' }, NOW).ok).toBe(false);
  });

  it('throws TokenFormatError on a bad token and TypeError on a bad caveat', () => {
    expect(() => attenuate('hangar_nope_000000', [])).toThrow(TokenFormatError);
    expect(() => attenuate(mintWith([]), [{ type: 'org', org: '' }])).toThrow(TypeError);
  });
});

describe('inspect', () => {
  it('shows identifier, caveats and expiry but no signature', () => {
    const token = mintWith([orgA, later, { type: 'not-after', notAfter: NOW_S + 60 }], 'tok_i');
    const info = inspect(` Bearer ${token} `);
    expect(info).toEqual({
      identifier: 'tok_i',
      location: null,
      caveats: [orgA, later, { type: 'not-after', notAfter: NOW_S + 60 }],
      expiresAt: '2026-11-30T08:01:00Z',
      scope: { org: 'org_a', apps: null, actions: [...ALL], notAfter: NOW_S + 60 },
    });
    const sig = Buffer.from(decodeMacaroon(decodeTokenString(token)).signature);
    expect(JSON.stringify(info)).not.toContain(sig.toString('hex'));
    expect(JSON.stringify(info)).not.toContain(sig.toString('base64url'));
  });

  it('reports a token without not-after as never expiring', () => {
    expect(inspect(mintWith([])).expiresAt).toBeNull();
  });

  it('rejects a non-UTF-8 identifier as undecodable', () => {
    const bytes = encodeMacaroon({
      identifier: Buffer.from([0xff, 0xfe]),
      caveats: [],
      signature: Buffer.alloc(32),
    });
    expect(() => inspect(encodeTokenString(bytes))).toThrow(
      expect.objectContaining({ code: 'undecodable' }),
    );
  });
});

describe('isWithin (minting rule)', () => {
  const s = (caveats: Caveat[]) => scopeOf(caveats);
  it('accepts narrower children and the same scope', () => {
    const parent = s([orgA, later]);
    expect(isWithin(parent, parent)).toBe(true);
    expect(isWithin(s([orgA, { type: 'actions', actions: ['read'] }, later]), parent)).toBe(true);
    expect(isWithin(s([orgA, { type: 'apps', apps: { web: ['read'] } }, later]), parent)).toBe(
      true,
    );
    expect(isWithin(s([orgA, { type: 'not-after', notAfter: NOW_S }]), parent)).toBe(true);
    expect(isWithin(s([orgA]), s([]))).toBe(true);
  });

  it('rejects a child wider in any dimension', () => {
    const parent = s([
      orgA,
      { type: 'apps', apps: { web: ['read', 'write'] } },
      { type: 'actions', actions: ['read', 'write'] },
      later,
    ]);
    const base: Caveat[] = [
      orgA,
      { type: 'apps', apps: { web: ['read'] } },
      { type: 'actions', actions: ['read'] },
      later,
    ];
    expect(isWithin(s(base), parent)).toBe(true);
    expect(isWithin(s(base.filter((c) => c.type !== 'org')), parent)).toBe(false);
    expect(isWithin(s([{ type: 'org', org: 'org_b' }, ...base.slice(1)]), parent)).toBe(false);
    expect(isWithin(s(base.filter((c) => c.type !== 'apps')), parent)).toBe(false);
    expect(
      isWithin(
        s([...base.filter((c) => c.type !== 'apps'), { type: 'apps', apps: { api: ['read'] } }]),
        parent,
      ),
    ).toBe(false);
    expect(
      isWithin(
        s([...base.filter((c) => c.type !== 'apps'), { type: 'apps', apps: { web: ['delete'] } }]),
        parent,
      ),
    ).toBe(false);
    expect(isWithin(s(base.filter((c) => c.type !== 'actions')), parent)).toBe(false);
    expect(isWithin(s(base.filter((c) => c.type !== 'not-after')), parent)).toBe(false);
    expect(
      isWithin(
        s([
          ...base.filter((c) => c.type !== 'not-after'),
          { type: 'not-after', notAfter: NOW_S + 3601 },
        ]),
        parent,
      ),
    ).toBe(false);
  });
});
