import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { capacityResults } from '../infra/analysis/capacity.ts';
import { sizing } from '../infra/analysis/sizing.ts';
import { runCapacity } from '../infra/experiment/capacity.ts';
import { harnessHeadroom } from '../infra/experiment/headroom.ts';
import { selectTopologies } from '../infra/experiment/select.ts';
import { capacityTerminal, readCapacityResults, writeCapacityReport, writeCapacityResults } from '../infra/report/capacity.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { type Command, parseFlags, SPEC_FLAGS, UsageError } from './command.ts';
import { backendChoice, newRunId } from './lab.ts';

const positive = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got "${value}"`);
  return n;
};

export const capacity: Command = {
  name: 'capacity',
  summary: "find each topology's knee (the rate where the SLO breaks), the gateway's ceiling, and size for a target",
  usage: `Usage: tracelab capacity [options]

Per topology, raises the arrival rate step by step (spec.capacity: from startRate ×growth)
until the SLO breaks (spec.load.slo: p99, failed requests, dropped iterations, spans lost),
then bisects between the highest rate that kept it and the lowest that broke it. Every step
is a lab slot with a fresh app; the topologies take turns. Then it drives the spec's
collector gateway alone with OTLP batches until it refuses, queues or loses spans (its
ceiling), and prints a sizing table for --target-rate. Writes
results/<run-id>/report.{html,md} and capacity.json (latency against offered load, knees, costs).
The harness's own headroom is measured once per machine and cached (tracelab headroom).

Options:
  -f, --spec <file>              the TraceLab spec (default: tracelab.yaml)
      --topologies <a,b>         only these topologies (their baselines come along)
      --target-rate <req/s>      sizing target (default: spec.load.rate)
      --spans-per-request <n>    sizing target (default: spec.app.workload.spansPerRequest)
      --skip-gateway             do not measure the gateway's own ceiling
      --skip-headroom            do not measure or use the harness's headroom
      --from <run>               re-render an earlier capacity run (and size it), run nothing
      --quick                    short steps, coarse bracket: to try the command (~5 min)
      --backend <b>              stand-in (default) | langfuse | local-langfuse, as for tracelab lab
      --langfuse-url <u>         Langfuse base URL for --backend langfuse
      --results <dir>            where runs are written (default: results)
      --run-id <id>              name of the run directory (default: <time>-<spec name>-capacity)
  -h, --help                     show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      topologies: { type: 'string' },
      'target-rate': { type: 'string' },
      'spans-per-request': { type: 'string' },
      'skip-gateway': { type: 'boolean', default: false },
      'skip-headroom': { type: 'boolean', default: false },
      from: { type: 'string' },
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'stand-in' },
      'langfuse-url': { type: 'string' },
      results: { type: 'string', default: 'results' },
      'run-id': { type: 'string' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (values.from) {
      const dir = existsSync(values.from) ? values.from : join(values.results, values.from);
      const r = readCapacityResults(dir);
      const size = sizing(r, {
        rate: positive('target-rate', values['target-rate'], r.targetRate),
        spansPerRequest: positive('spans-per-request', values['spans-per-request'], r.workload.spansPerRequest),
      });
      writeCapacityReport(dir, r, size);
      console.log(capacityTerminal(r, size));
      return 0;
    }
    const spec = loadSpecFile(values.spec);
    let doc = spec;
    if (values.topologies) {
      try {
        doc = selectTopologies(
          spec,
          values.topologies.split(',').map((t) => t.trim()),
        );
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    const target = {
      rate: positive('target-rate', values['target-rate'], doc.spec.load.rate),
      spansPerRequest: positive('spans-per-request', values['spans-per-request'], doc.spec.app.workload.spansPerRequest),
    };
    const backend = backendChoice(values.backend, values['langfuse-url'], doc);
    const runId = values['run-id'] ?? newRunId(`${doc.metadata.name}-capacity`, values.quick);
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(5)}s] ${line}`);
    say(`tracelab capacity: spec ${values.spec}, run ${runId}; topologies ${doc.spec.topologies.map((t) => t.name).join(', ')}`);
    const harness = values['skip-headroom'] ? undefined : await harnessHeadroom({ progress: say });
    const { runDir, record } = await runCapacity({
      doc,
      resultsRoot: values.results,
      runId,
      progress: say,
      backend,
      gateway: values['skip-gateway'] ? false : undefined,
      harness,
      quick: values.quick,
    });
    const r = capacityResults(record, runDir);
    writeCapacityResults(runDir, r);
    const size = sizing(r, target);
    const [md, html] = writeCapacityReport(runDir, r, size);
    console.log(`\n${capacityTerminal(r, size)}\n`);
    console.log(
      `Report: ${html}\n        ${md}\n        ${runDir}/capacity.json\nSize another target: tracelab capacity --from ${runDir} --target-rate <req/s> --spans-per-request <n>`,
    );
    return record.interrupted ? 130 : 0;
  },
};
