import type { components } from '@hangar/sdk';
import { formatTimeMs } from '../clock.js';
import type { HandlerMap } from '../context.js';
import { newId } from '../ids.js';
import { oldestFirstPage } from '../pagination.js';
import { problem } from '../problems.js';
import { recordMachineEvent } from './machines.js';
import { recordTokenEvent } from './tokens.js';

type App = components['schemas']['App'];

/** The API view of an app; `org` is its org's slug. */
export function appView(
  app: { id: string; name: string; created_at: number },
  orgSlug: string,
): App {
  return { id: app.id, name: app.name, org: orgSlug, created_at: formatTimeMs(app.created_at) };
}

/** Apps: listApps (oldest first), createApp, getApp, deleteApp. */
export const appHandlers = {
  listApps(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    const { db } = ctx.services;
    const apps = db.q.selectFrom('apps').selectAll().where('org_id', '=', org.id);
    const page = { ...ctx.query, list: ctx.listKey };
    return {
      status: 200,
      body: oldestFirstPage(db, apps, 'apps', page, (app) => appView(app, org.slug)),
    };
  },

  createApp(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    const { db, clock } = ctx.services;
    const { name } = ctx.body;
    const app = { id: newId('app'), name, org_id: org.id, created_at: clock.nowMs() };
    db.transaction(() => {
      if (db.first(db.q.selectFrom('apps').select('id').where('name', '=', name))) {
        throw problem('conflict', `An app named "${name}" already exists`);
      }
      db.run(db.q.insertInto('apps').values(app));
      ctx.recordEvent({
        type: 'app.created',
        org,
        app,
        target: { type: 'app', id: app.id, name: app.name },
      });
    });
    return { status: 201, body: appView(app, org.slug) };
  },

  getApp(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    return { status: 200, body: appView(app, app.org_slug) };
  },

  deleteApp(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    const { db, clock } = ctx.services;
    const org = { id: app.org_id, slug: app.org_slug };
    db.transaction(() => {
      // Deploy tokens outlive their app as revoked rows (app_id becomes null; app_name stays).
      // Each revocation and each machine deleted with the app is in the log, as if done one by one.
      const live = db.all(
        db.q
          .selectFrom('tokens')
          .selectAll()
          .where('app_id', '=', app.id)
          .where('revoked_at', 'is', null)
          .orderBy('created_at')
          .orderBy('id'),
      );
      db.run(
        db.q
          .updateTable('tokens')
          .set({ revoked_at: clock.nowMs() })
          .where('app_id', '=', app.id)
          .where('revoked_at', 'is', null),
      );
      for (const row of live) recordTokenEvent(ctx, 'token.revoked', row);
      const machines = db.all(
        db.q
          .selectFrom('machines')
          .select('id')
          .where('app_id', '=', app.id)
          .orderBy('created_at')
          .orderBy('id'),
      );
      for (const machine of machines) recordMachineEvent(ctx, 'machine.deleted', app, machine.id);
      // Machines go with the app (on delete cascade).
      db.run(db.q.deleteFrom('apps').where('id', '=', app.id));
      ctx.recordEvent({
        type: 'app.deleted',
        org,
        app,
        target: { type: 'app', id: app.id, name: app.name },
      });
    });
    return { status: 204 };
  },
} satisfies HandlerMap<'listApps' | 'createApp' | 'getApp' | 'deleteApp'>;
