// Property tests (fast-check): the security claims, over random tokens, caveats and requests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type AccessRequest,
  type Action,
  attenuate,
  authenticate,
  type Caveat,
  decodeMacaroon,
  decodeTokenString,
  deriveRootKey,
  encodeTokenString,
  inspect,
  isWithin,
  mint,
  TokenFormatError,
  verify,
} from '../src/index.js';

const MASTER = Buffer.from('property test master key');
const rootKeyFor = (id: string) => deriveRootKey(MASTER, id);
const T0 = 2_000_000_000;

const ORGS = ['org_a', 'org_b'];
const APPS = ['app_1', 'app_2', 'app_3'];
const actions = fc.subarray([...ACTIONS] as Action[], { minLength: 1 });
const appsRecord = fc.dictionary(fc.constantFrom(...APPS), actions, { minKeys: 1 });
const caveat: fc.Arbitrary<Caveat> = fc.oneof(
  fc.constantFrom(...ORGS).map((org): Caveat => ({ type: 'org', org })),
  appsRecord.map((apps): Caveat => ({ type: 'apps', apps })),
  actions.map((a): Caveat => ({ type: 'actions', actions: a })),
  fc
    .integer({ min: T0 - 100, max: T0 + 100 })
    .map((notAfter): Caveat => ({ type: 'not-after', notAfter })),
);
const caveats = fc.array(caveat, { maxLength: 5 });
const request: fc.Arbitrary<AccessRequest> = fc.record(
  {
    level: fc.constantFrom('none', 'org', 'app'),
    org: fc.constantFrom(...ORGS, 'org_c'),
    app: fc.constantFrom(...APPS, 'app_9'),
    action: fc.constantFrom(...ACTIONS),
  },
  { requiredKeys: ['level', 'action'] },
);
const now = fc.integer({ min: T0 - 150, max: T0 + 150 }).map((s) => new Date(s * 1000));
const identifier = fc.stringMatching(/^tok_[0-9a-f]{32}$/);

function mintRandom(id: string, list: Caveat[]): string {
  return mint({ rootKey: rootKeyFor(id), identifier: id, caveats: list });
}

function onlyFormatErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof TokenFormatError)) throw error;
  }
}

describe('properties', () => {
  it('attenuation never widens access', () => {
    let allowed = 0;
    fc.assert(
      fc.property(identifier, caveats, caveats, request, now, (id, base, extra, req, at) => {
        const original = mintRandom(id, base);
        const narrowed = attenuate(original, extra);
        if (verify(narrowed, rootKeyFor, req, at).ok) {
          allowed++;
          expect(verify(original, rootKeyFor, req, at).ok).toBe(true);
        }
        const parent = inspect(original).scope;
        expect(isWithin(inspect(narrowed).scope, parent)).toBe(true);
      }),
      { numRuns: 500 },
    );
    // Guard against a vacuous pass: some attenuated tokens must still be allowed something.
    expect(allowed).toBeGreaterThan(25);
  });

  it('any changed byte of the binary macaroon fails verification', () => {
    fc.assert(
      fc.property(
        identifier,
        caveats,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (id, list, at, delta) => {
          const token = mintRandom(id, list);
          const bytes = Buffer.from(decodeTokenString(token));
          const i = at % bytes.length;
          bytes[i] = ((bytes[i] as number) + delta) & 0xff;
          // A fresh, correct checksum: the change must be caught by parsing or the signature.
          const result = authenticate(encodeTokenString(bytes), rootKeyFor, new Date(0));
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('any changed character of the token string fails its prefix or checksum check', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(
        identifier,
        caveats,
        fc.nat(),
        fc.constantFrom(...alphabet),
        (id, list, at, ch) => {
          const token = mintRandom(id, list);
          const i = at % token.length;
          fc.pre(token[i] !== ch);
          const changed = token.slice(0, i) + ch + token.slice(i + 1);
          const expected = i < 'hangar_'.length ? 'wrong_prefix' : 'bad_checksum';
          expect(() => decodeTokenString(changed)).toThrow(
            expect.objectContaining({ code: expected }),
          );
          expect(authenticate(changed, rootKeyFor, new Date(0))).toMatchObject({
            ok: false,
            reason: 'malformed',
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('decoding random strings throws nothing but TokenFormatError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `hangar_${s}`),
        ),
        (s) => {
          onlyFormatErrors(() => decodeTokenString(s));
          onlyFormatErrors(() => inspect(s));
          expect(authenticate(s, rootKeyFor, new Date()).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('decoding random bytes behind a valid checksum throws nothing but TokenFormatError', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Mostly-plausible macaroons: version 2 and small field types and lengths.
      fc
        .array(fc.integer({ min: 0, max: 8 }), { maxLength: 80 })
        .map((a) => Uint8Array.from([2, ...a])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        onlyFormatErrors(() => decodeMacaroon(b));
        const token = encodeTokenString(b);
        onlyFormatErrors(() => inspect(token));
        expect(authenticate(token, rootKeyFor, new Date()).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
