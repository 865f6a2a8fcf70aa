import type { HangarClient } from '@hangar/sdk';
import { Command, Flags, type Interfaces } from '@oclif/core';
import { mapApiError, type ScopeNames } from './lib/api-errors.js';
import { apiUrlError } from './lib/api-url.js';
import { configPath, type HangarConfig, readConfig } from './lib/config-store.js';
import { DEFAULT_API_URL } from './lib/env.js';
import { CliError, errorJson, printableError, UsageError } from './lib/errors.js';
import { expiryWarner, isAttenuated } from './lib/expiry-warning.js';
import type { FlagSource } from './lib/flags.js';
import { httpFetch } from './lib/http-fetch.js';
import { printError, printJson } from './lib/output.js';
import { redactToken } from './lib/redact.js';
import { requestLogger } from './lib/request-log.js';
import { checkTokenFormat, describeSource, type ResolvedToken } from './lib/token-source.js';

/**
 * The signals a `--json` run answers with the `interrupted` envelope, and the exit code for each:
 * 128 + the signal's number, what a shell reports for a process the signal killed. SIGINT is
 * Ctrl-C; SIGTERM is what `timeout`, `kill` and CI runners send to cancel a job.
 */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const satisfies Partial<
  Record<NodeJS.Signals, number>
>;
type StopSignal = keyof typeof STOP_SIGNALS;

/** Flags every command takes (salesforcecli sf-plugins-core style: one base owns them). */
const globalFlags = {
  'access-token': Flags.string({
    char: 't',
    summary: 'Access token to use (default: the token stored by "auth login").',
    env: 'HANGAR_API_TOKEN',
    helpValue: 'TOKEN',
    helpGroup: 'GLOBAL',
  }),
  'api-url': Flags.string({
    summary: `Hangar API base URL (default: the config file, then ${DEFAULT_API_URL}).`,
    env: 'HANGAR_API_URL',
    helpValue: 'URL',
    helpGroup: 'GLOBAL',
  }),
  verbose: Flags.boolean({
    summary:
      "Print each request's method, URL, status, time and request id to stderr (a token shows only its last 4 characters).",
    helpGroup: 'GLOBAL',
  }),
  json: Flags.boolean({
    char: 'j',
    summary: 'Print the API objects as JSON and nothing else.',
    helpGroup: 'GLOBAL',
  }),
};

type GlobalFlags = {
  'access-token'?: string | undefined;
  'api-url'?: string | undefined;
  verbose: boolean;
  json: boolean;
};
// biome-ignore lint/suspicious/noExplicitAny: mirrors oclif's own FlagOutput/ArgOutput, which it does not export.
type AnyOutput = { [name: string]: any };

/**
 * Base of every hangar command. Owns the global flags, the `--json` switch, token and API URL
 * resolution, the SDK client (imported lazily, to keep start-up fast) and the mapping of API
 * errors to one line with a hint. Commands are thin: parse, call the SDK, print.
 */
export abstract class HangarCommand extends Command {
  static override baseFlags = globalFlags;
  /**
   * oclif's JSON mode: `run()` returns the command's result and oclif prints it (logJson) when
   * `--json`/`-j` is given. The base flags redefine oclif's `--json` to add `-j`.
   */
  static override enableJsonFlag = true;

  /** Global flag values, captured by {@link parse}. */
  protected globals: GlobalFlags = { verbose: false, json: false };
  /** Names of the flags typed on the command line (the others came from `env:` or defaults). */
  private typedFlags = new Set<string>();
  private configCache: HangarConfig | undefined;
  private resolvedToken: ResolvedToken | undefined;
  /** The `Idempotency-Key` given to {@link client}, for the error of an unanswered write. */
  private idempotencyKey: string | undefined;
  /** Warns once per run when the token in use expires within 7 days (shared by every client). */
  private readonly expiryWarning = expiryWarner();

  /** True with `--json` or `-j` ({@link jsonEnabled}): print API objects only. */
  protected get json(): boolean {
    return this.jsonEnabled();
  }

  protected override async parse<F extends AnyOutput, B extends AnyOutput, A extends AnyOutput>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const output = await super.parse(options, argv);
    const flags = output.flags as Partial<GlobalFlags>;
    this.typedFlags = new Set(
      output.raw.flatMap((token) => (token.type === 'flag' ? [token.flag] : [])),
    );
    if (
      this.flagSource('access-token') === '--access-token' &&
      flags['access-token']?.trim() === ''
    ) {
      // An empty -t is a mistake (an unset variable in `-t "$TOKEN"`): never fall back silently.
      throw new UsageError(
        'Empty --access-token: pass a token, or leave the flag out to use $HANGAR_API_TOKEN or the stored token.',
      );
    }
    this.globals = {
      'access-token': flags['access-token'],
      'api-url': flags['api-url'],
      verbose: flags.verbose ?? false,
      json: flags.json ?? false,
    };
    return output;
  }

  /**
   * Where a flag's value came from: the flag as typed (`--org`), or, when it was not typed, the
   * environment variable oclif read for it (`$HANGAR_ORG`, the flag's `env:`). oclif ignores an
   * empty variable; a whitespace-only one reaches the command, which treats blank as unset.
   */
  protected flagSource(name: string): FlagSource {
    const env = this.ctor.flags?.[name]?.env ?? this.ctor.baseFlags?.[name]?.env;
    return !this.typedFlags.has(name) && env ? `$${env}` : `--${name}`;
  }

  /** The config file's contents (read once; modes repaired on read). */
  protected async readConfig(): Promise<HangarConfig> {
    this.configCache ??= await readConfig();
    return this.configCache;
  }

  /** API base URL: --api-url, then HANGAR_API_URL, then the config file, then the default. */
  protected async apiUrl(): Promise<string> {
    // --api-url, else $HANGAR_API_URL (oclif's env:); blank counts as unset.
    const fromFlag = this.globals['api-url']?.trim();
    const raw = fromFlag || (await this.readConfig()).api_url || DEFAULT_API_URL;
    // The SDK's own rule (baseUrlProblem), in the CLI's words; the SDK is loaded lazily.
    const { baseUrlProblem, serverRoot } = await import('@hangar/sdk');
    const problem = baseUrlProblem(raw);
    if (problem) {
      const source = fromFlag ? this.flagSource('api-url') : `api_url in ${configPath()}`;
      throw apiUrlError(problem, source, Boolean(fromFlag));
    }
    // The server root (the SDK's rule: a pasted ".../v1" or ".../v1/" is trimmed), so what is
    // shown and stored in the config is the same URL the SDK calls.
    return serverRoot(raw);
  }

  /**
   * Makes `token` the token in use for the rest of the run (`tokens rotate --current`: the old
   * one may already be refused), so later requests (the expiry warning's GET /v1/viewer, error
   * hints) send it. The expiry warning is recomputed for it.
   *
   * @param token the new token string (hangar_...)
   * @param expiresAt when it expires, RFC 3339
   * @param serverNowMs the server's time of the answer that made it, ms since the Unix epoch
   */
  protected useToken(token: string, expiresAt: string, serverNowMs: number): void {
    this.resolvedToken = { token, source: this.resolvedToken?.source ?? 'flag' };
    this.expiryWarning.reset();
    const secondsLeft = Math.floor((Date.parse(expiresAt) - serverNowMs) / 1000);
    this.expiryWarning.listen({ expiresAt, serverNowMs, secondsLeft });
  }

  /**
   * The token in use: --access-token, then HANGAR_API_TOKEN, then the config file. Checked
   * offline for format before any request.
   *
   * @throws UsageError (exit 2) when HANGAR_API_TOKEN is set but empty or blank (a CI step that
   *   should have set it failed: falling back to the stored token would widen the job's power),
   *   or when the stored token would go to another API URL than it was stored with
   * @throws CliError when there is none, or when it is malformed
   */
  protected async resolveToken(): Promise<ResolvedToken> {
    if (this.resolvedToken) return this.resolvedToken;
    // --access-token, else $HANGAR_API_TOKEN (oclif's env:); set but blank is refused.
    const given = this.globals['access-token']?.trim();
    const source = this.flagSource('access-token') === '--access-token' ? 'flag' : 'env';
    if (!given && source === 'env') refuseBlankTokenVariable();
    const stored = given ? undefined : (await this.readConfig()).access_token;
    const candidate: ResolvedToken | undefined = given
      ? { token: given, source }
      : typeof stored === 'string' && stored.trim()
        ? { token: stored, source: 'config' }
        : undefined;
    if (!candidate) {
      throw new CliError(
        'No access token. Log in with "hangar auth login", pass --access-token TOKEN, or set HANGAR_API_TOKEN.',
      );
    }
    // A malformed --access-token or HANGAR_API_TOKEN is a bad flag value (exit 2); a malformed
    // token in the config file is not something typed on this command line (exit 1).
    const token = await checkTokenFormat(
      candidate.token,
      describeSource(candidate.source, configPath()),
      candidate.source === 'config' ? 1 : 2,
    );
    if (candidate.source === 'config') await this.refuseStoredTokenElsewhere();
    this.resolvedToken = { token, source: candidate.source };
    return this.resolvedToken;
  }

  /**
   * Refuses (exit 2) to use the token stored in config.yml with an API URL other than the
   * `api_url` it was stored with (`auth login`; the default URL when the file has none), as
   * `gh` keys tokens by host: `--api-url`/HANGAR_API_URL must not send it to another server.
   * URLs are compared normalized (scheme, host, port, path). Names both URLs, never the token.
   */
  protected async refuseStoredTokenElsewhere(): Promise<void> {
    const effective = await this.apiUrl();
    const storedRaw = (await this.readConfig()).api_url?.trim() || DEFAULT_API_URL;
    const { serverRoot } = await import('@hangar/sdk');
    if (sameApiUrl(effective, serverRoot(storedRaw))) return;
    throw new UsageError(
      `The token stored in ${configPath()} was stored for ${storedRaw}, not ${effective} (from ${this.flagSource('api-url')}); it is only sent to the API it was stored for. Log in there with "hangar auth login --api-url ${effective}", or pass a token for it with --access-token or HANGAR_API_TOKEN.`,
    );
  }

  /**
   * An SDK client for the resolved API URL and token. `auth: false` builds one without a token
   * (createSession). With --verbose, every request is reported on stderr.
   */
  protected async client(
    options: {
      auth?: boolean;
      token?: string;
      /**
       * `--idempotency-key`: the `Idempotency-Key` of the client's POST and DELETE requests
       * (the SDK's per-call option). Left out, the SDK sends a new random key per call.
       */
      idempotencyKey?: string | undefined;
    } = {},
  ): Promise<HangarClient> {
    const baseUrl = await this.apiUrl();
    const token =
      options.token ?? (options.auth === false ? undefined : (await this.resolveToken()).token);
    const { createHangarClient, DEFAULT_MAX_RETRIES } = await import('@hangar/sdk');
    if (this.globals.verbose) {
      const using = token ? `token ${redactToken(token)}` : 'no token';
      printError(`[verbose] API ${baseUrl}, ${using}`);
    }
    const hangar = createHangarClient({
      baseUrl,
      token,
      fetch: httpFetch,
      userAgent: `hangar-cli/${this.config.version}`,
      onTokenExpiry: this.expiryWarning.listen,
      logger: requestLogger(this.globals.verbose, DEFAULT_MAX_RETRIES),
    });
    if (options.idempotencyKey === undefined) return hangar;
    this.idempotencyKey = options.idempotencyKey; // named by the error of an unanswered write
    return hangar.withOptions({ idempotencyKey: options.idempotencyKey });
  }

  /**
   * The command's result: returned as is for oclif to print with `--json` (enableJsonFlag), or
   * printed for people by `human`. Commands end with `return this.output(data, () => ...)`.
   */
  protected async output<T>(data: T, human: () => void | Promise<void>): Promise<T> {
    if (!this.jsonEnabled()) await human();
    return data;
  }

  /**
   * Prints the token expiry warning now, if an answer so far said the token in use expires within
   * 7 days (once per run, on stderr). A long-running command (`events list --follow`) calls it
   * before it waits; every other command gets it when it succeeds ({@link finally}).
   */
  protected async warnIfTokenExpiresSoon(): Promise<void> {
    await this.expiryWarning.flush(async () => {
      const { kind, id, name, replaced_by } = (await (await this.client()).viewer.get()).token;
      const token = this.resolvedToken?.token;
      const attenuated = token ? await isAttenuated(token) : false;
      return { kind, id, name, replacedBy: replaced_by ?? undefined, attenuated };
    });
  }

  /** After a successful run: the expiry warning, if due. A failure prints its error line only. */
  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.hearStopSignals(false);
    if (!error) await this.warnIfTokenExpiresSoon();
    return super.finally(error);
  }

  /** With `--json`, hears Ctrl-C and SIGTERM for the whole run ({@link onStopSignal}). */
  protected override async init(): Promise<void> {
    await super.init();
    // Without --json, Node's own handling stays: killed by the signal, nothing printed.
    if (this.wantsJson()) this.hearStopSignals(true);
  }

  /** Installs (`on`) or removes the {@link STOP_SIGNALS} handlers. */
  private hearStopSignals(on: boolean): void {
    for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) {
      if (on) process.on(signal, this.onStopSignal);
      else process.off(signal, this.onStopSignal);
    }
  }

  /**
   * True while the command itself handles SIGINT and SIGTERM (`events list --follow` stops on
   * them with exit 0): then {@link onStopSignal} leaves them alone.
   */
  protected handlesInterrupt = false;

  /**
   * SIGINT (Ctrl-C) or SIGTERM during a `--json` run: the JSON error envelope (`interrupted`) on
   * stdout like every other failure, so whatever reads stdout still gets JSON, then exit 130 or
   * 143 ({@link STOP_SIGNALS}). A request already sent may still be carried out by the server.
   */
  private readonly onStopSignal = (signal: StopSignal): void => {
    if (this.handlesInterrupt) return;
    this.hearStopSignals(false);
    const exit = STOP_SIGNALS[signal];
    // Also the code bin/run.js exits with if stdout is gone (EPIPE) while this is written.
    process.exitCode = exit;
    const interrupted = new CliError(`Interrupted (${signal}).`, exit, {
      code: 'interrupted',
      hint: 'a request already sent may still have been carried out; check before running it again',
    });
    this.logJson(this.toErrorJson(interrupted));
    // Exit once what was written has left (an empty write completes after those before it).
    process.stdout.write('', () => process.exit(exit));
  };

  /** True with `--json`, or `-j` (oclif itself only looks for `--json` in the arguments). */
  public override jsonEnabled(): boolean {
    return this.globals.json || this.wantsJson();
  }

  /**
   * True while a command streams JSON Lines on stdout (`events list --follow --json`): then a
   * result or error printed by {@link logJson} is one line too, so every stdout line parses.
   */
  protected jsonLines = false;

  /** Prints a JSON result on stdout, indented by two spaces (one line with {@link jsonLines}). */
  protected override logJson(json: unknown): void {
    if (this.jsonLines) process.stdout.write(`${JSON.stringify(json)}\n`);
    else if (this.secretLost) this.writeSecret(`${JSON.stringify(json, null, 2)}\n`);
    else printJson(json);
  }

  /**
   * Set by a command whose output carries a secret just minted, shown once and kept nowhere
   * else (`tokens create`, `tokens rotate`): what to tell the user when standard output cannot
   * take it. See {@link outputSecret}.
   */
  private secretLost?: string;

  /**
   * The command's result, as {@link output}, for a result whose output is the only copy of a
   * token just minted: without `--json`, `token` alone on one line. If standard output cannot
   * take it (a reader that went away: `hangar tokens create ... | consumer` where the consumer
   * exited first, EPIPE; a full disk), `lost` is printed on stderr as an error and the run exits
   * 1: the token exists on the server, but nobody has its secret. (bin/run.js ends a run whose
   * stdout is gone quietly with the exit code so far, as `git log | head` does; the write's own
   * callback runs before that, so it can set the code.)
   */
  protected async outputSecret<T>(data: T, token: string, lost: string): Promise<T> {
    this.secretLost = lost;
    return this.output(data, () => this.writeSecret(`${token}\n`));
  }

  private writeSecret(text: string): void {
    const lost = this.secretLost;
    process.stdout.write(text, (error) => {
      if (!error || !lost) return;
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      process.stderr.write(`Error: standard output could not take the token (${code}): ${lost}\n`);
      process.exitCode = 1;
    });
  }

  /**
   * The JSON error envelope `{"error": {"code", "status", "message", "hint"}}` (errorJson), which
   * {@link catch} prints on stdout with `--json`; sf-plugins-core's SfCommand does the same.
   */
  protected override toErrorJson(error: unknown): unknown {
    return errorJson(error as Error);
  }

  /**
   * Maps SDK errors to one line with a hint. With `--json`, every failure is also printed on
   * stdout as one JSON object, `{"error": {"code", "status", "message", "hint"}}` (errorJson;
   * sf-plugins-core does the same), unless the command already printed its own JSON result.
   * The exit code and the line on stderr stay as without `--json`.
   */
  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const { HangarApiError } = await import('@hangar/sdk');
    let failure: Error = error;
    if (error instanceof HangarApiError) {
      const token = this.resolvedToken?.token;
      failure = await mapApiError(error, {
        token,
        tokenSource: this.resolvedToken?.source,
        apiUrl: await this.apiUrl().catch(() => ''),
        commandId: this.id,
        idempotencyKey: this.idempotencyKey,
        // Without a token (a password login) GET /v1/viewer still tells a Hangar API (401)
        // from a wrong URL (404).
        viewerScope: () => this.viewerScope(token),
      });
    }
    // A value from the command line echoed in the message is shown, never interpreted.
    failure = printableError(failure);
    const exiting = (failure as { code?: unknown }).code === 'EEXIT';
    const printed = failure instanceof CliError && failure.details.jsonPrinted === true;
    if (this.jsonEnabled() && !exiting && !printed) this.logJson(this.toErrorJson(failure));
    throw failure;
  }

  /**
   * True when `--json`/`-j` was given, also when parsing failed before the flags were read (a
   * bad flag value): then the raw arguments before `--` decide.
   */
  private wantsJson(): boolean {
    const end = this.argv.indexOf('--');
    const options = end === -1 ? this.argv : this.argv.slice(0, end);
    return options.some((arg) => arg === '--json' || arg === '-j');
  }

  /**
   * The token's scope by name (GET /v1/viewer, without a token when `token` is undefined), for
   * error hints; rejects if that fails (always without a token: 401 from a Hangar API).
   */
  private async viewerScope(token: string | undefined): Promise<ScopeNames | undefined> {
    const client = await this.client(token ? { token } : { auth: false });
    return (await client.viewer.get()).scope;
  }
}

/**
 * Refuses a HANGAR_API_TOKEN that is set but empty or blank (oclif drops an empty variable, so
 * it is read here): `token="$(hangar auth exchange ...)"` that failed leaves it empty, and the
 * stored personal token must not stand in for the scoped one the step should have set.
 */
function refuseBlankTokenVariable(): void {
  const value = process.env.HANGAR_API_TOKEN;
  if (value === undefined || value.trim() !== '') return;
  throw new UsageError(
    'HANGAR_API_TOKEN is set but empty. Unset it (unset HANGAR_API_TOKEN) to use the token stored by "hangar auth login", or fix the step that should have set it (such as a failed "hangar auth exchange").',
  );
}

/** Whether two API URLs name the same server: scheme, host, port and path, normalized. */
function sameApiUrl(a: string, b: string): boolean {
  const key = (raw: string) => {
    try {
      const url = new URL(raw);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return raw;
    }
  };
  return key(a) === key(b);
}

export { CliError, UsageError };
