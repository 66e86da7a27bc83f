// A request body refused for its size, as both apps (ingest-sink, target-node) handle it: the
// rest is read and dropped so the client can read the answer instead of failing on a closed
// socket — but only up to 4 × limit bytes and 30 s, then the connection goes.
import type { IncomingMessage } from 'node:http';

export function discardRest(req: IncomingMessage, limit: number): void {
  let dropped = 0;
  const timer = setTimeout(() => req.socket.destroy(), 30_000).unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 4 * limit) req.socket.destroy();
  });
  req.on('close', () => clearTimeout(timer));
  req.resume();
}
