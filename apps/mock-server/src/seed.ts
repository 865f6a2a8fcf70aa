import { loadContract } from '@hangar/contract';
import type {
  SeedFixture as ContractSeedFixture,
  SeedApp,
  SeedMember,
  SeedOrg,
  SeedUser,
} from '@hangar/sdk/admin';
import type { Db } from './db/database.js';
import { emailIs, emailKey } from './emails.js';
import { newId } from './ids.js';
import { hashPassword } from './passwords.js';
import { type FieldError, problem } from './problems.js';

/**
 * A seed fixture after {@link parseSeed}: the contract's `SeedFixture` (openapi/hangar-admin.yaml,
 * what `POST /_admin/seed` and `--seed` take) with every list present and every member's role
 * filled in. Built from the contract's types, so a field the contract adds, renames or retypes
 * fails typecheck where {@link parseSeed} builds the fixture.
 * ```yaml
 * users: [{ email: dev@hangar.local, password: hangar-dev-password }]
 * orgs:
 *   - { slug: acme, name: Acme Corp, type: shared, members: [{ email: dev@hangar.local, role: admin }] }
 * apps: [{ name: acme-web, org: acme }]
 * ```
 */
export interface SeedFixture extends ContractSeedFixture {
  users: SeedUser[];
  /** `name` left out: the slug for a new org, unchanged for an existing one; `type`: `shared`. */
  orgs: (Omit<SeedOrg, 'members'> & {
    members: (Omit<SeedMember, 'role'> & { role: SeedRole })[];
  })[];
  apps: SeedApp[];
}

type SeedRole = NonNullable<SeedMember['role']>;

export const DEV_EMAIL = 'dev@hangar.local';
export const DEV_PASSWORD = 'hangar-dev-password';

/** The fixture every new data directory starts with (README.md "Default data"). */
export const DEFAULT_SEED: SeedFixture = {
  users: [{ email: DEV_EMAIL, password: DEV_PASSWORD }],
  orgs: [
    {
      slug: 'dev-personal',
      name: 'Dev (personal)',
      type: 'personal',
      members: [{ email: DEV_EMAIL, role: 'admin' }],
    },
    {
      slug: 'acme',
      name: 'Acme Corp',
      type: 'shared',
      members: [{ email: DEV_EMAIL, role: 'admin' }],
    },
  ],
  apps: [
    { name: 'acme-web', org: 'acme' },
    { name: 'acme-api', org: 'acme' },
  ],
};

/** What org slugs and app names must be: the contract's `Slug` and `AppName` (DNS labels). */
const SLUG = loadContract().pattern('Slug');
const APP_NAME = loadContract().pattern('AppName');

/**
 * C0 and C1 control characters and DEL (Unicode category Cc): refused in fixture text, as the
 * contract refuses them in token names, because names reach terminals that list them.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an untrusted fixture against the rules of the contract's `SeedFixture`
 * (openapi/hangar-admin.yaml): lists left out or null become empty, a member's role `member`.
 * @throws ProblemError `validation_failed` listing every bad field (`users[0].email`, ...).
 */
export function parseSeed(input: unknown): SeedFixture {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const list = (value: unknown, field: string): unknown[] => {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    fail(field, 'must be a list');
    return [];
  };
  /**
   * The entries of list `field` that are objects, each with its field name (`users[0]`); lazy, so
   * errors stay in the order of the fixture.
   */
  function* objects(value: unknown, field: string): Generator<[string, Json]> {
    for (const [i, entry] of list(value, field).entries()) {
      if (isObject(entry)) yield [`${field}[${i}]`, entry];
      else fail(`${field}[${i}]`, 'must be an object');
    }
  }
  /** A printable non-blank string; a `secret` (password) only has to be non-empty. */
  const text = (
    obj: Json,
    key: string,
    field: string,
    options: { pattern?: { regex: RegExp; rule: string | undefined }; secret?: boolean } = {},
  ): string => {
    const value = obj[key];
    if (typeof value !== 'string' || value.length === 0) {
      fail(field, 'must be a non-empty string');
    } else if (options.secret) {
      // Passwords are never shown: any characters will do.
    } else if (value.trim().length === 0) {
      fail(field, 'must not be blank');
    } else if (CONTROL_CHARACTER.test(value)) {
      fail(field, 'must not contain control characters');
    } else if (options.pattern && !options.pattern.regex.test(value)) {
      fail(field, `must be ${options.pattern.rule ?? `matched by ${options.pattern.regex}`}`);
    }
    return typeof value === 'string' ? value : '';
  };

  if (!isObject(input)) {
    throw problem('validation_failed', 'The seed fixture must be an object', {
      errors: [{ field: 'body', message: 'must be an object with users, orgs and apps' }],
    });
  }
  const fixture: SeedFixture = { users: [], orgs: [], apps: [] };
  /** Each email's first field, under the one email rule (emails.ts: case-insensitive). */
  const emailFields = new Map<string, { field: string; email: string }>();
  for (const [field, user] of objects(input.users, 'users')) {
    const email = text(user, 'email', `${field}.email`, {
      pattern: { regex: /^[^\s@]+@[^\s@]+$/, rule: 'an email address' },
    });
    const first = emailFields.get(emailKey(email));
    if (first && first.email !== email) {
      fail(
        `${field}.email`,
        `is ${first.field} (${first.email}) but for case: emails are compared case-insensitively; keep one`,
      );
    } else if (!first && email !== '') {
      emailFields.set(emailKey(email), { field: `${field}.email`, email });
    }
    fixture.users.push({
      email,
      password: text(user, 'password', `${field}.password`, { secret: true }),
    });
  }
  for (const [field, org] of objects(input.orgs, 'orgs')) {
    const type = org.type;
    if (type !== undefined && type !== 'personal' && type !== 'shared')
      fail(`${field}.type`, 'must be personal or shared');
    const members = Array.from(
      objects(org.members, `${field}.members`),
      ([memberField, member]) => {
        const role = member.role ?? 'member';
        if (role !== 'admin' && role !== 'member')
          fail(`${memberField}.role`, 'must be admin or member');
        return { email: text(member, 'email', `${memberField}.email`), role: role as SeedRole };
      },
    );
    const slug = text(org, 'slug', `${field}.slug`, { pattern: SLUG });
    const name = org.name === undefined ? undefined : text(org, 'name', `${field}.name`);
    fixture.orgs.push({ slug, name, type: type as SeedOrg['type'], members });
  }
  for (const [field, app] of objects(input.apps, 'apps')) {
    fixture.apps.push({
      name: text(app, 'name', `${field}.name`, { pattern: APP_NAME }),
      org: text(app, 'org', `${field}.org`),
    });
  }
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw problem('validation_failed', `Invalid seed fixture: ${detail}`, { errors });
  }
  return fixture;
}

/**
 * {@link DEV_PASSWORD} hashed once, at development time, with the parameters and format of
 * passwords.ts: the password is public (printed at every start), so a shared salt gives nothing
 * away, and a first start skips one scrypt (50-100 ms on purpose).
 */
const DEV_PASSWORD_HASH =
  'scrypt$16384$8$1$kBOdYwuenI_owa4p5vzPpA$-Bs1EQ2QSp0XrOJBvgKuRK-p53YJv7RMtx55gOL3fD4';

// Fixture passwords are public test data; hashing each once per process keeps
// `POST /_admin/reset` fast (scrypt takes ~100 ms on purpose).
const seedHashes = new Map<string, string>([[DEV_PASSWORD, DEV_PASSWORD_HASH]]);

function seedHash(password: string): string {
  let hash = seedHashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    seedHashes.set(password, hash);
  }
  return hash;
}

/**
 * Applies a fixture idempotently: users are matched by email, case-insensitively (emails.ts; their password is reset to the
 * fixture's), orgs by slug, apps by name; memberships are upserted. Runs in one transaction.
 * @returns the ids of the fixture's users, in fixture order.
 * @throws ProblemError `validation_failed` when a member or app names an unknown user or org,
 *   `conflict` when an app name is taken by another org.
 */
/**
 * Start-up refused: the `seed` option's fixture names something the data cannot hold (a member
 * or app naming an unknown user or org, an app name another org owns). The message names the
 * fixture field, e.g. `orgs[0].members[0].email: no user nobody@example.test`; nothing of the
 * fixture was written (it applies in one transaction).
 */
export class SeedRejectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SeedRejectedError';
  }
}

export function applySeed(db: Db, fixture: SeedFixture, nowMs: number): string[] {
  const hashes = fixture.users.map((user) => seedHash(user.password));
  return db.transaction(() => {
    const userIds = fixture.users.map((user, i) => {
      const hash = hashes[i] as string;
      const existing = db.first(db.q.selectFrom('users').select('id').where(emailIs(user.email)));
      if (existing) {
        db.run(
          db.q.updateTable('users').set({ password_hash: hash }).where('id', '=', existing.id),
        );
        return existing.id;
      }
      const id = newId('usr');
      db.run(
        db.q
          .insertInto('users')
          .values({ id, email: user.email, password_hash: hash, created_at: nowMs }),
      );
      return id;
    });

    fixture.orgs.forEach((org, i) => {
      let orgId = db.first(db.q.selectFrom('orgs').select('id').where('slug', '=', org.slug))?.id;
      if (orgId) {
        // Re-applying a fixture changes only what it states (idempotent, matched by slug).
        const changes = { name: org.name, type: org.type };
        if (changes.name !== undefined || changes.type !== undefined) {
          db.run(db.q.updateTable('orgs').set(changes).where('id', '=', orgId));
        }
      } else {
        orgId = newId('org');
        const { slug } = org;
        const values = { slug, name: org.name ?? slug, type: org.type ?? 'shared' };
        db.run(db.q.insertInto('orgs').values({ id: orgId, ...values, created_at: nowMs + i }));
      }
      org.members.forEach((member, j) => {
        const user = db.first(db.q.selectFrom('users').select('id').where(emailIs(member.email)));
        if (!user) {
          throw problem(
            'validation_failed',
            `orgs[${i}].members[${j}].email: no user ${member.email}`,
            {
              errors: [{ field: `orgs[${i}].members[${j}].email`, message: 'names no user' }],
            },
          );
        }
        db.run(
          db.q
            .insertInto('memberships')
            .values({
              org_id: orgId as string,
              user_id: user.id,
              role: member.role,
              created_at: nowMs,
            })
            .onConflict((oc) =>
              oc.columns(['user_id', 'org_id']).doUpdateSet({ role: member.role }),
            ),
        );
      });
    });

    fixture.apps.forEach((app, i) => {
      const org = db.first(db.q.selectFrom('orgs').select('id').where('slug', '=', app.org));
      if (!org) {
        throw problem('validation_failed', `apps[${i}].org: no org ${app.org}`, {
          errors: [{ field: `apps[${i}].org`, message: 'names no org' }],
        });
      }
      const existing = db.first(
        db.q.selectFrom('apps').select('org_id').where('name', '=', app.name),
      );
      if (existing && existing.org_id !== org.id) {
        throw problem('conflict', `apps[${i}].name: ${app.name} already belongs to another org`);
      }
      if (!existing) {
        db.run(
          db.q
            .insertInto('apps')
            .values({ id: newId('app'), name: app.name, org_id: org.id, created_at: nowMs + i }),
        );
      }
    });
    return userIds;
  });
}
