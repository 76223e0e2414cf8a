// The chat history in the unmodified Open WebUI web client: a chat stored through the API
// appears in the sidebar, opens with its messages, and leaves the sidebar when archived.
// Runs after auth-flow.mjs against the same server (signs in as its admin).
//   BASE=http://127.0.0.1:8080 node tests/browser/chat-history.mjs
import { base, open, signIn } from './lib.mjs';

const t = await open('history');
const { page, step, api } = t;

try {
  let chatId;
  await step('the admin signs in', async () => {
    await signIn(page, 'ada@example.com', 'secret-pass-1');
  });
  await step('a stored chat appears in the sidebar', async () => {
    const chat = { title: 'Hearth history check', models: ['m'], history: { currentId: 'a1', messages: {
      u1: { id: 'u1', parentId: null, childrenIds: ['a1'], role: 'user', content: 'What is a hearth?', timestamp: 1700000000 },
      a1: { id: 'a1', parentId: 'u1', childrenIds: [], role: 'assistant', content: 'The floor of a fireplace.', done: true, model: 'm', timestamp: 1700000001 } } },
      messages: [], timestamp: 1700000000000 };
    const created = await api('POST', '/api/v1/chats/new', { chat });
    if (created.status !== 200) throw new Error(JSON.stringify(created));
    chatId = created.body.id;
    await page.reload();
    await page.getByRole('button', { name: 'Open Sidebar' }).first().click();
    await page.getByText('Hearth history check').first().waitFor();
  });
  await step('opening it shows both messages', async () => {
    await page.getByText('Hearth history check').first().click();
    await page.waitForURL(`${base}/c/${chatId}`);
    // Scoped to the messages: other parts of the page (a recent-chats list) may show the
    // same text.
    await page.locator('#message-u1').getByText('What is a hearth?').waitFor();
    await page.locator('#message-a1').getByText('The floor of a fireplace.').waitFor();
  });
  await step('an archived chat leaves the sidebar', async () => {
    const archived = await api('POST', `/api/v1/chats/${chatId}/archive`);
    if (!archived.body.archived) throw new Error(JSON.stringify(archived));
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Open Sidebar' }).first().click().catch(() => {});
    await page.getByText('Chats').first().waitFor();
    if (await page.getByText('Hearth history check').count()) throw new Error('archived chat still listed');
  });
  console.log('chat history flow passed');
} finally {
  await t.close();
}
