import express, { type Request, type Router } from 'express';
import { sendJson } from '../json-reply.js';
import {
  OIDC_ALGORITHMS,
  OIDC_PATH,
  type OidcAlgorithm,
  type OidcProvider,
} from '../oidc-provider.js';
import { type FieldError, problem } from '../problems.js';
import type { AdminRoute } from './admin.js';

/** Default `aud` of a minted ID token. */
const DEFAULT_AUDIENCE = 'hangar';
/** Default seconds from `iat` to `exp` (GitHub's ID tokens live about as long). */
const DEFAULT_EXPIRES_IN = 300;
const MAX_EXPIRES_IN = 31_536_000;
/** RFC 3339 `date-time` (section 5.6). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** GitHub's `OWNER/REPO`. */
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const MINT_FIELDS = new Set([
  'claims',
  'preset',
  'repository',
  'ref',
  'environment',
  'workflow',
  'actor',
  'audience',
  'expires_in',
  'issued_at',
  'not_before',
  'alg',
]);

/** Reads `body.<name>`, collecting each failing field (the problem's `errors`). */
class Body {
  readonly errors: FieldError[] = [];
  readonly fields: Record<string, unknown>;

  constructor(input: unknown, known: ReadonlySet<string>) {
    const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
    this.fields = isObject ? (input as Record<string, unknown>) : {};
    if (input !== undefined && !isObject)
      this.errors.push({ field: 'body', message: 'must be a JSON object' });
    for (const name of Object.keys(this.fields)) {
      if (!known.has(name)) this.fail(name, 'is not a field of this request');
    }
  }

  fail(name: string, message: string): undefined {
    this.errors.push({ field: `body.${name}`, message });
    return undefined;
  }

  /** The value of `name` when `ok`, undefined when left out or null. */
  get<T>(name: string, ok: (value: unknown) => value is T, rule: string): T | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) return undefined;
    return ok(value) ? value : this.fail(name, `must be ${rule}`);
  }

  /** An RFC 3339 time as seconds since the Unix epoch (whole seconds). */
  time(name: string): number | undefined {
    const text = this.get(name, isString, 'an RFC 3339 time such as 2026-12-01T08:00:00Z');
    if (text === undefined) return undefined;
    const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms))
      return this.fail(name, 'must be an RFC 3339 time such as 2026-12-01T08:00:00Z');
    return Math.floor(ms / 1000);
  }

  /** 400 `validation_failed` naming every failing field, if any. */
  check(): void {
    if (this.errors.length === 0) return;
    const detail = this.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw problem('validation_failed', detail, { errors: this.errors });
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isAudience = (v: unknown): v is string | string[] =>
  isString(v) || (Array.isArray(v) && v.length > 0 && v.every(isString));
const isAlgorithm = (v: unknown): v is OidcAlgorithm =>
  OIDC_ALGORITHMS.includes(v as OidcAlgorithm);
const isExpiresIn = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_EXPIRES_IN;

/**
 * The claims GitHub Actions puts in a job's ID token
 * (docs.github.com, "About security hardening with OpenID Connect"): `sub` is
 * `repo:OWNER/REPO:environment:ENV` for a job with an environment, else `repo:OWNER/REPO:ref:REF`.
 */
export function githubActionsClaims(input: {
  repository: string;
  ref: string;
  environment?: string | undefined;
  workflow: string;
  actor: string;
}): Record<string, unknown> {
  const { repository, ref, environment, workflow, actor } = input;
  const file = `${workflow.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}.yml`;
  const workflowRef = `${repository}/.github/workflows/${file}@${ref}`;
  return {
    sub: `repo:${repository}:${environment ? `environment:${environment}` : `ref:${ref}`}`,
    repository,
    repository_owner: repository.split('/')[0],
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    workflow,
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
    ...(environment ? { environment } : {}),
    actor,
    event_name: 'push',
    run_id: '1',
    run_attempt: '1',
    runner_environment: 'github-hosted',
  };
}

/**
 * A `mintIdToken` body (MintIdTokenRequest in openapi/hangar-admin.yaml) as a mint request.
 * @throws ProblemError `validation_failed` naming every failing field.
 */
function parseMint(input: unknown) {
  const body = new Body(input, MINT_FIELDS);
  const claims = body.get('claims', isObject, 'a JSON object of claims') ?? {};
  const preset = body.get(
    'preset',
    (v): v is 'github-actions' => v === 'github-actions',
    'github-actions',
  );
  const repository = body.get(
    'repository',
    (v): v is string => typeof v === 'string' && REPOSITORY.test(v),
    'OWNER/REPO',
  );
  const ref = body.get(
    'ref',
    (v): v is string => isString(v) && v.startsWith('refs/'),
    'a git ref starting with refs/, such as refs/heads/main',
  );
  const environment = body.get('environment', isString, 'a non-empty string');
  const workflow = body.get('workflow', isString, 'a non-empty string');
  const actor = body.get('actor', isString, 'a non-empty string');
  const audience = body.get('audience', isAudience, 'a non-empty string or array of them');
  const expiresIn = body.get('expires_in', isExpiresIn, `an integer from 1 to ${MAX_EXPIRES_IN}`);
  const issuedAt = body.time('issued_at');
  const notBefore = body.time('not_before');
  const alg = body.get('alg', isAlgorithm, OIDC_ALGORITHMS.join(' or '));
  if (!preset) {
    const given = { repository, ref, environment, workflow, actor };
    for (const [name, value] of Object.entries(given)) {
      if (value !== undefined) body.fail(name, 'needs preset github-actions');
    }
  }
  body.check();
  const presetClaims = preset
    ? githubActionsClaims({
        repository: repository ?? 'octo-org/octo-repo',
        ref: ref ?? 'refs/heads/main',
        environment,
        workflow: workflow ?? 'deploy',
        actor: actor ?? 'octocat',
      })
    : {};
  return {
    claims: { ...presetClaims, ...claims },
    audience: audience ?? DEFAULT_AUDIENCE,
    expiresIn: expiresIn ?? DEFAULT_EXPIRES_IN,
    issuedAt,
    notBefore,
    alg: alg ?? 'RS256',
  };
}

/** The admin routes of the test identity provider (openapi/hangar-admin.yaml, tag `oidc`). */
export function oidcAdminRoutes(provider: OidcProvider): {
  getOidcIssuer: AdminRoute<'getOidcIssuer'>;
  mintIdToken: AdminRoute<'mintIdToken'>;
  rotateOidcKeys: AdminRoute<'rotateOidcKeys'>;
} {
  return {
    getOidcIssuer: {
      path: '/_admin/oidc',
      method: 'get',
      handle: () => provider.describe(),
    },
    mintIdToken: {
      path: '/_admin/oidc/id-tokens',
      method: 'post',
      accepts: ['application/json'],
      handle: (req: Request) => provider.mint(parseMint(req.body)),
    },
    rotateOidcKeys: {
      path: '/_admin/oidc/keys/rotate',
      method: 'post',
      accepts: ['application/json'],
      handle: async (req: Request) => {
        const body = new Body(req.body, new Set(['rotate', 'drop_previous']));
        const rotate = body.get('rotate', isBoolean, 'true or false') ?? true;
        const dropPrevious = body.get('drop_previous', isBoolean, 'true or false') ?? false;
        body.check();
        await provider.rotate({ rotate, dropPrevious });
        return provider.describe();
      },
    },
  };
}

/** The public routes of the built-in issuer, typed by the admin document (tag `oidc`). */
function oidcPublicRoutes(provider: OidcProvider): {
  getOidcConfiguration: AdminRoute<'getOidcConfiguration'>;
  getOidcJwks: AdminRoute<'getOidcJwks'>;
} {
  return {
    getOidcConfiguration: {
      path: '/_oidc/.well-known/openid-configuration',
      method: 'get',
      handle: () => provider.configuration(),
    },
    getOidcJwks: {
      path: '/_oidc/jwks',
      method: 'get',
      handle: async () =>
        (await provider.jwks()) as Awaited<ReturnType<AdminRoute<'getOidcJwks'>['handle']>>,
    },
  };
}

/**
 * The built-in issuer's public endpoints under `/_oidc`, with no admin key (a token exchange
 * fetches them as any issuer's): `GET` (and HEAD) of the discovery document and the JWKS;
 * another method is 405 with `Allow`.
 */
export function oidcPublicRouter(provider: OidcProvider): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  for (const route of Object.values(oidcPublicRoutes(provider))) {
    const local = route.path.slice(OIDC_PATH.length);
    router.get(local, async (req, res) => {
      sendJson(res, 200, await route.handle(req));
    });
    router.all(local, (req, res) => {
      res.set('Allow', 'GET, HEAD');
      throw problem(
        'method_not_allowed',
        `${req.method} is not allowed on ${OIDC_PATH}${req.path}; use GET`,
      );
    });
  }
  return router;
}
