import { afterEach, describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

// API commands send their requests with node:http (src/lib/http-fetch.ts), not Node's global
// fetch: undici compiles its HTTP parser from WebAssembly on first use, which alone costs more
// start-up than a command may take (docs/benchmarks.md, issue 14).
describe('API requests do not use the global fetch', () => {
  const mock = useMockServer();
  const realFetch = globalThis.fetch;

  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('lists organizations and reports an unreachable server with the global fetch unusable', async () => {
    // The CLI runs in this process (test/in-process.ts), so it sees this replacement; the mock
    // server answers on its own sockets.
    globalThis.fetch = () => Promise.reject(new Error('the global fetch was called'));
    const list = await hangar(['orgs', 'list'], { env: mock.env });
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^acme\s+Acme Corp\s+shared/m);
    const down = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_URL: 'http://127.0.0.1:9' },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/fetch failed \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
  });
});
