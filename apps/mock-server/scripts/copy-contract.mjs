// Ships the contract inside the package: dist/openapi.yaml for people, dist/openapi.json for the
// server (JSON parses in milliseconds, YAML in hundreds). An installed hangar-mock validates
// against it and reads its authorization table from it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const source = new URL('../../../openapi/hangar.yaml', import.meta.url);
copyFileSync(source, new URL('../dist/openapi.yaml', import.meta.url));
const contract = parse(readFileSync(source, 'utf8'));
writeFileSync(new URL('../dist/openapi.json', import.meta.url), JSON.stringify(contract));
