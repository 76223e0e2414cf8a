// Attachments in the chat input of the unmodified web client: a text file and a PDF given to
// the paperclip's file input are uploaded and processed, the message goes out with them and
// the model is sent their text; an image pasted into the message is uploaded, reaches the
// model as image content, and is still shown in the chat after a reload. Runs after
// auth-flow.mjs against the same server (signs in as its admin).
//   BASE=http://127.0.0.1:8080 FAKE_MODEL_URL=http://127.0.0.1:PORT/v1 node tests/browser/files-flow.mjs
import { base, check, open, signIn } from './lib.mjs';

const fakeModel = new URL(process.env.FAKE_MODEL_URL ?? 'http://127.0.0.1:9/v1');
const t = await open('files');
const { page, api, step } = t;

// A small valid PDF with one line of text per page.
const makePdf = (pages) => {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', null, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids = [];
  for (const text of pages) {
    const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
};
// A 2x2 red PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

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
const files = async () => (await api('GET', '/api/v1/files/?content=false')).body.items;
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

try {
  const before = new Set();
  await step('the admin signs in and chooses a model', async () => {
    await signIn(page, 'ada@example.com', 'secret-pass-1');
    for (const f of await files()) before.add(f.id);
    await chooseModel('scripted');
  });

  await step('a text file and a PDF are attached with the paperclip and processed', async () => {
    await page.locator('input[type="file"][multiple]').first().setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('The secret ingredient is cardamom.\n') },
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: makePdf(['Quarterly revenue grew by 12 percent', 'Second page']) },
    ]);
    await page.getByText('notes.txt').first().waitFor();
    await page.getByText('report.pdf').first().waitFor();
    const done = await waitFor('both files processed', async () => {
      const mine = (await files()).filter((f) => !before.has(f.id));
      return mine.length === 2 && mine.every((f) => f.data?.status === 'completed') ? mine : null;
    });
    const pdf = done.find((f) => f.filename === 'report.pdf');
    const text = await api('GET', `/api/v1/files/${pdf.id}/data/content`);
    check(text.body.content.includes('Quarterly revenue grew by 12 percent'), JSON.stringify(text.body));
  });

  await step('the message goes out with the files and the model is sent their text', async () => {
    await send('What is the secret ingredient?');
    await page.waitForURL(/\/c\//);
    const chat = await answers(1);
    const user = Object.values(chat.chat.history.messages).find((m) => m.role === 'user');
    check((user.files ?? []).length === 2, `files on the message: ${JSON.stringify(user.files)}`);
    const sent = JSON.stringify((await lastRequest()).messages);
    check(sent.includes('The secret ingredient is cardamom.'), `text file not sent: ${sent.slice(0, 400)}`);
    check(sent.includes('Quarterly revenue grew by 12 percent'), 'PDF text not sent');
    await page.getByText('Scripted answer to: What is the secret ingredient?').first().waitFor();
  });

  let imageId;
  await step('an image pasted into the message is uploaded and sent to the model', async () => {
    await page.locator('#chat-input').click();
    await page.evaluate((png) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      const target = document.querySelector('#chat-input');
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG);
    const image = await waitFor('the pasted image uploaded', async () =>
      (await files()).find((f) => f.meta?.content_type === 'image/png' && !before.has(f.id)));
    imageId = image.id;
    await send('Describe this picture');
    await answers(2);
    const user = (await lastRequest()).messages.filter((m) => m.role === 'user').at(-1);
    const parts = Array.isArray(user.content) ? user.content : [];
    const picture = parts.find((p) => p.type === 'image_url');
    check(picture?.image_url?.url?.startsWith('data:image/png;base64,'), `no image sent: ${JSON.stringify(user).slice(0, 300)}`);
  });

  await step('after a reload the image is still in the chat', async () => {
    await page.reload();
    const img = page.locator(`img[src*="${imageId}"]`).first();
    await img.waitFor();
    const width = await waitFor('the image to load', async () => img.evaluate((el) => el.complete && el.naturalWidth));
    check(width === 2, `image width ${width}`);
  });
} finally {
  await t.close();
}
console.log(`files flow passed against ${base}`);
