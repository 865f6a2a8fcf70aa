import type { HandlerMap, OperationContext } from '../context.js';
import { eventView } from '../events.js';
import { afterCursor, DEFAULT_LIMIT, decodeCursor, rowLimit, toPage } from '../pagination.js';
import { problem } from '../problems.js';

type ListOperation = 'listOrgEvents' | 'listAppEvents';

/**
 * One newest-first page of the events of an org or an app, filtered by `type` (any of),
 * `token_id` (actor or target) and `since` (RFC 3339, inclusive); cursors as every list.
 */
function eventPage<K extends ListOperation>(
  ctx: OperationContext<K>,
  owner: { orgId: string } | { appId: string },
) {
  const { db } = ctx.services;
  const query = ctx.query as {
    limit?: number;
    cursor?: string;
    type?: string[];
    token_id?: string;
    since?: string;
  };
  const limit = query.limit ?? DEFAULT_LIMIT;
  let select = db.q.selectFrom('events').selectAll();
  select =
    'orgId' in owner
      ? select.where('org_id', '=', owner.orgId)
      : select.where('app_id', '=', owner.appId);
  if (query.type && query.type.length > 0) {
    select = select.where('type', 'in', query.type as never[]);
  }
  if (query.token_id !== undefined) {
    const id = query.token_id;
    select = select.where((eb) => eb.or([eb('actor_token_id', '=', id), eb('target_id', '=', id)]));
  }
  if (query.since !== undefined) {
    const since = Date.parse(query.since);
    if (Number.isNaN(since)) {
      const message = 'must be an RFC 3339 time such as 2026-11-30T08:00:00Z';
      throw problem('validation_failed', `query.since: ${message}`, {
        errors: [{ field: 'query.since', message }],
      });
    }
    select = select.where('created_at', '>=', since);
  }
  if (query.cursor !== undefined) {
    select = select.where(afterCursor('events', 'desc', decodeCursor(query.cursor, ctx.listKey)));
  }
  const rows = db.all(
    select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(rowLimit(limit + 1)),
  );
  return { status: 200 as const, body: toPage(rows, limit, eventView, ctx.listKey) };
}

/** Audit events: listOrgEvents (org read access), listAppEvents (app read access). */
export const eventHandlers = {
  listOrgEvents(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return eventPage(ctx, { orgId: org.id });
  },

  listAppEvents(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    return eventPage(ctx, { appId: app.id });
  },
} satisfies HandlerMap<'listOrgEvents' | 'listAppEvents'>;
