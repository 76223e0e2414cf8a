// Settings and administration in the unmodified Open WebUI web client: the user settings
// dialog saves, the admin opens sign-up from the admin settings, a new user signs up and waits
// as pending, the admin approves them from the users page and changes another user's role, the
// approved user reaches the chat, and the admin signs out from the user menu and back in.
// Runs after auth-flow.mjs against the same server (its admin Ada and user Grace).
//   BASE=http://127.0.0.1:8080 node tests/browser/admin-flow.mjs
import { base, check, open, signIn } from './lib.mjs';

const t = await open('admin');
const { page, api, step } = t;

const switchFor = (label) => page.getByText(label, { exact: true })
  .locator('xpath=ancestor::div[.//button[@role="switch"]][1]').getByRole('switch');
const userRow = (email) => page.locator('tr', { hasText: email });
// The role button opens the Edit User dialog; the role is chosen there and saved.
const setRole = async (email, role) => {
  await userRow(email).getByRole('button', { name: 'Change User Role' }).click();
  const dialog = page.locator('[role=dialog]', { hasText: 'Edit User' });
  await dialog.locator('select').first().selectOption(role);
  const saved = page.waitForResponse((r) => /\/api\/v1\/users\/[^/]+\/update$/.test(r.url()));
  await dialog.locator('button', { hasText: /^\s*Save\s*$/ }).click();
  check((await saved).status() === 200, 'role not saved');
  await dialog.waitFor({ state: 'detached' });
  const shown = userRow(email).getByRole('button', { name: 'Change User Role' });
  for (let i = 0; i < 50 && (await shown.innerText()).trim().toLowerCase() !== role; i += 1) await page.waitForTimeout(100);
  check((await shown.innerText()).trim().toLowerCase() === role, `the table shows ${await shown.innerText()}`);
};
const user = async (email) => {
  const list = await api('GET', `/api/v1/users/?query=${encodeURIComponent(email)}`);
  return list.body.users.find((u) => u.email === email);
};

try {
  await step('the admin signs in', async () => {
    await signIn(page, 'ada@example.com', 'secret-pass-1');
  });

  await step('the settings dialog saves a system prompt', async () => {
    await page.getByRole('button', { name: 'User menu' }).first().click();
    await page.locator('[role=menu]').getByText('Settings', { exact: true }).click();
    await page.getByPlaceholder('Enter system prompt here').fill('Answer like a librarian.');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/users/user/settings/update'));
    await page.locator('[role=dialog]').getByRole('button', { name: 'Save', exact: true }).click();
    check((await saved).status() === 200, 'settings not saved');
    const settings = await api('GET', '/api/v1/users/user/settings');
    check(settings.body.ui.system === 'Answer like a librarian.', JSON.stringify(settings.body.ui));
    await page.keyboard.press('Escape');
  });

  await step('the admin settings open sign-up for new users', async () => {
    await page.goto(`${base}/admin/settings`);
    await page.locator('button', { hasText: /^\s*Authentication\s*$/ }).first().click();
    const toggle = switchFor('New Sign Ups');
    if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auths/admin/config') && r.request().method() === 'POST');
    await page.locator('button', { hasText: /^\s*Save\s*$/ }).last().click();
    check((await saved).status() === 200, 'admin config not saved');
    const config = await api('GET', '/api/v1/auths/admin/config');
    check(config.body.ENABLE_SIGNUP === true, JSON.stringify(config.body));
    await page.keyboard.press('Escape');
  });

  const visitor = await t.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const newcomer = t.watch(await visitor.newPage());
  await step('a newcomer signs up and waits for approval', async () => {
    await newcomer.goto(`${base}/auth`);
    await newcomer.getByRole('button', { name: 'Sign up' }).click();
    await newcomer.getByPlaceholder('Enter Your Full Name').fill('Pat Newcomer');
    await newcomer.getByPlaceholder('Enter Your Email').fill('pat@example.com');
    await newcomer.getByPlaceholder('Enter Your Password').fill('pat-pass-123');
    await newcomer.locator('button[type="submit"]').click();
    await newcomer.getByText('Account Activation Pending').waitFor();
    check((await user('pat@example.com')).role === 'pending', 'not pending');
  });

  await step('the admin approves the newcomer from the users page', async () => {
    await page.goto(`${base}/admin/users`);
    await setRole('pat@example.com', 'user');
    check((await user('pat@example.com')).role === 'user', 'not approved');
  });

  await step('the approved newcomer reaches the chat', async () => {
    await newcomer.reload();
    await newcomer.locator('#chat-input').waitFor();
    await visitor.close();
  });

  await step("the admin changes another user's role", async () => {
    await setRole('grace@example.com', 'admin');
    check((await user('grace@example.com')).role === 'admin', 'role unchanged');
  });

  await step('sign out from the user menu, then sign in again', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'User menu' }).first().click();
    await page.locator('[role=menu]').getByText('Sign Out', { exact: true }).click();
    await page.waitForURL(/\/auth/);
    await signIn(page, 'ada@example.com', 'secret-pass-1');
    const me = await api('GET', '/api/v1/auths/');
    check(me.body.email === 'ada@example.com', JSON.stringify(me.body));
  });
  console.log('admin flow passed');
} finally {
  await t.close();
}
