import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { engineConflicts, parseLockfile } from '../src/lockfile-engines.js';
import { PUBLISHED_NAMES, publishedPackages, ROOT } from '../src/workspace.js';

const published = publishedPackages();

/**
 * The Node versions every runtime dependency must admit: the lowest our `engines.node` allows
 * (20.19.0 for `>=20.19`) and the Node running this test (CI's, 20.20 on this project's machines).
 */
const nodeVersions = [
  ...new Set([
    ...published.map((pkg) => semver.minVersion(pkg.engines?.node ?? '*')?.version ?? '0.0.0'),
    process.versions.node,
  ]),
];

describe('engines of runtime dependencies (pnpm-lock.yaml)', () => {
  it('every published package declares engines.node admitting Node 20.19', () => {
    expect(published.map((pkg) => pkg.name).sort()).toEqual(PUBLISHED_NAMES);
    for (const pkg of published)
      expect(semver.satisfies('20.19.0', pkg.engines?.node ?? '')).toBe(true);
  });

  it(`no package a published one needs at run time excludes Node ${nodeVersions.join(' or ')}`, () => {
    const lock = parseLockfile(readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8'));
    const conflicts = engineConflicts(
      lock,
      published.map((pkg) => pkg.importer),
      nodeVersions,
    );
    expect(conflicts).toEqual([]);
  });

  it('reports a transitive runtime dependency declaring node >=22, with the path to it', () => {
    // The shape of the lockfile when @hangar/mock-server depended on kysely 0.29.9.
    const lock = parseLockfile(`
lockfileVersion: '9.0'
importers:
  apps/mock-server:
    dependencies:
      '@hangar/sdk': { specifier: workspace:*, version: link:../../packages/sdk }
    devDependencies:
      vite: { specifier: 8.3.8, version: 8.3.8 }
  packages/sdk:
    dependencies:
      helper: { specifier: 1.0.0, version: 1.0.0(peer@2.0.0) }
packages:
  helper@1.0.0: { engines: { node: '>=18' } }
  kysely@0.29.9: { engines: { node: '>=22.0.0' } }
  peer@2.0.0: {}
  vite@8.3.8: { engines: { node: '>=24' } }
snapshots:
  helper@1.0.0(peer@2.0.0):
    dependencies: { kysely: 0.29.9, peer: 2.0.0 }
  kysely@0.29.9: {}
  peer@2.0.0: {}
  vite@8.3.8: {}
`);
    expect(engineConflicts(lock, ['apps/mock-server'], ['20.19.0', '20.20.2'])).toEqual([
      {
        package: 'kysely@0.29.9',
        engines: '>=22.0.0',
        excludes: ['20.19.0', '20.20.2'],
        path: 'apps/mock-server > @hangar/sdk > helper@1.0.0 > kysely@0.29.9',
      },
    ]);
  });
});
