// Ships the contracts inside the package: dist/<name>.yaml for people, dist/<name>.json for code
// (JSON parses in milliseconds, YAML in hundreds). Every document under openapi/ is shipped, so a
// second one (an admin API) is loaded the same way: loadContract('<name>').
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const openapi = new URL('../../../openapi/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
mkdirSync(dist, { recursive: true });
for (const file of readdirSync(openapi).filter((name) => name.endsWith('.yaml'))) {
  const name = file.slice(0, -'.yaml'.length);
  copyFileSync(new URL(file, openapi), new URL(file, dist));
  const document = parse(readFileSync(new URL(file, openapi), 'utf8'));
  writeFileSync(new URL(`${name}.json`, dist), JSON.stringify(document));
}
