import type { Event, EventListOptions, EventType, HangarClient, IterateOptions } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { EVENT_COLUMNS, eventLine } from '../../lib/event-view.js';
import { appFlag, optionalApp, orgFlag, resolveOrg } from '../../lib/flags.js';
import { printError, printLine, printTable } from '../../lib/output.js';
import { refuseTokenSecrets } from '../../lib/token-id.js';

/** The contract's EventType values (openapi/hangar.yaml), for the --type flag's options. */
const EVENT_TYPES = [
  'token.created',
  'token.revoked',
  'token.rotated',
  'token.used_after_rotation',
  'session.created',
  'app.created',
  'app.deleted',
  'machine.created',
  'machine.deleted',
  'machine.started',
  'machine.stopped',
  'trust_policy.created',
  'trust_policy.deleted',
  'token.exchanged',
] as const satisfies readonly EventType[];

/**
 * `--since`: an RFC 3339 time as it is, or a Go duration (`24h`, `30m`, `7d`) back from
 * `now()`, the server's time (its clock decides when events happened); the API's `since` as
 * RFC 3339. `now` is called only for a duration, after the text was checked.
 */
async function sinceOf(text: string, now: () => Promise<number>): Promise<string> {
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    if (Number.isNaN(Date.parse(text))) throw badSince(text);
    return text;
  }
  const { parseDurationSeconds, DurationError } = await import('@hangar/sdk');
  let seconds: number;
  try {
    seconds = parseDurationSeconds(text);
  } catch (error) {
    if (error instanceof DurationError) throw badSince(text);
    throw error;
  }
  if (seconds <= 0) throw badSince(text);
  return new Date((await now()) - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The server's time now (one `GET /v1/viewer`, its `Date` header: the SDK's serverTimeMs), in
 * milliseconds since the Unix epoch; this machine's clock if that answer fails.
 */
async function serverNow(hangar: HangarClient): Promise<number> {
  const { serverTimeMs } = await import('@hangar/sdk');
  try {
    const { response } = await hangar.raw.GET('/v1/viewer');
    return serverTimeMs(response);
  } catch {
    return Date.now();
  }
}

function badSince(text: string): UsageError {
  return new UsageError(
    `Invalid --since ${JSON.stringify(text)}: pass a duration such as 24h, 30m or 7d, or a time such as 2026-11-30T08:00:00Z.`,
  );
}

/**
 * Longest `--interval`, in seconds: 24h. Node's timers hold at most 2^31-1 ms (about 24.8 days);
 * a longer delay is set to 1 ms with only a TimeoutOverflowWarning, which turned `--interval 30d`
 * into a poll every millisecond. A day is well inside that and longer than any useful watch.
 */
const MAX_INTERVAL_SECONDS = 24 * 60 * 60;

/**
 * `--interval` in milliseconds: a Go duration from 100ms to 24h ({@link MAX_INTERVAL_SECONDS}).
 * @throws UsageError (exit 2) naming the range when it is not a duration in it
 */
async function intervalOf(text: string): Promise<number> {
  const { parseDurationSeconds } = await import('@hangar/sdk');
  let seconds: number;
  try {
    seconds = parseDurationSeconds(text);
  } catch {
    seconds = Number.NaN;
  }
  if (!(seconds >= 0.1 && seconds <= MAX_INTERVAL_SECONDS)) {
    throw new UsageError(
      `Invalid --interval ${JSON.stringify(text)}: pass a duration from 100ms to 24h, such as 2s.`,
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * With `--app`, the app names its organization; a typed `--org` (not $HANGAR_ORG) must agree
 * with it, so `-o other -a acme-web` is not silently answered with acme-web's events.
 * @throws UsageError (exit 2) naming the app's organization when `typedOrg` differs
 */
async function checkAppOrg(
  hangar: HangarClient,
  app: string,
  typedOrg: string | undefined,
): Promise<void> {
  const org = typedOrg?.trim();
  if (!org) return;
  const found = await hangar.apps.get(app);
  if (found.org !== org) {
    throw new UsageError(
      `App "${app}" is in organization "${found.org}", not "${org}": leave --org out with --app, or pass --org ${found.org}.`,
    );
  }
}

/** Every event matching `options`, newest first, across pages (the SDK's iterate helpers). */
type IterateEvents = (
  options: Omit<EventListOptions, 'cursor'> & IterateOptions,
) => AsyncIterable<Event>;

export default class EventsList extends HangarCommand {
  static override aliases = ['events ls'];
  static override summary = "List an organization's or an app's audit events, newest first.";
  static override description =
    'What happened: tokens created, revoked and rotated, logins, apps and machines created, deleted, started and stopped, with who did it and the request id. With --app, the events of that app only (--org is then not needed; if given, it must be the organization of the app). Pages are fetched as needed, up to --limit events (the server keeps the newest 1000 of each organization); when --limit leaves older matching events out, a line on stderr says so. --follow keeps polling (every --interval) and prints new events, oldest first, as they come, until Ctrl-C; with --json, one JSON object per line (an error that ends it too).';
  static override examples = [
    {
      description: 'The last day in acme',
      command: '<%= config.bin %> <%= command.id %> -o acme --since 24h',
    },
    {
      description: 'Machines of acme-web started or stopped',
      command:
        '<%= config.bin %> <%= command.id %> -a acme-web --type machine.started --type machine.stopped',
    },
    {
      description: 'Watch as it happens',
      command: '<%= config.bin %> <%= command.id %> -o acme --follow',
    },
    {
      description: 'Every event acme still keeps, as JSON (the server keeps the newest 1000)',
      command: '<%= config.bin %> <%= command.id %> -o acme --limit 1000 --json',
    },
  ];
  static override flags = {
    org: orgFlag,
    app: appFlag,
    type: Flags.string({
      summary: 'Only events of this type (repeatable).',
      options: EVENT_TYPES,
      multiple: true,
      helpValue: 'TYPE',
    }),
    since: Flags.string({
      summary:
        "Only events since then: a duration back from the server's now (24h, 7d) or an RFC 3339 time.",
      helpValue: 'DURATION|TIME',
    }),
    'token-id': Flags.string({
      summary: 'Only events made by, or done to, this token (tok_...).',
      helpValue: 'ID',
      // A pasted token would travel in the query string (server logs): refuse it offline.
      parse: async (text) => {
        const id = text.trim();
        await refuseTokenSecrets([id], 'events list --token-id');
        return id;
      },
    }),
    limit: Flags.integer({
      summary: 'Show at most this many events (newest first).',
      min: 1,
      default: 20,
      helpValue: 'N',
    }),
    follow: Flags.boolean({
      char: 'f',
      summary: 'Keep polling and print new events as they come, until Ctrl-C.',
    }),
    interval: Flags.string({
      summary: 'With --follow, how often to poll: a duration from 100ms to 24h.',
      default: '2s',
      helpValue: 'DURATION',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(EventsList);
    this.jsonLines = flags.follow;
    const app = optionalApp(flags.app, this.flagSource('app'));
    const org = app
      ? undefined
      : resolveOrg(undefined, flags.org, this.flagSource('org'), '--org ORG or --app APP');
    const filters: EventListOptions = {};
    if (flags.type) filters.type = flags.type as EventType[];
    if (flags['token-id']) filters.tokenId = flags['token-id'];
    // One client, made when first needed: a bad --since is refused before any token is read.
    let client: Promise<HangarClient> | undefined;
    const hangarClient = () => {
      client ??= this.client();
      return client;
    };
    if (flags.since) {
      filters.since = await sinceOf(flags.since, async () => serverNow(await hangarClient()));
    }
    const interval = flags.follow ? await intervalOf(flags.interval) : 0;
    const hangar = await hangarClient();
    if (app)
      await checkAppOrg(hangar, app, this.flagSource('org') === '--org' ? flags.org : undefined);
    const iterate: IterateEvents = (options) =>
      app
        ? hangar.events.iterateApp(app, options)
        : hangar.events.iterateOrg(org as string, options);
    // Pages of at most 100 (the contract's maximum), no bigger than needed for --limit; one
    // event more than shown, to tell whether --limit left some out.
    const wanted = flags.follow ? flags.limit : flags.limit + 1;
    const events: Event[] = [];
    for await (const event of iterate({ ...filters, limit: Math.min(100, wanted) })) {
      events.push(event);
      if (events.length >= wanted) break;
    }
    if (!flags.follow) {
      const more = events.length > flags.limit;
      if (more) events.length = flags.limit;
      return this.output(events, () => {
        printTable(events, EVENT_COLUMNS, 'No events.');
        // An audit view cut short says so (on stderr: stdout stays the table).
        if (more) {
          printError(
            `Showing the newest ${flags.limit} events; older ones match too: pass --limit N (the server keeps the newest 1000), or narrow with --since or --type.`,
          );
        }
      });
    }
    await this.follow(iterate, filters, events, interval);
    return undefined;
  }

  /**
   * Prints `first` oldest first, then polls every `interval` ms for events since the newest seen
   * and prints the unseen ones, until SIGINT (or SIGTERM), which ends the command with exit 0.
   * With `--json`, one event per line (JSON Lines). Each poll reads page after page, newest
   * first, down to the first event already printed: any number of events between two polls is
   * printed, each once.
   */
  private async follow(
    iterate: IterateEvents,
    filters: EventListOptions,
    first: Event[],
    interval: number,
  ): Promise<void> {
    const seen = new Set<string>();
    let newest = typeof filters.since === 'string' ? filters.since : undefined;
    const show = (events: Event[]) => {
      for (const event of [...events].reverse()) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        if (newest === undefined || event.time > newest) newest = event.time;
        if (this.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else printLine(eventLine(event));
      }
    };
    show(first);
    await this.warnIfTokenExpiresSoon();
    let running = true;
    let wake: () => void = () => {};
    const onSignal = () => {
      running = false;
      wake();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    this.handlesInterrupt = true;
    try {
      while (running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (!running) break;
        // Events at the newest time seen are asked for again (same second). Lists are newest
        // first, so the first one already printed marks where the last poll ended; `since`
        // bounds the walk should that one have been dropped (the server keeps the newest 1000).
        const fresh: Event[] = [];
        for await (const event of iterate({ ...filters, since: newest, limit: 100 })) {
          if (seen.has(event.id)) break;
          fresh.push(event);
        }
        show(fresh);
      }
    } finally {
      this.handlesInterrupt = false;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
