import { UsageError } from './errors.js';
import { printable } from './output.js';

/** One kind of name or id the CLI sends in a URL path or request body. */
export interface NameRule {
  /** What the value is, for messages: "an app name". */
  what: string;
  /** The contract's `pattern` for it (openapi/hangar.yaml). */
  pattern: RegExp;
  /** The contract's `x-hangar-rule`: the pattern in words. */
  rule: string;
  /** A valid example, from the contract's examples. */
  example: string;
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_RULE =
  'a DNS label: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen';

/**
 * The patterns of the contract's path parameters and of `CreateMachineRequest.region`, copied
 * from openapi/hangar.yaml (schemas Slug, AppName, TokenId; parameter MachineId). The CLI checks
 * every id and name it is given against them before sending anything, so a value such as `..`
 * can never reach a URL. test/lib/names.test.ts fails when they drift from the contract.
 */
export const NAME_RULES = {
  org: { what: 'an organization slug', pattern: DNS_LABEL, rule: DNS_LABEL_RULE, example: 'acme' },
  app: { what: 'an app name', pattern: DNS_LABEL, rule: DNS_LABEL_RULE, example: 'acme-web' },
  machine: {
    what: 'a machine id',
    pattern: /^m_[0-9a-f]{16}$/,
    rule: 'a machine id: m_ and 16 lowercase hex digits',
    example: 'm_3f9a0c1d2e4b5a69',
  },
  token: {
    what: 'a token id',
    pattern: /^tok_[0-9a-f]{32}$/,
    rule: 'a token id: tok_ and 32 lowercase hex digits',
    example: 'tok_3f9a0c1d2e4b5a697788990011223344',
  },
  region: {
    what: 'a region',
    pattern: /^[a-z]{3}$/,
    rule: 'one of the listed region codes, such as iad or ams',
    example: 'iad',
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/**
 * The region codes of the contract's `CreateMachineRequest.region` enum (Fly.io's public region
 * codes), copied from openapi/hangar.yaml; `machines run --region` offers exactly these.
 * test/lib/names.test.ts fails when they drift from the contract.
 */
export const REGIONS = [
  'ams',
  'arn',
  'atl',
  'bog',
  'bom',
  'bos',
  'cdg',
  'den',
  'dfw',
  'ewr',
  'eze',
  'fra',
  'gdl',
  'gig',
  'gru',
  'hkg',
  'iad',
  'jnb',
  'lax',
  'lhr',
  'mad',
  'mia',
  'nrt',
  'ord',
  'otp',
  'phx',
  'qro',
  'scl',
  'sea',
  'sin',
  'sjc',
  'syd',
  'waw',
  'yul',
  'yyz',
] as const;

/**
 * Returns `value` when it matches the contract's pattern for `kind`, before any request.
 *
 * @param where how the user gave it, for the message: `--app`, `the ID argument`, `$HANGAR_APP`
 * @throws UsageError (exit 2): `Invalid --app "..": an app name is a DNS label: ... (e.g. acme-web).`
 */
export function checkName(kind: NameKind, value: string, where: string): string {
  const { what, pattern, rule, example } = NAME_RULES[kind];
  if (pattern.test(value)) return value;
  const described = rule.startsWith(`${what}:`) ? rule.slice(what.length + 1).trim() : rule;
  throw new UsageError(
    `Invalid ${where} ${printable(JSON.stringify(value))}: ${what} is ${described} (e.g. ${example}).`,
  );
}
