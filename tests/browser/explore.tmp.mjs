import { open, signIn, base } from './lib.mjs';
const t = await open('explore');
const { page } = t;
globalThis.dump = async (sel = 'button, [role=button], [role=menuitem], textarea, input, select') => console.log(await page.evaluate((s) => [...document.querySelectorAll(s)].filter((e) => e.offsetParent !== null).map((e) => `${e.tagName} id=${e.id} aria=${e.getAttribute('aria-label')} text=${(e.innerText || e.value || '').slice(0, 40).replace(/\n/g, ' ')} ph=${e.getAttribute('placeholder')}`).join('\n'), sel));
await signIn(page, 'ada@example.com', 'secret-pass-1');
const mod = await import(process.argv[2]);
try { await mod.default(page, t); } catch (e) { console.log('ERR', e.message.split('\n')[0]); }
await page.screenshot({ path: '/tmp/shots/explore.png' });
await t.close();
