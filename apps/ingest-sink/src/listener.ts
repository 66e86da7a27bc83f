// The ingestion port, which an outage in "refuse" mode closes — every open connection cut,
// new ones refused, as when nothing listens — and opens again, on the same port, after it.
import type { Server } from 'node:http';

export class Listener {
  private readonly server: Server;
  private readonly host: string;
  private port: number;
  private reopenTimer?: NodeJS.Timeout;

  constructor(server: Server, host: string, port: number) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : this.port;
        resolve(this.port);
      });
    });
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /** Refuses connections for `ms`, then listens again. A later call replaces the earlier one. */
  refuseFor(ms: number, onError: (error: Error) => void): void {
    clearTimeout(this.reopenTimer);
    if (this.server.listening) {
      this.server.close();
      this.server.closeAllConnections();
    }
    this.reopenTimer = setTimeout(() => this.listen().catch(onError), ms);
  }

  close(): Promise<void> {
    clearTimeout(this.reopenTimer);
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
