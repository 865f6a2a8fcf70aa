import { Args, Flags } from '@oclif/core';
import { NOT_FROM_STDIN } from './args.js';
import { UsageError } from './errors.js';
import { checkName } from './names.js';

/**
 * Where a flag's value came from, for messages: the flag as typed (`--org`) or its environment
 * variable (`$HANGAR_ORG`). oclif reads the variable (`env:`) when the flag is not given, and
 * ignores an empty one; the CLI also treats a whitespace-only value as unset.
 */
export type FlagSource = `--${string}` | `$${string}`;

/** `-o/--org ORG`, else $HANGAR_ORG (oclif's `env:`); resolved by {@link resolveOrg}. */
export const orgFlag = Flags.string({
  char: 'o',
  summary: 'Organization slug.',
  env: 'HANGAR_ORG',
  helpValue: 'ORG',
});

/** `-a/--app APP`, else $HANGAR_APP (oclif's `env:`); resolved by {@link resolveApp}. */
export const appFlag = Flags.string({
  char: 'a',
  summary: 'App name.',
  env: 'HANGAR_APP',
  helpValue: 'APP',
});

/** The machine ID argument, checked against the contract's pattern before anything is sent. */
export const machineIdArg = Args.string({
  ...NOT_FROM_STDIN,
  description: 'Machine id (m_ and 16 hex digits).',
  required: true,
  parse: async (value) => checkName('machine', value.trim(), 'machine ID'),
});

/** An app NAME argument, checked against the contract's pattern before anything is sent. */
export const appNameArg = Args.string({
  ...NOT_FROM_STDIN,
  description: 'App name (a DNS label).',
  required: true,
  parse: async (value) => checkName('app', value.trim(), 'app NAME'),
});

/** `-y/--yes`: skip the typed confirmation of a destructive command (see confirmDestroy). */
export const yesFlag = Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation.' });

/** `-n/--name NAME` with a per-command default; `exclusive` names flags it cannot go with. */
export function nameFlag(defaultName: string, exclusive: string[] = []) {
  return Flags.string({
    char: 'n',
    exclusive,
    summary: 'Name of the token, shown in "tokens list".',
    default: defaultName,
    helpValue: 'NAME',
  });
}

/** A parsed `--expiry`: the text as typed (quoted in messages) and its length in seconds. */
export interface Expiry {
  text: string;
  seconds: number;
}

/**
 * `-x/--expiry DURATION` as an oclif custom flag (sf-plugins-core's duration flag): a Go duration
 * plus `d` for days, parsed into whole seconds by the SDK's parseExpiry (zero, negative,
 * sub-second and overflowing values refused). The value is not trimmed: Go refuses ` 1h`, so
 * the CLI does too. A bad value exits 2 quoting the input and listing the valid units.
 */
export const durationFlag = Flags.custom<Expiry>({
  char: 'x',
  helpValue: 'DURATION',
  parse: async (text) => {
    const { parseExpiry, DurationError } = await import('@hangar/sdk');
    try {
      return { text, seconds: parseExpiry(text) };
    } catch (error) {
      if (error instanceof DurationError) {
        const reason = error.message.replace(/^invalid duration "(?:[^"\\]|\\.)*":\s*/, '');
        throw new UsageError(`Invalid --expiry ${JSON.stringify(text)}: ${reason}`);
      }
      throw error;
    }
  },
});

/**
 * `--expiry` of the token-creating commands. Left out, the request carries no `expires_in` and
 * the server applies its default: 20 years (631152000 s), shortened to the creating token's
 * remaining life when that is shorter. An explicit value that outlives the creating token is
 * refused (403 exceeds_token_lifetime).
 */
export const expiryFlag = durationFlag({
  summary: 'How long the token lives: a Go duration such as 720h, 30d or 1h30m.',
  description:
    "Default: 20 years, shortened to the remaining life of the token creating it when that is shorter. An explicit --expiry that outlives the creating token is refused. flyctl's 175200h0m0s is accepted.",
});

/**
 * The organization for a command, if any: the ORG argument or `--org` / $HANGAR_ORG (they must
 * agree), else undefined. Blank counts as unset. Checked against the contract's slug pattern
 * ({@link checkName}).
 *
 * @param where where `flag` came from (`--org` or `$HANGAR_ORG`), see HangarCommand.flagSource
 * @throws UsageError when the argument and the flag differ, or when the slug is not a DNS label
 */
export function optionalOrg(
  arg: string | undefined,
  flag: string | undefined,
  where: FlagSource = '--org',
): string | undefined {
  const fromArg = arg?.trim();
  // The argument overrides $HANGAR_ORG; only a typed --org can contradict it.
  const fromFlag = fromArg && where.startsWith('$') ? undefined : flag?.trim();
  if (fromArg && fromFlag && fromArg !== fromFlag) {
    throw new UsageError(
      `Two different organizations given: "${fromArg}" and ${where} "${fromFlag}"; pass one.`,
    );
  }
  if (fromArg) return checkName('org', fromArg, 'ORG argument');
  return fromFlag ? checkName('org', fromFlag, where) : undefined;
}

/**
 * The organization for a command: the ORG argument, `--org` or $HANGAR_ORG ({@link optionalOrg}).
 *
 * @param ways how this command takes one, for the message (a command without an ORG argument
 *   must not mention it): default `--org ORG (or the ORG argument)`
 * @throws UsageError saying how to pass one when there is none
 */
export function resolveOrg(
  arg: string | undefined,
  flag: string | undefined,
  where: FlagSource = '--org',
  ways = '--org ORG (or the ORG argument)',
): string {
  const org = optionalOrg(arg, flag, where);
  if (!org) {
    throw new UsageError(
      `No organization given: pass ${ways}, or set HANGAR_ORG. "hangar orgs list" shows yours.`,
    );
  }
  return org;
}

/**
 * The app for a command, if any: `--app` or $HANGAR_APP, else undefined (blank counts as unset).
 * Checked against the contract's app name pattern ({@link checkName}).
 *
 * @param where where `flag` came from (`--app` or `$HANGAR_APP`), see HangarCommand.flagSource
 * @throws UsageError when the name is not a DNS label
 */
export function optionalApp(
  flag: string | undefined,
  where: FlagSource = '--app',
): string | undefined {
  const fromFlag = flag?.trim();
  return fromFlag ? checkName('app', fromFlag, where) : undefined;
}

/**
 * The app for a command: `--app` or $HANGAR_APP ({@link optionalApp}).
 *
 * @throws UsageError saying how to pass one when there is none, or when it is not a DNS label
 */
export function resolveApp(flag: string | undefined, where: FlagSource = '--app'): string {
  const app = optionalApp(flag, where);
  if (!app) {
    throw new UsageError(
      'No app given: pass --app APP, or set HANGAR_APP. "hangar apps list -o ORG" shows them.',
    );
  }
  return app;
}
