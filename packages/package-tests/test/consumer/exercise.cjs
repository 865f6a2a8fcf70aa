// What the ESM and CommonJS scripts do with the packages they loaded (each its own way): mint and
// verify a token, start the mock server in-process and list an org's apps through the SDK. Prints
// one JSON line for the packaging test to read.
const { randomBytes } = require('node:crypto');

/**
 * @param {{ sdk: typeof import('@hangar/sdk'), mock: typeof import('@hangar/mock-server'),
 *   tokens: typeof import('@hangar/tokens') }} packages
 */
async function exercise({ sdk, mock, tokens }) {
  const rootKey = randomBytes(32);
  const token = tokens.mint({
    rootKey,
    identifier: tokens.newIdentifier(),
    caveats: [{ type: 'org', org: 'acme' }],
  });
  const allowed = tokens.verify(
    token,
    rootKey,
    { level: 'org', org: 'acme', action: 'read' },
    new Date(),
  );
  const denied = tokens.verify(
    token,
    rootKey,
    { level: 'org', org: 'other', action: 'read' },
    new Date(),
  );
  const server = await mock.startMockServer({ port: 0, memory: true });
  let apps;
  try {
    const hangar = sdk.createHangarClient({ baseUrl: server.url, token: server.devToken });
    apps = (await hangar.apps.list('acme')).items.map((app) => app.name).sort();
  } finally {
    await server.close();
  }
  const result = {
    allowed: allowed.ok,
    denied: denied.ok,
    apps,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { exercise };
