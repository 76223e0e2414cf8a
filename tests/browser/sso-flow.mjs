// Single sign-on in the unmodified Open WebUI web client: the admin points Hearth at the test
// OpenID Connect provider (tests/browser/oidc-provider.mjs at OIDC_ISSUER, Hearth's callback
// registered); the login page then shows "Continue with Hearth ID"; a visitor signs in at the
// provider, consents, and lands in the chat with the session the web client read from the
// cookie; signing out ends the session at the provider and comes back; a login whose
// role claim is not allowed comes back to the login page with the refusal shown. Runs last,
// against the server auth-flow.mjs set up.
//   BASE=http://127.0.0.1:8080 OIDC_ISSUER=http://127.0.0.1:9000 node tests/browser/sso-flow.mjs
import { base, check, open } from './lib.mjs';

const issuer = process.env.OIDC_ISSUER;
// The steps' own screenshots show the admin's page; these show the visitors'.
const shot = async (visitorPage, label) => {
  if (process.env.SCREENSHOTS) {
    await visitorPage.screenshot({ path: `${process.env.SCREENSHOTS}/sso-visitor-${label}.png` });
  }
};
const t = await open('sso');
const { page, api, step } = t;

async function signInAtProvider(visitor, login) {
  await visitor.goto(`${base}/auth`);
  await visitor.getByRole('button', { name: 'Continue with Hearth ID' }).click();
  await visitor.waitForURL(new RegExp(`^${issuer}/interaction/`));
  await visitor.locator('input[name=login]').fill(login);
  await visitor.locator('input[name=password]').fill('any-password');
  await visitor.getByRole('button', { name: 'Sign-in' }).click();
  await visitor.getByRole('button', { name: 'Continue' }).click();
}

try {
  await step('the admin configures the OpenID Connect provider', async () => {
    // The directory form is the default since ldap-flow.mjs; the email form is one click away.
    await page.goto(`${base}/auth`);
    await page.getByRole('button', { name: 'Continue with Email' }).click();
    await page.getByPlaceholder('Enter Your Email').fill('ada@example.com');
    await page.getByPlaceholder('Enter Your Password').fill('secret-pass-1');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/`);
    const saved = await api('POST', '/api/v1/auths/admin/config/oauth', {
      ENABLE_OAUTH: true,
      ENABLE_OAUTH_SIGNUP: true,
      ENABLE_OAUTH_ROLE_MANAGEMENT: true,
      OAUTH_PROVIDER_NAME: 'Hearth ID',
      OPENID_PROVIDER_URL: `${issuer}/.well-known/openid-configuration`,
      OAUTH_CLIENT_ID: 'hearth',
      OAUTH_CLIENT_SECRET: 'hearth-browser-secret',
      OAUTH_SCOPES: 'openid email profile roles',
    });
    check(saved.status === 200 && saved.body.OAUTH_CLIENT_ID === 'hearth', JSON.stringify(saved));
  });

  const visitor = t.watch(await (await t.browser.newContext()).newPage());
  await step('a visitor signs in through the provider and reaches the chat', async () => {
    await signInAtProvider(visitor, 'paula');
    await visitor.waitForURL(`${base}/`);
    const me = await visitor.evaluate(async () => (await fetch('/api/v1/auths/', {
      headers: { Authorization: `Bearer ${localStorage.token}` },
    })).json());
    check(me.email === 'paula@hearth.test' && me.name === 'Paula' && me.role === 'user',
      JSON.stringify(me));
    await visitor.getByRole('button', { name: 'User menu' }).first().waitFor();
    await shot(visitor, 'signed-in');
  });

  await step('signing out ends the session at the provider too', async () => {
    await visitor.getByRole('button', { name: 'User menu' }).first().click();
    await visitor.locator('[role=menu]').getByText('Sign Out', { exact: true }).click();
    await visitor.waitForURL(new RegExp(`^${issuer}/session/end`));
    check(visitor.url().includes('id_token_hint='), visitor.url());
    // The provider asks to confirm, then sends the browser back to the login page.
    await visitor.getByRole('button', { name: 'Yes, sign me out' }).click();
    await visitor.waitForURL(new RegExp(`^${base}/auth`));
    await visitor.getByRole('button', { name: 'Continue with Hearth ID' }).waitFor();
  });

  const guest = t.watch(await (await t.browser.newContext()).newPage());
  await step('a login without an allowed role is refused with a message', async () => {
    await signInAtProvider(guest, 'guest-quinn');
    await guest.waitForURL(/\/auth\?error=/);
    await guest.getByText('You do not have permission to access this resource').first().waitFor();
    await shot(guest, 'refused');
  });
  console.log('sso flow passed');
} finally {
  await t.close();
}
