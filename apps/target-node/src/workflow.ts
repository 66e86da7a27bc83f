// One chat-webhook request: the same work in every mode, traced or not. Only the Scope
// passed in differs, so any latency difference between topologies is tracing's.
import { setTimeout as sleep } from 'node:timers/promises';
import { llmJitterFraction, type TargetSettings } from '../../../contracts/target-app.ts';
import type { GenerationResult, Scope, Tracing } from './tracing/types.ts';
import type { PlannedSpan } from './workflow-plan.ts';

export interface ChatMessage {
  readonly userId: string;
  readonly sessionId: string;
  readonly message: string;
}

const MODEL = 'gpt-4o-mini';
const PRICE_PER_TOKEN = { input: 0.15e-6, output: 0.6e-6 };

/** Synchronous CPU work, as tokenization or JSON munging would be. */
function burnCpu(ms: number): number {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x = (x * 31 + 7) % 1_000_003;
  return x;
}

export class Workflow {
  private readonly plan: PlannedSpan;
  private readonly workload: TargetSettings['workload'];
  /** Captured as input and output where real apps capture large payloads. */
  private readonly payload: string;

  constructor(plan: PlannedSpan, workload: TargetSettings['workload']) {
    this.plan = plan;
    this.workload = workload;
    this.payload = 'x'.repeat(workload.payloadBytes);
  }

  /** `seq`: the load generator's request number (-1 when unknown), which fixes the LLM jitter. */
  async handle(tracing: Tracing, message: ChatMessage, seq = -1): Promise<{ reply: string; spans: number }> {
    let spans = 0;
    const run = async (node: PlannedSpan, scope: Scope): Promise<unknown> => {
      spans++;
      const input =
        node.kind === 'route'
          ? { message: message.message, context: this.payload }
          : node.kind === 'generation'
            ? { prompt: this.payload }
            : { step: node.name };
      if (node.kind === 'generation') {
        return scope.step(
          { name: node.name, type: node.type, input },
          async (inner) => {
            await sleep(this.llmLatency(seq));
            await this.children(node, inner, run);
            return { completion: this.payload };
          },
          () => this.usage(),
        );
      }
      return scope.step({ name: node.name, type: node.type, input }, async (inner) => {
        const own = await this.work(node);
        await this.children(node, inner, run);
        return own;
      });
    };
    const reply = await tracing.request(
      { name: this.plan.name, type: this.plan.type, input: { message: message.message, context: this.payload } },
      message,
      async (scope) => {
        spans++;
        await this.children(this.plan, scope, run);
        return { reply: `Thanks ${message.userId}, your order is on its way.` };
      },
    );
    return { reply: reply.reply, spans };
  }

  /** Children in order; consecutive tool calls run in parallel (fan-out). */
  private async children(node: PlannedSpan, scope: Scope, run: (n: PlannedSpan, s: Scope) => Promise<unknown>): Promise<void> {
    for (let i = 0; i < node.children.length; ) {
      const child = node.children[i];
      if (child.kind === 'tool') {
        const group: PlannedSpan[] = [];
        while (node.children[i]?.kind === 'tool') group.push(node.children[i++]);
        await Promise.all(group.map((tool) => run(tool, scope)));
      } else {
        await run(child, scope);
        i++;
      }
    }
  }

  private async work(node: PlannedSpan): Promise<unknown> {
    switch (node.kind) {
      case 'retrieval':
        await sleep(1);
        return { documents: 3 };
      case 'classify':
        burnCpu(this.workload.cpuWorkMs);
        return { intent: 'order-status' };
      case 'tool':
        await sleep(1);
        return { tool: node.name, ok: true };
      default:
        return { step: node.name };
    }
  }

  private llmLatency(seq: number): number {
    const { llmLatencyMs, llmJitterMs } = this.workload;
    const jitter = seq >= 0 ? llmJitterFraction(seq) : Math.random() * 2 - 1;
    return Math.max(0, llmLatencyMs + jitter * llmJitterMs);
  }

  private usage(): GenerationResult {
    const input = Math.ceil(this.workload.payloadBytes / 4) + 12;
    const output = Math.ceil(this.workload.payloadBytes / 4) + 8;
    const cost = { input: input * PRICE_PER_TOKEN.input, output: output * PRICE_PER_TOKEN.output };
    return { model: MODEL, usage: { input, output, total: input + output }, costUsd: { ...cost, total: cost.input + cost.output } };
  }
}
