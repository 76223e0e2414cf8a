// The npm socket.io-client against Hearth over websocket, long-polling, and polling upgraded
// to websocket: user-join (ack), a chat room join (ack), and a server event (chat:list after a
// read marker). Prints one JSON object.
//   BASE=http://127.0.0.1:8080 TOKEN=... CHAT_ID=... node tests/browser/socketio-client.mjs
import { io } from 'socket.io-client';

const { BASE, TOKEN, CHAT_ID } = process.env;
const results = {};
const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));

for (const [name, transports] of [['websocket', ['websocket']], ['polling', ['polling']], ['upgrade', ['polling', 'websocket']]]) {
  const socket = io(BASE, { path: '/ws/socket.io', transports, auth: { token: TOKEN }, reconnection: false, forceNew: true });
  await Promise.race([new Promise((resolve) => socket.on('connect', resolve)), timeout(10000)]);
  const listed = new Promise((resolve) => socket.on('events', (data) => { if (data?.data?.type === 'chat:list') resolve(data); }));
  const joined = await socket.timeout(10000).emitWithAck('user-join', { auth: { token: TOKEN } });
  const room = await socket.timeout(10000).emitWithAck('events:chat', { chat_id: CHAT_ID, data: { type: 'join' } });
  if (name === 'upgrade' && socket.io.engine.transport.name !== 'websocket') {
    await Promise.race([new Promise((resolve) => socket.io.engine.once('upgrade', resolve)), timeout(10000)]).catch(() => {});
  }
  socket.emit('events:chat', { chat_id: CHAT_ID, data: { type: 'last_read_at' } });
  const event = await Promise.race([listed, timeout(10000)]).catch(() => null);
  results[name] = { transport: socket.io.engine.transport.name, id: socket.id, joined, room, event };
  socket.disconnect();
}
console.log(JSON.stringify(results));
process.exit(0);
