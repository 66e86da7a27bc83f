// Free ports for the local Langfuse's processes, below 32768: ports in the kernel's ephemeral
// range can be taken by an outgoing connection between the check and the start (FACTS.md).
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_000;
const taken = new Set<number>();

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port in [20000, 32000) that was free a moment ago and not handed out before by this process. */
export async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if (await tryListen(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 200 tries`);
}
