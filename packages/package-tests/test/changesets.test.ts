import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// `changeset version` (the release) refuses a changeset that names a package the config ignores
// together with one it publishes ("Mixed changesets that contain both ignored and not ignored
// packages are not allowed"), and one naming a package that does not exist. Caught here, not at
// release time.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = join(root, '.changeset');
const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { ignore: string[] };
const workspacePackages = new Set(
  ['packages', 'apps', 'bench'].flatMap((parent) => {
    const at = join(root, parent);
    const dirs = parent === 'bench' ? [''] : readdirSync(at);
    return dirs.flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(at, name, 'package.json'), 'utf8')).name as string];
      } catch {
        return [];
      }
    });
  }),
);
const changesets = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');

/** The package names of a changeset's front matter (YAML between the first two `---`). */
function packagesOf(file: string): string[] {
  const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
  return Object.keys((parse(front) as Record<string, string> | null) ?? {});
}

describe('changesets a release can apply', () => {
  it('there are changesets to check', () => {
    expect(changesets.length).toBeGreaterThan(0);
  });

  it.each(changesets)(
    '%s names existing packages, not ignored ones mixed with published',
    (file) => {
      const names = packagesOf(file);
      expect(names.filter((name) => !workspacePackages.has(name))).toEqual([]);
      const ignored = names.filter((name) => config.ignore.includes(name));
      if (ignored.length > 0) expect(names).toEqual(ignored);
    },
  );
});
