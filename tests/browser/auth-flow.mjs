// Drives the unmodified Open WebUI 0.12.4 web client in headless Chromium against a running
// Hearth: sign up (first account = admin), close the release notes, add a user from the admin
// page, sign out, sign in again. Fails on unexpected 4xx, any 5xx, uncaught exceptions, or a
// step that does not complete.
//   BASE=http://127.0.0.1:8080 node tests/browser/auth-flow.mjs
import { base, open } from './lib.mjs';

const t = await open('auth');
const { page, step } = t;
const api = (path) => t.api('GET', path);

try {
  await step('a fresh install sends the visitor to the sign-up form', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/auth/);
    await page.getByRole('button', { name: /Get started/ }).click();
    await page.getByPlaceholder('Enter Your Full Name').waitFor();
  });
  await step('the first account signs up and becomes admin', async () => {
    await page.getByPlaceholder('Enter Your Full Name').fill('Ada Lovelace');
    await page.getByPlaceholder('Enter Your Email').fill('ada@example.com');
    await page.getByPlaceholder('Enter Your Password').fill('secret-pass-1');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/`);
    await page.getByText("You're now logged in.").waitFor();
    const me = await api('/api/v1/auths/');
    if (me.status !== 200 || me.body.role !== 'admin') throw new Error(JSON.stringify(me));
  });
  await step('the release notes close and the choice is saved', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/users/user/settings/update') && r.status() === 200);
    await page.getByRole('button', { name: "Okay, Let's Go!" }).click();
    await saved;
    const settings = await api('/api/v1/users/user/settings');
    if (!settings.body?.ui?.version) throw new Error(JSON.stringify(settings));
  });
  await step('the admin adds a user from the users page', async () => {
    await page.goto(`${base}/admin/users`);
    await page.getByText('ada@example.com').waitFor();
    await page.getByRole('button', { name: 'Add User' }).click();
    await page.getByPlaceholder('Enter Your Full Name').fill('Grace Hopper');
    await page.getByPlaceholder('Enter Your Email').fill('grace@example.com');
    await page.getByPlaceholder('Enter Your Password').fill('grace-pass-1');
    const added = page.waitForResponse((r) => r.url().endsWith('/api/v1/auths/add'));
    await page.locator('form button[type="submit"]').last().click();
    const response = await added;
    if (response.status() !== 200) throw new Error(`add user: ${response.status()} ${await response.text()}`);
    await page.getByText('grace@example.com').waitFor();
  });
  await step('after signing out, the admin signs in again', async () => {
    await page.evaluate(() => localStorage.removeItem('token'));
    await page.context().clearCookies();
    await page.goto(`${base}/auth`);
    await page.getByPlaceholder('Enter Your Email').fill('ada@example.com');
    await page.getByPlaceholder('Enter Your Password').fill('secret-pass-1');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/`);
    const me = await api('/api/v1/auths/');
    if (me.body.email !== 'ada@example.com') throw new Error(JSON.stringify(me));
  });
  console.log('browser flow passed');
} finally {
  await t.close();
}
