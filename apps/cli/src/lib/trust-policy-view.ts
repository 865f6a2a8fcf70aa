import type { TrustPolicy } from '@hangar/sdk';
import { UsageError } from './errors.js';
import type { Column } from './output.js';

/** The conditions as `claim=pattern` pairs, comma-separated (as `--condition` takes them). */
export function conditionsText(policy: TrustPolicy): string {
  return Object.entries(policy.conditions)
    .map(([claim, pattern]) => `${claim}=${pattern}`)
    .join(', ');
}

/** The grant in words: `deploy acme-web (read) 900s`. */
export function grantText(policy: TrustPolicy): string {
  const { kind, app, actions, expires_in } = policy.grant;
  return [kind, app, actions ? `(${actions.join(',')})` : undefined, `${expires_in}s`]
    .filter(Boolean)
    .join(' ');
}

export const TRUST_POLICY_COLUMNS: Column<TrustPolicy>[] = [
  { header: 'ID', get: (p) => p.id },
  { header: 'NAME', get: (p) => p.name, minWidth: 12 },
  { header: 'ISSUER', get: (p) => p.issuer, minWidth: 16, drop: 2 },
  { header: 'CONDITIONS', get: conditionsText, minWidth: 16 },
  { header: 'GRANT', get: grantText },
  { header: 'CREATED AT', get: (p) => p.created_at, drop: 1 },
];

/** Label/value pairs of one policy, for `trust-policies show` and `create`. */
export function trustPolicyFields(p: TrustPolicy): [string, string][] {
  return [
    ['Id', p.id],
    ['Name', p.name],
    ['Org', p.org],
    ['Issuer', p.issuer],
    ['Audience', p.audience],
    ['Conditions', conditionsText(p)],
    ['Grant', grantText(p)],
    ['Created by', p.created_by],
    ['Created at', p.created_at],
  ];
}

/** The trust policy id argument's pattern (the contract's `TrustPolicyId`). */
export const TRUST_POLICY_ID = /^tp_[0-9a-f]{16}$/;

/** The policy id argument, checked before anything is sent. @throws UsageError */
export function policyId(id: string): string {
  if (!TRUST_POLICY_ID.test(id)) {
    throw new UsageError(
      `Invalid trust policy id ${JSON.stringify(id)}: pass tp_ and 16 hex digits ("hangar trust-policies list" shows them).`,
    );
  }
  return id;
}

/**
 * `--condition claim=pattern` values as the API's `conditions` object (one pattern per claim,
 * all must match). A claim given twice is refused rather than keeping the last: the user meant
 * both to hold (or either), and silently dropping one could trust more subjects than intended.
 * @throws UsageError for a value that is not CLAIM=PATTERN, or a claim given twice
 */
export function conditionsOf(values: string[]): Record<string, string> {
  const conditions = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at < 1 || at === value.length - 1) {
      throw new UsageError(
        `Invalid --condition ${JSON.stringify(value)}: pass CLAIM=PATTERN, such as sub=repo:acme/web:* or ref=refs/heads/main.`,
      );
    }
    const claim = value.slice(0, at);
    if (conditions.has(claim)) {
      throw new UsageError(
        `--condition names the claim ${JSON.stringify(claim)} twice: pass one condition per claim (every condition must match); to allow alternatives, use one pattern with * (such as sub=repo:acme/*). Nothing was sent.`,
      );
    }
    conditions.set(claim, value.slice(at + 1));
  }
  return Object.fromEntries(conditions);
}
