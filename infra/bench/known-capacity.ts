#!/usr/bin/env node
// Benchmark: does one capacity search find a knee that is known by construction? The baseline
// app (no tracing) burns --cpu-ms of CPU per request on its own pinned core and waits for
// nothing else (no LLM latency, no jitter), so it cannot serve more than 1000 / cpu-ms
// requests per second (10 ms ⇒ 100 req/s). One `tracelab capacity` search (SLO p99 at ten
// service times) runs against it; this prints the knee it found, the capacity by construction
// and by the app's own measured CPU per request, and how far apart they are. Prints; asserts
// nothing. About 3 minutes.
//   sh scripts/launch.sh infra/bench/known-capacity.ts [--cpu-ms 10] [--results results]
import { parseArgs } from 'node:util';
import { parseSpec } from '../../contracts/spec/read.ts';
import { capacityResults } from '../analysis/capacity.ts';
import { runCapacity } from '../experiment/capacity.ts';
import { writeCapacityReport, writeCapacityResults } from '../report/capacity.ts';

const { values } = parseArgs({ options: { 'cpu-ms': { type: 'string', default: '10' }, results: { type: 'string', default: 'results' } } });
const cpuMs = Number(values['cpu-ms']);
if (!Number.isInteger(cpuMs) || cpuMs < 2 || cpuMs > 100)
  throw new Error(`--cpu-ms must be a whole number of milliseconds from 2 to 100, got ${values['cpu-ms']}`);
const expected = 1000 / cpuMs;

const doc = parseSpec(
  `apiVersion: tracelab.dev/v1alpha1
kind: TraceLab
metadata: { name: known-capacity }
spec:
  app: { workload: { cpuWork: ${cpuMs}ms, llmLatency: 0ms, llmJitter: 0ms } }
  topologies: [{ topology: baseline }]
  load: { slo: { p99: ${cpuMs * 10}ms } }
  capacity:
    startRate: ${Math.max(1, Math.round(expected / 5))}
    growth: 2
    resolution: 0.02
    maxSteps: 12
    stepDuration: 10s
    stepWarmup: 3s
    gateway: { enabled: false }
`,
  'known-capacity.yaml',
);
const started = Date.now();
const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
say(`Known-capacity benchmark: the baseline app burns ${cpuMs} ms of CPU per request on one pinned core ⇒ at most ${expected.toFixed(0)} req/s`);
const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-known-capacity`;
const { runDir, record } = await runCapacity({ doc, resultsRoot: values.results, runId, progress: say, gateway: false });
const r = capacityResults(record, runDir);
writeCapacityResults(runDir, r);
writeCapacityReport(runDir, r);
const t = r.topologies[0];
const first = t.steps[0];
const measured = first && first.appCpuMsPerRequest > 0 ? 1000 / first.appCpuMsPerRequest : Number.NaN;
const knee = t.knee.estimateRps;
const off = (v: number) => (knee === undefined ? 'n/a' : `${(((knee - v) / v) * 100).toFixed(1)}%`);
console.log('');
const found =
  t.knee.status === 'found'
    ? `${knee!.toFixed(1)} ± ${(t.knee.uncertaintyRps ?? 0).toFixed(1)} req/s (kept ${t.knee.keptRps}, broke ${t.knee.brokeRps}: ${t.knee.breaches.join(', ')})`
    : `not bracketed (${t.knee.status}: ${t.knee.keptRps !== undefined ? `kept up to ${t.knee.keptRps}` : `broke already at ${t.knee.brokeRps}`} req/s)`;
console.log(`knee found              ${found}`);
console.log(`by construction         ${expected.toFixed(1)} req/s (1000 / ${cpuMs} ms)           knee off by ${off(expected)}`);
console.log(
  `by measured CPU/request ${measured.toFixed(1)} req/s (1000 / ${first?.appCpuMsPerRequest.toFixed(2)} ms at ${first?.rate} req/s)  knee off by ${off(measured)}`,
);
console.log(
  `within 10% of construction: ${t.knee.status === 'found' && Math.abs(knee! - expected) / expected <= 0.1 ? 'yes' : 'NO'}; steps: ${t.steps.length}; largest foreign load on a core: ${Math.round(r.foreignMax * 100)}%`,
);
console.log(`report: ${runDir}/report.html`);
