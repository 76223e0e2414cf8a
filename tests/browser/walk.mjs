// Walks the pages of the web client a new user would open and reports, per page, the API
// answers of 400 or more and uncaught exceptions it caused (the README's page list comes from
// this). Not part of the suite: a report, not a test.
//   BASE=http://127.0.0.1:8080 node tests/browser/walk.mjs
import { chromium } from 'playwright-core';
import { base, signIn } from './lib.mjs';

const pages = [
  '/', '/workspace/models', '/workspace/knowledge', '/workspace/prompts', '/workspace/tools',
  '/workspace/skills', '/notes', '/playground', '/admin/users', '/admin/evaluations',
  '/admin/functions', '/?settings=general', '/?settings=interface', '/?settings=data_controls',
  '/?settings=account', '/?settings=about', '/?settings=archived_chats',
  ...['general', 'auth', 'interface', 'connections', 'models', 'documents', 'web', 'code-execution',
    'images', 'audio', 'pipelines', 'db', 'evaluations', 'integrations'].map((tab) => `/admin/settings/${tab}`),
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
let seen = [];
page.on('response', (r) => { if (r.status() >= 400) seen.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
page.on('pageerror', (e) => seen.push(`exception: ${e.message.slice(0, 80)}`));
await signIn(page, process.env.EMAIL ?? 'ada@example.com', process.env.PASSWORD ?? 'secret-pass-1');
for (const path of pages) {
  seen = [];
  await page.goto(`${base}${path}`);
  await page.waitForTimeout(2500);
  console.log(`${seen.length ? 'ERR' : 'ok '} ${path} -> ${new URL(page.url()).pathname}${new URL(page.url()).search} ${[...new Set(seen)].join('; ')}`);
}
await browser.close();
