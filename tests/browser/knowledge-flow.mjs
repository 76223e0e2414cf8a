// Knowledge bases in the unmodified web client: Workspace ▸ Knowledge ▸ Create makes
// "Office handbook", a text file uploaded through its Add Content menu joins it and is
// processed, then a new chat picks the knowledge base with '#', the model is sent the passage
// that answers the question, and the answer shows a citation naming the file. Runs after
// auth-flow.mjs against the same server (signs in as its admin). Retrieval from a knowledge
// base needs embeddings: run Hearth with the local model (HEARTH_EMBED_MODEL_DIR in scripts/test-browser).
//   BASE=http://127.0.0.1:8080 FAKE_MODEL_URL=http://127.0.0.1:PORT/v1 node tests/browser/knowledge-flow.mjs
import { base, check, open, signIn } from './lib.mjs';

const fakeModel = new URL(process.env.FAKE_MODEL_URL ?? 'http://127.0.0.1:9/v1');
const t = await open('knowledge');
const { page, api, step } = t;

const NAME = 'Office handbook';
const FILE = 'handbook.txt';
const TEXT = 'The canteen serves lentil soup on Fridays.\n\nTrains leave from platform nine every hour.\n';
const QUESTION = 'Which day is lentil soup served?';

const chooseModel = async (id) => {
  await page.locator('#model-selector-model-button').click();
  await page.locator(`button[aria-label="Select ${id} model"]`).click();
  await page.locator(`#model-selector-model-button[aria-label="Selected model: ${id}"]`).waitFor();
};
const send = async (text) => {
  await page.locator('#chat-input').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
};
const waitFor = async (what, test) => {
  for (let i = 0; i < 200; i += 1) {
    const found = await test();
    if (found) return found;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}`);
};
const lastRequest = async () => (await fetch(`${fakeModel.origin}/_last_request`)).json();
const chatId = () => page.url().split('/c/')[1];
const answers = async (count) => waitFor(`${count} saved answers`, async () => {
  const id = chatId();
  if (!id) return null;
  const chat = (await api('GET', `/api/v1/chats/${id}`)).body;
  const done = Object.values(chat?.chat?.history?.messages ?? {}).filter((m) => m.role === 'assistant' && m.done && m.content);
  return done.length >= count ? chat : null;
});
const knowledgeFiles = async (id) => (await api('GET', `/api/v1/knowledge/${id}/files`)).body?.items ?? [];

try {
  await step('the admin signs in', async () => {
    await signIn(page, 'ada@example.com', 'secret-pass-1');
  });

  let knowledgeId;
  await step('a knowledge base is created from Workspace ▸ Knowledge', async () => {
    await page.goto(`${base}/workspace/knowledge`);
    // The workspace bar's split button has one action here, so it is a single "Create" button.
    await page.locator('nav').getByRole('button', { name: 'Create', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a knowledge base' });
    await dialog.getByPlaceholder('Name your knowledge base').fill(NAME);
    await dialog.getByPlaceholder('Describe your knowledge base and objectives').fill('What the office staff should know.');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/knowledge/create') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Create Knowledge' }).click();
    const response = await created;
    check(response.status() === 200, `create: ${response.status()} ${await response.text()}`);
    knowledgeId = (await response.json()).id;
    check(knowledgeId, 'no id in the create answer');
    await page.waitForURL(`${base}/workspace/knowledge/${knowledgeId}`);
    await page.getByLabel('Knowledge Name').waitFor();
    const shown = await page.getByLabel('Knowledge Name').inputValue();
    check(shown === NAME, `knowledge name on its page: ${shown}`);
  });

  await step('a file uploaded from Add Content joins the knowledge base', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add Content' }).click();
    await page.getByRole('menu').getByRole('button', { name: 'Upload files' }).click();
    await (await chooser).setFiles({ name: FILE, mimeType: 'text/plain', buffer: Buffer.from(TEXT) });
    const file = await waitFor('the file in the knowledge base, processed', async () =>
      (await knowledgeFiles(knowledgeId)).find((f) => (f.meta?.name ?? f.filename) === FILE && f.data?.status === 'completed'));
    const content = await api('GET', `/api/v1/files/${file.id}/data/content`);
    check(content.body?.content?.includes('lentil soup on Fridays'), JSON.stringify(content.body));
    // The row leaves "Uploading"/"Processing" and shows the file's size once listed.
    await page.locator('button[data-knowledge-entry]')
      .filter({ hasText: FILE })
      .filter({ hasNotText: /Uploading|Processing/ })
      .first()
      .waitFor();
  });

  await step("in a new chat, '#' picks the knowledge base", async () => {
    await page.goto(`${base}/`);
    await chooseModel('scripted');
    await page.locator('#chat-input').click();
    await page.keyboard.type('#Office');
    const item = page.locator('#suggestions-container').getByRole('button', { name: NAME, exact: true });
    await item.click();
    // Picking removes the '#...' text and attaches the knowledge base as a chip.
    await page.locator('#message-input-container').getByText(NAME, { exact: true }).waitFor();
    await waitFor("the '#Office' text removed", async () =>
      !(await page.locator('#chat-input').innerText()).includes('#'));
  });

  await step('the model is sent the passage and the answer cites the file', async () => {
    await send(QUESTION);
    await page.waitForURL(/\/c\//);
    const chat = await answers(1);
    const messages = Object.values(chat.chat.history.messages);
    const user = messages.find((m) => m.role === 'user');
    check((user.files ?? []).some((f) => f.type === 'collection' && f.id === knowledgeId), `files on the message: ${JSON.stringify(user.files)}`);
    const sent = JSON.stringify((await lastRequest()).messages);
    check(sent.includes('lentil soup on Fridays'), `the passage was not sent: ${sent.slice(0, 400)}`);
    await page.getByText(`Scripted answer to: ${QUESTION}`).first().waitFor();
    const assistant = messages.find((m) => m.role === 'assistant');
    const sources = JSON.stringify(assistant.sources ?? []);
    check(sources.includes(FILE), `sources saved on the answer: ${sources.slice(0, 400)}`);
    // Citations.svelte: one toggle under the answer ("1 Source"), then one button per source
    // named by the chunk metadata's name (the file), falling back to the source (the knowledge base).
    await page.getByRole('button', { name: /^Toggle \d+ sources?$/ }).first().click();
    await page.getByRole('button', { name: new RegExp(`^View source: \\d+ ${FILE.replace('.', '\\.')}$`) }).first().waitFor();
  });
} finally {
  await t.close();
}
console.log(`knowledge flow passed against ${base}`);
