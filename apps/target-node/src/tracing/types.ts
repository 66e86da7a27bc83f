// What the workflow needs from tracing, whatever the mode and instrumentation style.
import type { TimelineExport } from '../../../../contracts/app-timeline.ts';
import type { ObservationType } from '../workflow-plan.ts';

export interface StepSpec {
  readonly name: string;
  readonly type: ObservationType;
  /** Captured as the observation's input when capture is on. */
  readonly input?: unknown;
}

/** Attributes set on a generation when it completes. */
export interface GenerationResult {
  readonly model: string;
  readonly usage: { input: number; output: number; total: number };
  readonly costUsd: { input: number; output: number; total: number };
}

export interface Scope {
  /** Runs `fn` inside a child observation of this scope. `fn`'s result is the output. */
  step<T>(spec: StepSpec, fn: (scope: Scope) => Promise<T>, generation?: (result: T) => GenerationResult): Promise<T>;
}

export interface RequestIdentity {
  readonly userId: string;
  readonly sessionId: string;
}

export interface TracingCounters {
  spansStarted: number;
  spansEnded: number;
  spansExported: number;
  spansExportFailed: number;
  spansDropped: number;
  exportCalls: number;
  /** Total seconds spent in export calls (a sum: a list would grow for the app's lifetime). */
  exportSeconds: number;
}

/** Where tracing reports what it did, when (the app's Timeline). */
export interface TracingObserver {
  export(event: TimelineExport): void;
  flush(startMs: number, endMs: number): void;
}

export interface Tracing {
  /** The SDK as /healthz reports it, e.g. "@langfuse/otel 5.11.1 (documented setup)"; "none" when off. */
  readonly sdk: string;
  /** Runs one request as a trace whose root observation is `root`. */
  request<T>(root: StepSpec, identity: RequestIdentity, fn: (scope: Scope) => Promise<T>): Promise<T>;
  counters(): TracingCounters;
  /** Exports everything queued (also used by the flush-per-request anti-pattern). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /** Spans started from now on belong to this lab slot (SLOT_ATTRIBUTE). */
  setSlot(slot: string): void;
}

export function emptyCounters(): TracingCounters {
  return { spansStarted: 0, spansEnded: 0, spansExported: 0, spansExportFailed: 0, spansDropped: 0, exportCalls: 0, exportSeconds: 0 };
}
