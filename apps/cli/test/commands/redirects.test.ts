import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

// The CLI's own fetch (src/lib/http-fetch.ts) follows redirects as fetch does, and like fetch
// (WHATWG Fetch, "HTTP-redirect fetch") it must not carry the token to another origin: a
// redirect from the API (a misconfigured proxy, a hostile server) would otherwise hand
// `Authorization: Bearer hangar_...` to whatever host the Location names.
describe('redirects and the Authorization header', () => {
  const mock = useMockServer();
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  /**
   * A server on 127.0.0.1: `handle(path)` either answers a redirect (`{ status, location }`) or,
   * when it returns undefined, an empty list, recording the request's `Authorization`.
   */
  async function serve(
    handle: (path: string, self: string) => { status: number; location: string } | undefined,
  ) {
    const seen: { path: string; authorization: string | undefined }[] = [];
    let url = '';
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      const redirect = handle(path, url);
      if (redirect) {
        res.writeHead(redirect.status, { Location: redirect.location }).end();
        return;
      }
      seen.push({ path, authorization: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"items":[],"next_cursor":null}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return { url, seen };
  }

  const orgsList = (apiUrl: string) =>
    hangar(['orgs', 'list', '-j'], { env: { ...mock.env, HANGAR_API_URL: apiUrl } });

  it.each([301, 302, 303, 307, 308])(
    'a %i to another origin (another port) arrives there without the token',
    async (status) => {
      const other = await serve(() => undefined);
      const api = await serve((path) => ({ status, location: `${other.url}${path}` }));
      const result = await orgsList(api.url);
      expect(other.seen).toHaveLength(1);
      expect(other.seen[0]?.path).toMatch(/^\/v1\/orgs/);
      expect(other.seen[0]?.authorization).toBeUndefined();
      expect(result.stdout).not.toContain(mock.env.HANGAR_API_TOKEN);
    },
  );

  it('a redirect within the same origin keeps the token', async () => {
    const api = await serve((path, self) =>
      path.startsWith('/moved/') ? undefined : { status: 307, location: `${self}/moved${path}` },
    );
    const result = await orgsList(api.url);
    expect(result.code).toBe(0);
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.authorization).toBe(`Bearer ${mock.env.HANGAR_API_TOKEN}`);
  });
});
