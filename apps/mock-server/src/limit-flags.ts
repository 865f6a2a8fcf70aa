import { ADDRESS_FACTOR, type RateLimitSettings } from './rate-limits.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Seconds in a duration such as `90s`, `15m`, `24h` or `7d` (one number, one unit).
 * @throws Error naming `flag` and showing the form to type.
 */
export function parseDurationSeconds(flag: string, value: string): number {
  const seconds = durationSeconds(value);
  if (seconds === 0) throw new Error(`${flag} must be at least 1s, got "${value}"`);
  if (seconds === undefined) {
    throw new Error(`${flag} must be a duration such as 90s, 15m, 24h or 7d, got "${value}"`);
  }
  return seconds;
}

/** Seconds in `value` (`90s`, `15m`, `24h`, `7d`); 0 for a zero duration; undefined if malformed. */
function durationSeconds(value: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number) : -1;
  return Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

/** An example value per rate flag, shown in its error messages. */
const RATE_EXAMPLES: Record<string, string> = {
  '--rate-limit': '600/1m',
  '--login-rate-limit': '10/15m',
};

/**
 * `N/DURATION` (`600/1m`, `5/15m`) as a quota and a window in seconds.
 * @throws Error naming `flag` and showing the form to type.
 */
export function parseRate(flag: string, value: string): { quota: number; windowSeconds: number } {
  const example = RATE_EXAMPLES[flag] ?? '600/1m';
  const slash = value.indexOf('/');
  const quota = Number(value.slice(0, slash));
  const windowSeconds = durationSeconds(value.slice(slash + 1));
  if (slash < 1 || !/^\d+$/.test(value.slice(0, slash)) || !Number.isSafeInteger(quota)) {
    throw new Error(`${flag} must be N/DURATION such as ${example}, got "${value}"`);
  }
  if (quota < 1) {
    throw new Error(`${flag}: N must be at least 1, such as ${example}, got "${value}"`);
  }
  if (windowSeconds === 0) {
    throw new Error(`${flag}: the window must be at least 1s, such as ${quota}/1s, got "${value}"`);
  }
  if (windowSeconds === undefined) {
    throw new Error(
      `${flag}: the window must be a duration such as 90s, 15m, 24h or 7d, got "${value}"`,
    );
  }
  return { quota, windowSeconds };
}

/**
 * The rate limits the flags ask for: `--rate-limit N/D` per token (and N×{@link ADDRESS_FACTOR}
 * per client address), `--login-rate-limit N/D` failed logins per email (and N×factor per
 * address), `--no-rate-limit` none; undefined values keep the defaults.
 * @throws Error for a malformed value, or `--no-rate-limit` with either of the others.
 */
export function rateLimitFlags(values: {
  'rate-limit'?: string;
  'login-rate-limit'?: string;
  'no-rate-limit'?: boolean;
}): Partial<RateLimitSettings> | false {
  if (values['no-rate-limit']) {
    if (values['rate-limit'] || values['login-rate-limit']) {
      throw new Error('--no-rate-limit cannot be used with --rate-limit or --login-rate-limit');
    }
    return false;
  }
  const settings: Partial<RateLimitSettings> = {};
  const scaled = (p: { quota: number; windowSeconds: number }) => ({
    quota: p.quota * ADDRESS_FACTOR,
    windowSeconds: p.windowSeconds,
  });
  if (values['rate-limit']) {
    settings.token = parseRate('--rate-limit', values['rate-limit']);
    settings.address = scaled(settings.token);
  }
  if (values['login-rate-limit']) {
    settings.loginEmail = parseRate('--login-rate-limit', values['login-rate-limit']);
    settings.loginAddress = scaled(settings.loginEmail);
  }
  return settings;
}
