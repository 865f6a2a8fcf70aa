import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import { parse as parseYaml } from 'yaml';
import { issuePersonalToken } from '../auth/issue.js';
import { formatTime } from '../clock.js';
import { problem } from '../problems.js';
import { wellFormedBody } from '../request-body.js';
import { applySeed, parseSeed } from '../seed.js';
import type { Services } from '../services.js';

/** Header carrying the admin key on `/_admin/*` requests. */
export const ADMIN_KEY_HEADER = 'x-hangar-admin-key';

/** Test controls need these from the server that owns the state. */
export interface AdminControls {
  adminKey: string;
  /** Wipes every table, re-seeds the default fixture and restores the start-up token. */
  reset(): void;
}

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const MAX_ADVANCE_SECONDS = 9_223_372_036; // Go's longest duration, as for token lifetimes

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** 401 problem unless the request carries the admin key (compared in constant time). */
function requireAdminKey(adminKey: string): RequestHandler {
  const expected = digest(adminKey);
  return (req, _res, next) => {
    const given = req.get(ADMIN_KEY_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw problem('unauthenticated', `Send the admin key in the X-Hangar-Admin-Key header`);
    }
    next();
  };
}

/**
 * Test controls outside the contract (PLAN.md "Test controls"), guarded by the admin key:
 * `POST /_admin/reset`, `POST /_admin/seed` (JSON or YAML fixture), `GET|POST /_admin/clock`.
 */
export function adminRouter(services: Services, controls: AdminControls): Router {
  // Strict, as the /v1 routes: `/_admin/reset/` is not `/_admin/reset`.
  const router = express.Router({ strict: true, caseSensitive: true });
  router.use(requireAdminKey(controls.adminKey));
  router.use(express.json({ limit: '1mb' }), wellFormedBody());
  router.use(express.text({ type: YAML_TYPES, limit: '1mb' }));

  router.post('/reset', (_req, res) => {
    controls.reset();
    res.json({ ok: true });
  });

  router.post('/seed', (req, res) => {
    let input: unknown = req.body;
    if (typeof input === 'string') {
      try {
        input = parseYaml(input);
      } catch (error) {
        throw problem(
          'validation_failed',
          `The YAML fixture does not parse: ${(error as Error).message}`,
        );
      }
    }
    const fixture = parseSeed(input);
    const userIds = applySeed(services.db, fixture, services.clock.nowMs());
    const users = services.db.transaction(() =>
      fixture.users.map((user, i) => ({
        email: user.email,
        token: issuePersonalToken(services, userIds[i] as string, 'Seed token').secret,
      })),
    );
    res.json({ users });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: formatTime(services.clock.nowMs()) });
  });

  router.post('/clock', (req, res) => {
    const seconds = (req.body as { advance_seconds?: unknown } | undefined)?.advance_seconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isInteger(seconds) ||
      seconds < 1 ||
      seconds > MAX_ADVANCE_SECONDS
    ) {
      throw problem('validation_failed', 'body.advance_seconds: must be a positive integer', {
        errors: [
          {
            field: 'body.advance_seconds',
            message: `must be an integer from 1 to ${MAX_ADVANCE_SECONDS}`,
          },
        ],
      });
    }
    res.json({ now: formatTime(services.clock.advance(seconds).getTime()) });
  });

  return router;
}
