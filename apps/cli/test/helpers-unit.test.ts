import { describe, expect, it } from 'vitest';
import { chooseScope } from '../src/commands/tokens/list.js';
import { relativeTime } from '../src/lib/output.js';
import { redactToken } from '../src/lib/redact.js';

describe('redactToken', () => {
  it('keeps only the prefix and the last four characters', () => {
    expect(redactToken('hangar_AbCdEfGhIjKlMnOp_1a2B3c')).toBe('hangar_…2B3c');
    expect(redactToken('  hangar_short ')).toBe('hangar_…');
    expect(redactToken('something-else-entirely')).toBe('…rely');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-11-30T08:00:00Z');
  it('says how far a time is in the largest unit', () => {
    expect(relativeTime('2046-11-30T08:00:00Z', now)).toBe('in 20 years');
    expect(relativeTime('2026-11-30T05:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-11-30T08:00:01Z', now)).toBe('in 1 second');
    expect(relativeTime(null, now)).toBe('');
  });

  it('rounds to the nearest unit, and counts hours under 2 days', () => {
    // -x 2d, a few seconds later: not "in 1 day".
    expect(relativeTime('2026-12-02T07:59:55Z', now)).toBe('in 48 hours');
    expect(relativeTime('2026-12-03T07:59:55Z', now)).toBe('in 3 days');
    expect(relativeTime('2026-11-30T08:59:58Z', now)).toBe('in 1 hour');
    expect(relativeTime('2026-11-30T08:01:59Z', now)).toBe('in 2 minutes');
  });
});

describe('chooseScope', () => {
  it('defaults to app, and --org alone means org', () => {
    expect(chooseScope(undefined, 'acme-web', undefined)).toBe('app');
    expect(chooseScope(undefined, undefined, 'acme')).toBe('org');
    expect(chooseScope(undefined, 'acme-web', 'acme')).toBe('app');
    expect(chooseScope('org', 'acme-web', undefined)).toBe('org');
  });
  it('$HANGAR_ORG means org only when neither --app nor $HANGAR_APP is set', () => {
    expect(chooseScope(undefined, undefined, 'acme', '--app', '$HANGAR_ORG')).toBe('org');
    expect(chooseScope(undefined, 'acme-web', 'acme', '$HANGAR_APP', '$HANGAR_ORG')).toBe('app');
    expect(chooseScope(undefined, 'acme-web', 'acme', '$HANGAR_APP', '--org')).toBe('org');
  });
});
