// Directory sign-in in the unmodified Open WebUI web client: the admin points Hearth at the test
// slapd (LDAP_PORT) and turns LDAP on; the login page then offers the directory form, a wrong
// password is refused, and the right one signs the directory user in. Runs last (it changes the
// login page), against the server auth-flow.mjs set up.
//   BASE=http://127.0.0.1:8080 LDAP_PORT=3890 node tests/browser/ldap-flow.mjs
import { base, check, open, signIn } from './lib.mjs';

const t = await open('ldap');
const { page, api, step } = t;
try {
  await step('the admin points Hearth at the directory and turns LDAP on', async () => {
    await signIn(page, 'ada@example.com', 'secret-pass-1');
    const saved = await api('POST', '/api/v1/auths/admin/config/ldap/server', {
      label: 'Test directory', host: '127.0.0.1', port: process.env.LDAP_PORT,
      attribute_for_mail: 'mail', attribute_for_username: 'uid',
      search_base: 'ou=people,dc=hearth,dc=test', app_dn: 'cn=admin,dc=hearth,dc=test',
      app_dn_password: 'admin-secret', use_tls: false,
    });
    check(saved.status === 200, JSON.stringify(saved));
    const on = await api('POST', '/api/v1/auths/admin/config/ldap', { enable_ldap: true });
    check(on.body.ENABLE_LDAP === true, JSON.stringify(on));
  });

  const visitor = t.watch(await (await t.browser.newContext()).newPage());
  await step('a wrong directory password is refused', async () => {
    await visitor.goto(`${base}/auth`);
    await visitor.getByPlaceholder('Enter Your Username').fill('alice');
    await visitor.getByPlaceholder('Enter Your Password').fill('not-her-password');
    const answer = visitor.waitForResponse((r) => r.url().endsWith('/api/v1/auths/ldap'));
    await visitor.getByRole('button', { name: 'Authenticate' }).click();
    check((await answer).status() === 400, 'wrong password accepted');
    await visitor.getByText('Authentication failed.').first().waitFor();
  }, { expect4xx: [/\/api\/v1\/auths\/ldap$/] });

  await step('the directory user signs in and reaches the chat', async () => {
    await visitor.getByPlaceholder('Enter Your Password').fill('alice-pass');
    await visitor.getByRole('button', { name: 'Authenticate' }).click();
    await visitor.waitForURL(`${base}/`);
    const me = await visitor.evaluate(async () => (await fetch('/api/v1/auths/', {
      headers: { Authorization: `Bearer ${localStorage.token}` },
    })).json());
    check(me.email === 'alice@hearth.test' && me.name === 'Alice Liddell', JSON.stringify(me));
  });
  console.log('ldap flow passed');
} finally {
  await t.close();
}
