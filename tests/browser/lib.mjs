// Shared by the browser tests: headless Debian Chromium through playwright-core, named steps
// with a screenshot each, and a watch on everything the page should never see: answers of 500
// or more, 4xx answers the step did not expect, uncaught exceptions.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const base = process.env.BASE ?? 'http://127.0.0.1:8080';
const shots = process.env.SCREENSHOTS;
if (shots) fs.mkdirSync(shots, { recursive: true });

export async function open(name) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  let allowed = [];
  const watch = (page) => {
    page.setDefaultTimeout(15000);
    page.on('response', (r) => {
      const status = r.status();
      const url = r.url();
      if (status >= 500 || (status >= 400 && !allowed.some((pattern) => pattern.test(url)))) {
        problems.push(`${status} ${r.request().method()} ${url}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    return page;
  };
  const page = watch(await context.newPage());
  let count = 0;
  const shoot = async (label) => {
    if (shots) await page.screenshot({ path: `${shots}/${name}-${String(count).padStart(2, '0')}-${label}.png` });
  };
  return {
    browser,
    context,
    page,
    watch,
    // Runs one step; `expect4xx` lists URL patterns whose 4xx answers this step expects.
    async step(label, action, { expect4xx = [] } = {}) {
      count += 1;
      process.stdout.write(`- ${label} ... `);
      allowed = expect4xx;
      try {
        await action();
        allowed = [];
        if (problems.length) throw new Error(`unexpected answers or errors:\n${problems.join('\n')}`);
        await shoot(label.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
        console.log('ok');
      } catch (error) {
        console.log('FAILED');
        await shoot('failed');
        throw error;
      }
    },
    // fetch() inside the page with the signed-in user's token.
    api: (method, path, body) => page.evaluate(async ([m, p, b]) => {
      const r = await fetch(p, {
        method: m,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${localStorage.token}` },
        body: b ? JSON.stringify(b) : undefined,
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    }, [method, path, body]),
    async close() {
      await browser.close();
    },
  };
}

export async function signIn(page, email, password) {
  await page.goto(`${base}/auth`);
  await page.getByPlaceholder('Enter Your Email').fill(email);
  await page.getByPlaceholder('Enter Your Password').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(`${base}/`);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}
