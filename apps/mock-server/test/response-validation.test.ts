import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { http, startServer } from './helpers.js';

// With validateResponses on (tests), a reply that breaks the contract is a 500, not a quiet
// pass: here a machine row written by another process has an id off the contract's pattern.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hangar-mock-replies-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a machine of acme-web whose id breaks `^m_[0-9a-f]{16}$`, as another process could. */
function insertBadMachine(dataDir: string): void {
  const outside = new BetterSqlite3(join(dataDir, 'hangar.db'));
  try {
    const app = outside.prepare("select id from apps where name = 'acme-web'").get() as {
      id: string;
    };
    outside
      .prepare(
        'insert into machines (id, app_id, state, image, region, created_at) values (?, ?, ?, ?, ?, ?)',
      )
      .run('m_NOT-HEX', app.id, 'started', 'nginx', 'iad', Date.now());
  } finally {
    outside.close();
  }
}

describe('response validation', () => {
  it('a reply off the contract is caught: 500 internal when on, the reply as is when off', async () => {
    const dataDir = join(dir, 'data');
    const checked = await startServer({ dataDir, validateResponses: true });
    try {
      insertBadMachine(dataDir);
      const response = await http(checked, 'GET', '/v1/apps/acme-web/machines', {
        token: checked.devToken,
      });
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ code: 'internal' });
      expect(JSON.stringify(response.body)).not.toContain('m_NOT-HEX');
    } finally {
      await checked.close();
    }
    const unchecked = await startServer({ dataDir, validateResponses: false });
    try {
      const response = await http(unchecked, 'GET', '/v1/apps/acme-web/machines', {
        token: unchecked.devToken,
      });
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).toContain('m_NOT-HEX');
    } finally {
      await unchecked.close();
    }
  });
});
