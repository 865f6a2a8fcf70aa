import { Args, Flags } from '@oclif/core';
import { envValue } from './env.js';
import { UsageError } from './errors.js';
import { checkName } from './names.js';

/** `-o/--org ORG` (falls back to HANGAR_ORG, resolved by {@link resolveOrg}). */
export const orgFlag = Flags.string({
  char: 'o',
  summary: 'Organization slug (default: $HANGAR_ORG).',
  helpValue: 'ORG',
});

/** `-a/--app APP` (falls back to HANGAR_APP, resolved by {@link resolveApp}). */
export const appFlag = Flags.string({
  char: 'a',
  summary: 'App name (default: $HANGAR_APP).',
  helpValue: 'APP',
});

/** The machine ID argument, checked against the contract's pattern before anything is sent. */
export const machineIdArg = Args.string({
  description: 'Machine id (m_ and 16 hex digits).',
  required: true,
  parse: async (value) => checkName('machine', value.trim(), 'machine ID'),
});

/** An app NAME argument, checked against the contract's pattern before anything is sent. */
export const appNameArg = Args.string({
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

/**
 * `-x/--expiry DURATION`: a Go duration, plus `d` for days. Left out, the request carries no
 * `expires_in` and the server applies its default: 20 years (631152000 s), shortened to the
 * creating token's remaining life when that is shorter. An explicit value that outlives the
 * creating token is refused (403 exceeds_token_lifetime).
 */
export const expiryFlag = Flags.string({
  char: 'x',
  summary: 'How long the token lives: a Go duration such as 720h, 30d or 1h30m.',
  description:
    "Default: 20 years, shortened to the remaining life of the token creating it when that is shorter. An explicit --expiry that outlives the creating token is refused. flyctl's 175200h0m0s is accepted.",
  helpValue: 'DURATION',
});

/**
 * Parses an `--expiry` value into whole seconds with the SDK's parseExpiry (Go's duration grammar
 * plus `d`; zero, negative, sub-second and overflowing values refused). The value is not
 * trimmed: Go refuses ` 1h`, so the CLI does too.
 *
 * @throws UsageError (exit 2) quoting the input and listing the valid units
 */
export async function parseExpiryFlag(value: string | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const { parseExpiry, DurationError } = await import('@hangar/sdk');
  try {
    return parseExpiry(value);
  } catch (error) {
    if (error instanceof DurationError) {
      const reason = error.message.replace(/^invalid duration "(?:[^"\\]|\\.)*":\s*/, '');
      throw new UsageError(`Invalid --expiry ${JSON.stringify(value)}: ${reason}`);
    }
    throw error;
  }
}

/**
 * The organization for a command, if any: the ORG argument or `--org` (they must agree), else
 * HANGAR_ORG, else undefined. Checked against the contract's slug pattern ({@link checkName}).
 *
 * @throws UsageError when the argument and --org differ, or when the slug is not a DNS label
 */
export function optionalOrg(arg: string | undefined, flag: string | undefined): string | undefined {
  const fromArg = arg?.trim();
  const fromFlag = flag?.trim();
  if (fromArg && fromFlag && fromArg !== fromFlag) {
    throw new UsageError(
      `Two different organizations given: "${fromArg}" and --org "${fromFlag}"; pass one.`,
    );
  }
  if (fromArg) return checkName('org', fromArg, 'ORG argument');
  if (fromFlag) return checkName('org', fromFlag, '--org');
  const fromEnv = envValue('HANGAR_ORG');
  return fromEnv && checkName('org', fromEnv, '$HANGAR_ORG');
}

/**
 * The organization for a command: the ORG argument or `--org` (they must agree), else
 * HANGAR_ORG.
 *
 * @throws UsageError saying how to pass one when there is none
 */
export function resolveOrg(arg: string | undefined, flag: string | undefined): string {
  const org = optionalOrg(arg, flag);
  if (!org) {
    throw new UsageError(
      'No organization given: pass --org ORG (or the ORG argument), or set HANGAR_ORG. "hangar orgs list" shows yours.',
    );
  }
  return org;
}

/**
 * The app for a command, if any: `--app`, else HANGAR_APP, else undefined. Checked against the
 * contract's app name pattern ({@link checkName}).
 *
 * @throws UsageError when the name is not a DNS label
 */
export function optionalApp(flag: string | undefined): string | undefined {
  const fromFlag = flag?.trim();
  if (fromFlag) return checkName('app', fromFlag, '--app');
  const fromEnv = envValue('HANGAR_APP');
  return fromEnv && checkName('app', fromEnv, '$HANGAR_APP');
}

/**
 * The app for a command: `--app`, else HANGAR_APP.
 *
 * @throws UsageError saying how to pass one when there is none, or when it is not a DNS label
 */
export function resolveApp(flag: string | undefined): string {
  const app = optionalApp(flag);
  if (!app) {
    throw new UsageError(
      'No app given: pass --app APP, or set HANGAR_APP. "hangar apps list -o ORG" shows them.',
    );
  }
  return app;
}
