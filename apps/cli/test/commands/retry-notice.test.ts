import { describe, expect, it } from 'vitest';
import { admin, hangar, useMockServer } from '../helpers.js';

describe('a retry the server asked for is shown on stderr, never on stdout', () => {
  const mock = useMockServer();
  /** The next `listApps` answers 503 with `Retry-After: seconds` (one real wait of that long). */
  const fault = (seconds: number) =>
    admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'listApps',
      status: 503,
      retry_after_seconds: seconds,
      times: 1,
    });

  it('--verbose prints a line per retry wait', async () => {
    await fault(1);
    const result = await hangar(['apps', 'list', '-o', 'acme', '-j', '--verbose'], {
      env: mock.env,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeInstanceOf(Array);
    expect(result.stderr).toMatch(
      /\[verbose\] 503 Service Unavailable from GET http:\/\/127\.0\.0\.1:\d+\/v1\/orgs\/acme\/apps\S*: retrying in 1 s \(attempt 2 of 3\)/,
    );
  }, 60_000);

  it('without --verbose, says once that it waits when the wait is over 2 s', async () => {
    await fault(3);
    const result = await hangar(['apps', 'list', '-o', 'acme', '-j'], { env: mock.env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeInstanceOf(Array);
    expect(result.stderr).toBe(
      'Server answered 503 Service Unavailable; retrying in 3 s, waiting… (Ctrl-C to stop)\n',
    );
  }, 60_000);

  it('without --verbose, a short wait passes silently', async () => {
    await fault(1);
    const result = await hangar(['apps', 'list', '-o', 'acme', '-j'], { env: mock.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  }, 60_000);
});
