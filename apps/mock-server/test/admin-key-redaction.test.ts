import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { REDACTED_ADMIN_KEY, redactSecrets, redactValueOf } from '../src/redact.js';
import { admin, logCapture, startServer, withServer } from './helpers.js';

/** Not `hma_`-shaped, with characters a URL percent-encodes. */
const KEY = 'correct horse/battery@staple';

describe('an admin key set by HANGAR_MOCK_ADMIN_KEY, of any shape, is redacted by value', () => {
  let server: MockServer;
  const { logDestination, lines: logLines } = logCapture();
  beforeAll(async () => {
    const before = process.env.HANGAR_MOCK_ADMIN_KEY;
    process.env.HANGAR_MOCK_ADMIN_KEY = KEY;
    try {
      server = await startServer({ logLevel: 'info', logDestination });
    } finally {
      if (before === undefined) delete process.env.HANGAR_MOCK_ADMIN_KEY;
      else process.env.HANGAR_MOCK_ADMIN_KEY = before;
    }
  }, 60_000);
  afterAll(() => server.close());

  /** Every way the key was sent below. */
  const forms = [KEY, encodeURIComponent(KEY), KEY.replaceAll(' ', '+'), 'horse%2fbattery'];

  it('in the request log, the journal and problem bodies', async () => {
    expect(server.adminKey).toBe(KEY);
    const auth = { authorization: `Bearer ${server.devToken}` };
    const answers = [
      await fetch(`${server.url}/v1/apps/${encodeURIComponent(KEY)}`, { headers: auth }),
      await fetch(`${server.url}/v1/orgs?cursor=${KEY.replaceAll(' ', '+')}`, { headers: auth }),
      await fetch(`${server.url}/v1/orgs/acme/apps?k=correct%20horse%2fbattery%40staple`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: KEY, notes: [`key: ${KEY}`] }),
      }),
      await fetch(`${server.url}/_admin/clock?k=${encodeURIComponent(KEY)}`, {
        headers: { 'x-hangar-admin-key': KEY },
      }),
    ];
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    const journal = JSON.stringify(await admin(server, 'GET', '/requests'));
    const logged = logLines.join('');
    for (const [where, text] of [
      ['problem bodies', bodies.join('\n')],
      ['journal', journal],
      ['request log', logged],
    ] as const) {
      for (const form of forms) expect(text.toLowerCase(), where).not.toContain(form.toLowerCase());
    }
    expect(journal).toContain(`"name":"${REDACTED_ADMIN_KEY}"`);
    expect(journal).toContain(`key: ${REDACTED_ADMIN_KEY}`);
    expect(logged).toContain(`/_admin/clock?k=${REDACTED_ADMIN_KEY}`);
  });
});

describe('redactValueOf', () => {
  it('redacts until every server that registered the value has forgotten it', () => {
    const value = 'not-an-hma-key-0123';
    const first = redactValueOf(value);
    const second = redactValueOf(value);
    expect(redactSecrets(`a ${value} b`)).toBe(`a ${REDACTED_ADMIN_KEY} b`);
    first();
    first();
    expect(redactSecrets(value)).toBe(REDACTED_ADMIN_KEY);
    second();
    expect(redactSecrets(value)).toBe(value);
  });
});

describe('a blank admin key counts as unset', () => {
  it.each([
    ['HANGAR_MOCK_ADMIN_KEY=""', { env: '' }],
    ['HANGAR_MOCK_ADMIN_KEY="  "', { env: '  ' }],
    ["adminKey: ''", { option: '' }],
  ])('%s: a random hma_ key, and an empty header is refused (401)', async (_, given) => {
    const before = process.env.HANGAR_MOCK_ADMIN_KEY;
    if ('env' in given) process.env.HANGAR_MOCK_ADMIN_KEY = given.env;
    try {
      const options = 'option' in given ? { adminKey: given.option } : {};
      await withServer(options, async (server) => {
        expect(server.adminKey).toMatch(/^hma_[\w-]{43}$/);
        const empty = await fetch(`${server.url}/_admin/clock`, {
          headers: { 'x-hangar-admin-key': '' },
        });
        expect(empty.status).toBe(401);
      });
    } finally {
      if (before === undefined) delete process.env.HANGAR_MOCK_ADMIN_KEY;
      else process.env.HANGAR_MOCK_ADMIN_KEY = before;
    }
  });
});
