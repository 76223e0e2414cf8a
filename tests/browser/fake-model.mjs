// A scripted OpenAI-compatible model server for the browser tests, on loopback.
//   node tests/browser/fake-model.mjs      prints "listening http://127.0.0.1:PORT/v1"
// Models: `scripted` answers "Scripted answer to: <the last user message>" a few words at a
// time; `slow` streams a long answer one word every 150 ms (for the stop button). Requests
// that are not streamed are the background tasks (title, tags, follow-ups, retrieval queries): they get the JSON
// the task asks for. `GET /_last_request` answers the body of the last streamed request (what
// the model was sent, attachments included).
import http from 'node:http';

const MODELS = ['scripted', 'slow'];

const lastUser = (messages) => {
  const user = [...(messages ?? [])].reverse().find((m) => m.role === 'user');
  const content = user?.content ?? '';
  return Array.isArray(content) ? content.map((p) => p.text ?? '').join(' ') : String(content);
};
// The question: the last line of the last user message (attached files' text comes before it).
const question = (messages) => lastUser(messages).trim().split('\n').at(-1);

let lastRequest = null;

const taskAnswer = (prompt) => {
  if (/"queries"/.test(prompt) && prompt.includes('<chat_history>')) {
    const asked = prompt.split('<chat_history>')[1].split('\n').filter((l) => l.startsWith('USER: '));
    return JSON.stringify({ queries: asked.length ? [asked.at(-1).slice(6)] : [] });
  }
  if (/title/i.test(prompt) && !/tags/i.test(prompt)) return '{"title": "Browser Test Chat"}';
  if (/tags/i.test(prompt)) return '{"tags": ["Testing", "Hearth"]}';
  if (/follow/i.test(prompt)) return '{"follow_ups": ["Tell me more about hearths"]}';
  return '{}';
};

const chunk = (model, delta, finish = null) => `data: ${JSON.stringify({
  id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model,
  choices: [{ index: 0, delta, finish_reason: finish }],
})}\n\n`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/_last_request') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(lastRequest));
    return;
  }
  if (req.method === 'GET' && url.pathname.endsWith('/models')) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) }));
    return;
  }
  if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
    res.statusCode = 404;
    res.end('{"error": "not found"}');
    return;
  }
  let body = '';
  for await (const piece of req) body += piece;
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    res.statusCode = 400;
    res.end('{"error": "bad json"}');
    return;
  }
  const model = request.model;
  if (!request.stream) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
      id: 'chatcmpl-fake', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
      choices: [{ index: 0, message: { role: 'assistant', content: taskAnswer(lastUser(request.messages)) }, finish_reason: 'stop' }],
    }));
    return;
  }
  lastRequest = request;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let gone = false;
  res.on('close', () => { gone = true; });
  const words = model === 'slow'
    ? Array.from({ length: 300 }, (_, i) => `word${i} `)
    : `Scripted answer to: ${question(request.messages)}`.split(/(?<= )/);
  const pause = model === 'slow' ? 150 : 40;
  res.write(chunk(model, { role: 'assistant', content: '' }));
  for (const word of words) {
    if (gone) return;
    await sleep(pause);
    res.write(chunk(model, { content: word }));
  }
  res.write(chunk(model, {}, 'stop'));
  res.end('data: [DONE]\n\n');
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${server.address().port}/v1`);
});
