import type { components } from '@hangar/sdk';
import type { Caller } from '../auth/authenticate.js';
import { formatTime } from '../clock.js';
import type { HandlerMap } from '../context.js';
import type { Db } from '../db/database.js';
import { tokenRow, tokenView } from './tokens.js';

type Scope = components['schemas']['Scope'];

/** The caller's effective scope with ids turned into the slug and app names the API shows. */
function scopeView(db: Db, caller: Caller): Scope {
  const { scope } = caller;
  const org =
    scope.org === null
      ? null
      : (db.first(db.q.selectFrom('orgs').select('slug').where('id', '=', scope.org))?.slug ??
        scope.org);
  let apps: string[] | null = null;
  if (scope.apps !== null) {
    const ids = Object.keys(scope.apps);
    const names =
      ids.length === 0
        ? []
        : db.all(db.q.selectFrom('apps').select(['id', 'name']).where('id', 'in', ids));
    // An app deleted since the token was minted keeps its id: there is no name to show.
    apps = ids.map((id) => names.find((n) => n.id === id)?.name ?? id);
  }
  return {
    org,
    apps,
    actions: [...scope.actions],
    expires_at: scope.notAfter === null ? null : formatTime(scope.notAfter * 1000),
  };
}

/**
 * The viewer: getViewer (who is calling, with which token and scope). revokeCurrentToken
 * (`DELETE /v1/viewer/token`) is a token operation: see tokens.ts.
 */
export const viewerHandlers = {
  getViewer(ctx) {
    const caller = ctx.authorizeCaller();
    const { db, clock } = ctx.services;
    const row = tokenRow(db, caller.token.id);
    const now = clock.nowMs();
    return {
      status: 200,
      body: { user: caller.user, token: tokenView(row, now), scope: scopeView(db, caller) },
    };
  },
} satisfies HandlerMap<'getViewer'>;
