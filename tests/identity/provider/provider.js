// A real OpenID Connect provider (the certified oidc-provider) on loopback, for the end-to-end tests.
//
// Everything comes from the environment, so each test decides it:
//   OIDC_PROVIDER_PORT        the port on 127.0.0.1 (or the first command-line argument)
//   OIDC_CLIENT_ID            the one confidential client (client_secret_basic, PKCE required)
//   OIDC_CLIENT_SECRET
//   OIDC_REDIRECT_URI         the client's only redirect URI
//   OIDC_POST_LOGOUT_REDIRECT_URI   optional: where RP-initiated logout may send the browser back
//   OIDC_ACCOUNT_CLAIMS       JSON: the one account's claims, "sub" included
//
// Login and consent are non-interactive: /interaction/<uid> signs the account in, then grants what
// the client asked for, and sends the browser back to the provider. The provider's own cookies carry
// the interaction, so a client following redirects with a cookie jar completes a whole sign-in.
// Prints "ready <issuer>" on standard output once it listens.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`provider.js: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const port = Number(process.argv[2] || process.env.OIDC_PROVIDER_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('provider.js: give the port as the first argument or OIDC_PROVIDER_PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const account = JSON.parse(required('OIDC_ACCOUNT_CLAIMS'));
if (typeof account.sub !== 'string' || !account.sub) {
  console.error('provider.js: OIDC_ACCOUNT_CLAIMS needs a "sub"');
  process.exit(2);
}

const client = {
  client_id: required('OIDC_CLIENT_ID'),
  client_secret: required('OIDC_CLIENT_SECRET'),
  redirect_uris: [required('OIDC_REDIRECT_URI')],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};
if (process.env.OIDC_POST_LOGOUT_REDIRECT_URI) {
  client.post_logout_redirect_uris = [process.env.OIDC_POST_LOGOUT_REDIRECT_URI];
}

// A fresh signing key for every run: nothing secret is kept on disk.
const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: randomBytes(8).toString('hex'),
  use: 'sig',
  alg: 'RS256',
};

const provider = new Provider(issuer, {
  clients: [client],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  // Standard claims by scope, and the directory's own (employee id, department, language, roles,
  // groups, job title) released with the profile scope, as a hospital's provider is set up to do.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: [
      'name',
      'given_name',
      'family_name',
      'employee_id',
      'department',
      'language',
      'job_title',
      'roles',
      'groups',
    ],
  },
  async findAccount(ctx, sub) {
    if (sub !== account.sub) {
      return undefined;
    }
    return { accountId: sub, claims: async () => ({ ...account }) };
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

// The interaction: sign the one account in, then consent to everything the client asked for.
async function interact(req, res) {
  const { prompt, params, session, grantId } = await provider.interactionDetails(req, res);
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  if (prompt.name !== 'consent') {
    res.statusCode = 501;
    res.end(`prompt ${prompt.name} is not handled`);
    return;
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const { details } = prompt;
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
    mergeWithLastSubmission: true,
  });
}

const handle = provider.callback();
const server = createServer((req, res) => {
  if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(new URL(req.url, issuer).pathname)) {
    res.setHeader('Cache-Control', 'no-store');
    interact(req, res).catch((error) => {
      console.error('interaction failed', error);
      if (!res.headersSent) {
        res.statusCode = 400;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      }
      res.end(`interaction failed: ${error.message}`);
    });
    return;
  }
  handle(req, res);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
