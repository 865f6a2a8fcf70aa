#!/usr/bin/env node
// The quickstart: starts hangar-mock on its embedded SQLite database, logs the real CLI in as the
// seeded user and plays the story scoped tokens exist for. Each step states what must happen; the
// script exits 0 only if every step behaved as stated. Secrets are masked in what it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const cliBin = join(root, 'apps/cli/bin/run.js');
const mockBin = join(root, 'apps/mock-server/bin/hangar-mock.js');
const work = mkdtempSync(join(tmpdir(), 'hangar-quickstart-'));
const secrets = new Set();
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Replaces every known secret (and any token-shaped string) by its masked form. */
function mask(text) {
  let out = text;
  for (const secret of secrets)
    out = out.split(secret).join(`${secret.slice(0, 7)}…${secret.slice(-4)}`);
  return out.replace(/hangar_[A-Za-z0-9_-]{20,}/g, (t) => `${t.slice(0, 7)}…${t.slice(-4)}`);
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [mockBin, '--data-dir', join(work, 'data'), '--port', '0', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) =>
      reject(new Error(`hangar-mock exited (${code}): ${stderr.slice(-500)}`)),
    );
    createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve({ child, info: JSON.parse(line) });
      } catch {
        reject(new Error(`hangar-mock printed an unexpected first line: ${line}`));
      }
    });
  });
}

function hangar(args, { token, input, apiUrl }) {
  const env = { ...process.env, HANGAR_CONFIG_DIR: join(work, 'config'), NO_COLOR: '1' };
  env.HANGAR_API_URL = apiUrl;
  delete env.HANGAR_API_TOKEN;
  delete env.HANGAR_ORG;
  delete env.HANGAR_APP;
  if (token) env.HANGAR_API_TOKEN = token;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const quote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

let failures = 0;
let stepNumber = 0;

/**
 * Runs one CLI step, prints it and its output, and checks `expect(result)`; returns the result.
 * `as` names whose token the step runs with, for the printed command line.
 */
async function step(title, args, { token, as, input, expect }) {
  stepNumber += 1;
  console.log(`\n${paint('1', `${stepNumber}. ${title}`)}`);
  const prefix = as ? `HANGAR_API_TOKEN=$${as} ` : '';
  console.log(paint('36', `$ ${prefix}hangar ${args.map(quote).join(' ')}`));
  const result = await hangar(args, { token, input, apiUrl: info.url });
  const shown = mask(`${result.stdout}${result.stderr}`).trimEnd();
  if (shown) console.log(shown.replace(/^/gm, '  '));
  const verdict = expect(result);
  if (verdict === true) console.log(paint('32', '  ✓ as expected'));
  else {
    failures += 1;
    console.log(paint('31', `  ✗ ${verdict}`));
  }
  return result;
}

/**
 * Moves the mock server's clock forward (`POST /_admin/clock`, the test control every
 * time-dependent test uses), printed as the curl call it is; counts as a step.
 */
async function advanceClock(title, seconds) {
  stepNumber += 1;
  console.log(`\n${paint('1', `${stepNumber}. ${title}`)}`);
  const body = JSON.stringify({ advance_seconds: seconds });
  console.log(
    paint(
      '36',
      `$ curl -X POST ${info.url}/_admin/clock -H "X-Hangar-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d '${body}'`,
    ),
  );
  const response = await fetch(`${info.url}/_admin/clock`, {
    method: 'POST',
    headers: { 'X-Hangar-Admin-Key': info.admin_key, 'Content-Type': 'application/json' },
    body,
  });
  const text = await response.text();
  console.log(mask(text).replace(/^/gm, '  '));
  if (response.ok) console.log(paint('32', '  ✓ as expected'));
  else {
    failures += 1;
    console.log(paint('31', `  ✗ expected 200, got ${response.status}`));
  }
}

const ok = (r) => r.code === 0 || `expected success, exit code was ${r.code}`;
const refused = (pattern) => (r) =>
  (r.code !== 0 && pattern.test(r.stderr)) ||
  `expected a refusal matching ${pattern}, got exit ${r.code}: ${mask(r.stderr.trim())}`;
const parseJson = (r) => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    return undefined;
  }
};

const { child: server, info } = await startServer();
secrets.add(info.token);
secrets.add(info.admin_key);
secrets.add(info.password);
console.log(paint('1', `hangar-mock is running at ${info.url} (SQLite in ${join(work, 'data')})`));
console.log(`seeded user: ${info.email}`);
console.log(paint('36', `$ export HANGAR_API_URL=${info.url}`));

try {
  await step(
    'Log the CLI in as the seeded user',
    ['auth', 'login', '--email', info.email, '--password-stdin'],
    {
      input: `${info.password}\n`,
      expect: ok,
    },
  );
  await step('Who am I?', ['auth', 'whoami'], { expect: ok });

  const orgRun = await step(
    'Create an org token for "acme" (what a CI pipeline gets)',
    ['tokens', 'create', 'org', 'acme', '--name', 'CI for acme', '--expiry', '720h', '--json'],
    {
      expect: (r) =>
        (r.code === 0 && parseJson(r)?.kind === 'org') ||
        `expected an org token, got exit ${r.code}`,
    },
  );
  const orgToken = parseJson(orgRun)?.token;
  if (orgToken) secrets.add(orgToken);

  await step(
    'With the org token, create an app',
    ['apps', 'create', 'acme-staging', '--org', 'acme'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: ok,
    },
  );

  const deployRun = await step(
    'With the org token, create a deploy token locked to that app',
    ['tokens', 'create', 'deploy', '--app', 'acme-staging', '--json'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: (r) =>
        (r.code === 0 && parseJson(r)?.app === 'acme-staging') ||
        `expected a deploy token, got exit ${r.code}`,
    },
  );
  const old = parseJson(deployRun) ?? {};
  if (old.token) secrets.add(old.token);

  await step('The deploy token can see its app', ['apps', 'show', 'acme-staging'], {
    token: old.token,
    as: 'DEPLOY_TOKEN',
    expect: ok,
  });

  // Rotation: a new secret for the same deploy token; the old one lives out a one-hour grace.
  const rotateRun = await step(
    'Rotate the deploy token; the old one keeps working for an hour',
    ['tokens', 'rotate', old.id ?? 'tok_missing', '--grace', '1h', '--json'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: (r) =>
        (r.code === 0 && parseJson(r)?.replaces === old.id) ||
        `expected a new token replacing ${old.id}, got exit ${r.code}`,
    },
  );
  const deploy = parseJson(rotateRun) ?? {};
  if (deploy.token) secrets.add(deploy.token);
  await step(
    'During the grace period the old deploy token works',
    ['apps', 'show', 'acme-staging'],
    {
      token: old.token,
      as: 'OLD_DEPLOY_TOKEN',
      expect: ok,
    },
  );
  await step('... and so does the new one', ['apps', 'show', 'acme-staging'], {
    token: deploy.token,
    as: 'DEPLOY_TOKEN',
    expect: ok,
  });
  await advanceClock('Move the server clock past the grace period (one hour and a second)', 3601);
  await step('The old deploy token is now refused as rotated', ['apps', 'show', 'acme-staging'], {
    token: old.token,
    as: 'OLD_DEPLOY_TOKEN',
    expect: refused(/token_rotated/),
  });
  await step(
    'The new one still works: using the old token did not revoke it',
    ['apps', 'show', 'acme-staging'],
    { token: deploy.token, as: 'DEPLOY_TOKEN', expect: ok },
  );
  await step(
    'The old token shows as rotated, naming its replacement',
    ['tokens', 'show', old.id ?? 'tok_missing'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: (r) =>
        (r.code === 0 &&
          /Status:\s+rotated/.test(r.stdout) &&
          r.stdout.includes(deploy.id ?? '<no id>')) ||
        'expected status rotated and the new token id',
    },
  );
  await step(
    'Before deploying, ask whether the deploy token may create machines in its app',
    ['auth', 'can', 'create', 'machine', '--app', 'acme-staging'],
    { token: deploy.token, as: 'DEPLOY_TOKEN', expect: ok },
  );
  await step(
    'It may not delete the app (org-level access): exit 1, naming the caveat',
    ['auth', 'can', 'delete', 'app', '--app', 'acme-staging'],
    {
      token: deploy.token,
      as: 'DEPLOY_TOKEN',
      expect: (r) =>
        (r.code === 1 && r.stdout.includes('Not allowed') && r.stdout.includes('caveat: apps')) ||
        `expected exit 1 naming the apps caveat, got exit ${r.code}`,
    },
  );
  await step('List tokens at org scope', ['tokens', 'list', '--org', 'acme'], {
    token: orgToken,
    as: 'ORG_TOKEN',
    expect: (r) =>
      (r.code === 0 && r.stdout.includes('CI for acme')) || 'expected the org token in the list',
  });
  await step(
    'List tokens at app scope',
    ['tokens', 'list', '--app', 'acme-staging', '--scope', 'app'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: (r) =>
        (r.code === 0 && r.stdout.includes(deploy.id ?? '<no id>')) ||
        'expected the deploy token in the list',
    },
  );
  await step('Revoke the deploy token', ['tokens', 'revoke', deploy.id ?? 'tok_missing'], {
    token: orgToken,
    as: 'ORG_TOKEN',
    expect: ok,
  });
  await step(
    'The revoked deploy token is refused on its very next request',
    ['apps', 'show', 'acme-staging'],
    {
      token: deploy.token,
      as: 'DEPLOY_TOKEN',
      expect: refused(/revoked/i),
    },
  );
  await step('The org token still works', ['apps', 'show', 'acme-staging'], {
    token: orgToken,
    as: 'ORG_TOKEN',
    expect: ok,
  });
  await step(
    'The org token is refused on another organization',
    ['apps', 'list', '--org', 'dev-personal'],
    { token: orgToken, as: 'ORG_TOKEN', expect: refused(/not found|no organization/i) },
  );
  await step(
    'The audit log shows what happened, newest first',
    // --since counts back from the server's clock, which step "Move the server clock" put an
    // hour ahead of when the app and tokens were made: 24h, as in the README, reaches them.
    ['events', 'list', '--org', 'acme', '--since', '24h'],
    {
      token: orgToken,
      as: 'ORG_TOKEN',
      expect: (r) =>
        (r.code === 0 &&
          ['token.revoked', 'token.created', 'app.created'].every((t) => r.stdout.includes(t))) ||
        'expected token.revoked, token.created and app.created in the audit log',
    },
  );
} finally {
  server.removeAllListeners('exit');
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}

console.log(
  failures === 0
    ? paint('32', `\nQuickstart passed: all ${stepNumber} steps behaved as stated.`)
    : paint(
        '31',
        `\nQuickstart failed: ${failures} of ${stepNumber} steps did not behave as stated.`,
      ),
);
process.exit(failures === 0 ? 0 : 1);
