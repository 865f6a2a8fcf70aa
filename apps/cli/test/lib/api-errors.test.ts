import { HangarApiError, type Problem } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { mapApiError } from '../../src/lib/api-errors.js';

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
