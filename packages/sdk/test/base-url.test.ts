import { describe, expect, it } from 'vitest';
import { baseUrlProblem, createHangarClient } from '../src/index.js';
import { fakeFetch, json, validToken } from './fake-fetch.js';

const token = validToken();

describe('baseUrlProblem: the one base URL rule (the client and the CLI)', () => {
  it.each([
    ['http://127.0.0.1:4280'],
    ['https://hangar.test/api'],
    ['http://hangar.test/v1/'],
    ['http://[::1]:4280'],
    ['http://hangar.test/a@b'],
  ])('accepts %j', (url) => {
    expect(baseUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['http://user:s3cret-pw@hangar.test', 'credentials'],
    ['http:user:s3cret-pw@hangar.test', 'credentials'],
    ['http:\\\\user:s3cret-pw@hangar.test', 'credentials'],
    ['http://user:s3cret pw@[bad', 'credentials'],
    ['http://@hangar.test', 'credentials'],
    ['ht\ttp://user:s3cret-pw@hangar.test', 'credentials'],
    ['127.0.0.1:4280', 'not_url'],
    ['', 'not_url'],
    ['localhost:4280', 'scheme'],
    ['ftp://hangar.test', 'scheme'],
    ['http://hangar.test/?x=1', 'query'],
    ['http://hangar.test/prefix?', 'query'],
    ['http://hangar.test/#', 'query'],
  ])('%j: %s, no field repeating the password', (url, kind) => {
    const problem = baseUrlProblem(url);
    expect(problem?.kind).toBe(kind);
    expect(JSON.stringify(problem)).not.toContain('s3cret');
  });

  it('suggests the URL without its query or fragment', () => {
    expect(baseUrlProblem('http://hangar.test/prefix/?x=1#top')).toMatchObject({
      kind: 'query',
      suggestion: 'http://hangar.test/prefix',
    });
  });

  it.each([['http://hangar.test/?'], ['http://hangar.test/#']])(
    'createHangarClient refuses %j (paths would be appended after it)',
    (url) => {
      const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
      expect(() => createHangarClient({ baseUrl: url, token, fetch })).toThrow(
        /baseUrl must not have a query or fragment.*use "http:\/\/hangar.test"/,
      );
      expect(calls).toHaveLength(0);
    },
  );
});
