// An OpenID Connect provider for the single sign-on tests: the npm `oidc-provider` (a
// certified implementation) on loopback, with its development sign-in pages (any login is
// accepted; the login names the account). Accounts: `<name>` is `<name>@hearth.test`, a login
// containing `@` is that email; the subject is `sub-<login>`; logins starting with `boss`
// carry the role `admin`, with `guest` the role `guest`, with `noroles` none, others `user`;
// emails of logins starting with `unverified` are marked not verified.
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET (empty: a public client that must use PKCE),
// REDIRECT_URIS (comma-separated), POST_LOGOUT_REDIRECT_URIS, TAMPER (a misbehaving provider
// for the rejection tests: `nonce`, `audience`, `issuer`, `expired` or `signature` rewrite the ID token
// of every token response, signed with the provider's own key except for `signature`;
// `resign` only signs it again, unchanged, as the control).
// Prints `ready <issuer>` once listening.
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const clientSecret = process.env.CLIENT_SECRET || '';
const tamper = process.env.TAMPER || '';
const list = (v) => (v || '').split(',').map((s) => s.trim()).filter(Boolean);

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'hearth-test', use: 'sig', alg: 'RS256' };
const { privateKey: strangerKey } = await jose.generateKeyPair('RS256');

function account(login) {
  const email = login.includes('@') ? login.toLowerCase() : `${login.toLowerCase()}@hearth.test`;
  const local = email.split('@')[0];
  const roles = local.startsWith('boss') ? ['admin'] : local.startsWith('guest') ? ['guest']
    : local.startsWith('noroles') ? [] : ['user'];
  return {
    accountId: login,
    async claims() {
      return {
        sub: `sub-${login}`,
        email,
        email_verified: !local.startsWith('unverified'),
        name: local.charAt(0).toUpperCase() + local.slice(1),
        roles,
      };
    },
  };
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID || 'hearth',
    ...(clientSecret ? { client_secret: clientSecret } : { token_endpoint_auth_method: 'none' }),
    redirect_uris: list(process.env.REDIRECT_URIS),
    post_logout_redirect_uris: list(process.env.POST_LOGOUT_REDIRECT_URIS),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['hearth-oidc-test'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    roles: ['roles'],
  },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'roles'],
  findAccount: async (_ctx, id) => account(id),
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
});

async function tampered(idToken) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (tamper === 'nonce') claims.nonce = 'not-the-nonce-that-was-sent';
  if (tamper === 'audience') claims.aud = 'some-other-client';
  if (tamper === 'issuer') claims.iss = 'https://impostor.example';
  if (tamper === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const key = tamper === 'signature' ? strangerKey : privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'hearth-test' }).sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (tamper && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
  }
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
