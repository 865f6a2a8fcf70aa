import { HangarApiError, type Problem } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { hintForField, mapApiError } from '../../src/lib/api-errors.js';

/** C0 and C1 controls and DEL (the line's own newline excepted). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BEL = '\u0007';
const CSI = '\u009b';

function apiError(status: number, code: Problem['code'], detail: string, extra = {}) {
  const problem = {
    type: `https://hangar.dev/problems/${code}`,
    title: code,
    status,
    code,
    detail,
  };
  return new HangarApiError({
    status,
    code,
    title: code,
    detail,
    problem: { ...problem, ...extra } as Problem,
  });
}

const context = { apiUrl: 'http://127.0.0.1:4280' };

describe('mapApiError', () => {
  it('escapes control characters from required_access and the viewer scope (403)', async () => {
    const error = apiError(403, 'forbidden', '', {
      required_access: { resource: `app${BEL}`, action: 'delete', org: `acme${CSI}2J` },
    });
    const mapped = await mapApiError(error, {
      ...context,
      viewerScope: async () => ({ org: `acme${BEL}`, apps: [`web${CSI}31m`], actions: ['read'] }),
    });
    expect(mapped.message).not.toMatch(RAW_CONTROL);
    expect(mapped.message).toContain('app\\x07');
    expect(mapped.message).toContain('acme\\x9b2J');
    expect(mapped.message).toContain('web\\x9b31m');
  });

  it('escapes control characters from the viewer scope in a 404 hint', async () => {
    const mapped = await mapApiError(apiError(404, 'not_found', 'No such app'), {
      ...context,
      viewerScope: async () => ({ org: `evil${BEL}${CSI}0m`, apps: null, actions: ['read'] }),
    });
    expect(mapped.message).not.toMatch(RAW_CONTROL);
    expect(mapped.message).toContain('organization evil\\x07\\x9b0m');
  });

  it('says the required access of a 403 once', async () => {
    const detail =
      'This token cannot do this: it needs delete access to apps of app "acme-web", but it is read-only';
    const mapped = await mapApiError(
      apiError(403, 'forbidden', detail, {
        required_access: { resource: 'app', action: 'delete', org: 'acme', app: 'acme-web' },
      }),
      { ...context, viewerScope: async () => ({ org: 'acme', apps: null, actions: ['read'] }) },
    );
    expect(mapped.message.match(/delete access/g)).toHaveLength(1);
    expect(mapped.message).toBe(
      `${detail} (403 forbidden). Hint: this token is scoped to organization acme; it is read-only.`,
    );
  });

  it('names the required access when the 403 has no detail', async () => {
    const mapped = await mapApiError(
      apiError(403, 'forbidden', '', { required_access: { resource: 'app', action: 'delete' } }),
      context,
    );
    expect(mapped.message).toBe(
      'This token cannot do this: it needs delete access to app (403 forbidden)',
    );
  });

  it('says a token unknown to this server may predate a reset, and how to log in again', async () => {
    const mapped = await mapApiError(
      apiError(401, 'token_invalid', 'The token is not known to this server'),
      context,
    );
    expect(mapped.message).toContain('does not know this token');
    expect(mapped.message).toContain('reset');
    expect(mapped.message).toContain('hangar auth login');
    expect(mapped.message).not.toMatch(/was it issued by another server\?/);
  });
});

describe('hintForField: the flag behind a 400 field, per command', () => {
  it.each([
    [
      'trust-policies:create',
      'body.name',
      'must NOT have more than 100 characters',
      'check --name',
    ],
    [
      'trust-policies:create',
      'body.grant.kind',
      'must be equal to one of the allowed values',
      'check --kind',
    ],
    [
      'trust-policies:create',
      'body.conditions.sub',
      'must be a string',
      'check --condition CLAIM=PATTERN',
    ],
    ['apps:create', 'body.name', 'must match pattern', 'check the NAME argument'],
    ['tokens:create:org', 'body.name', 'must match pattern', 'check --name'],
    ['tokens:list', 'query.status', 'must be equal to one of the allowed values', 'check --status'],
    ['events:list', 'query.cursor', 'is not a cursor of this list', undefined],
  ])('%s %s', (commandId, field, message, hint) => {
    expect(hintForField({ field, message }, commandId)).toBe(hint);
  });

  it('joins a field and a message that is a sentence of its own with a colon', async () => {
    const error = apiError(
      400,
      'validation_failed',
      'body.grant.app: a deploy grant names its app',
      {
        errors: [{ field: 'body.grant.app', message: 'a deploy grant names its app' }],
      },
    );
    const mapped = await mapApiError(error, { ...context, commandId: 'trust-policies:create' });
    expect(mapped.message).toBe(
      'Invalid request: body.grant.app: a deploy grant names its app (400 validation_failed). Hint: check --app.',
    );
  });
});
