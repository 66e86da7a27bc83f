import { readState } from '../infra/langfuse/instance.ts';
import { readKeysFile } from '../infra/langfuse/secrets.ts';
import { type BackendChoice, keysFromEnv } from '../infra/local/backend.ts';
import { loadSpecFile } from '../contracts/spec/read.ts';
import { PRESETS, PRESET_NAMES, isPresetName } from '../contracts/spec/presets.ts';
import type { TraceLab } from '../contracts/spec/schema.ts';
import { SPEC_FLAGS, UsageError, parseFlags, type Command } from './command.ts';
import { makeOutputDirectory } from './output-dir.ts';

/** The backend the flags ask for; Langfuse keys come from the environment, never from flags or the spec. */
export function backendChoice(
  backend: string,
  url: string | undefined,
  doc: TraceLab,
  sinkMode: 'count' | 'queue' = 'queue',
  env: NodeJS.ProcessEnv = process.env,
): BackendChoice {
  if (backend === 'stand-in' || backend === 'ingest-sink') return { kind: 'ingest-sink', sinkMode };
  if (backend === 'langfuse') {
    const baseUrl = url ?? env.LANGFUSE_BASE_URL;
    if (!baseUrl) throw new UsageError('--backend langfuse needs --langfuse-url <url> or LANGFUSE_BASE_URL');
    return { kind: 'langfuse', url: baseUrl, keys: keysFromEnv(env) };
  }
  if (backend === 'local-langfuse') {
    const state = readState(doc.spec.langfuse.version, env);
    if (!state || state.daemons.length === 0)
      throw new Error(`no local Langfuse ${doc.spec.langfuse.version} is running; start it with \`npm run tracelab -- langfuse up\``);
    const { publicKey, secretKey } = readKeysFile(state.keysFile);
    const note = `local Langfuse built from the v${state.version} release source; ClickHouse is the chDB engine behind tracelab's HTTP front (the one non-stock part)`;
    // Its processes run on this machine for the lab: their CPU is the lab's own, not foreign load.
    return { kind: 'langfuse', url: state.baseUrl, keys: { publicKey, secretKey }, note, localPids: state.daemons.map((d) => d.pid) };
  }
  throw new UsageError(`--backend must be stand-in, langfuse or local-langfuse, got "${backend}"`);
}

export function newRunId(name: string, quick: boolean, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}${quick ? '-quick' : ''}`;
}

export const lab: Command = {
  name: 'lab',
  summary: 'run every topology on this machine (no cluster) and write the report',
  usage: `Usage: tracelab lab [options]

Starts the real processes on loopback — OpenTelemetry Collectors (gateway, agent, one
sidecar per sidecar topology), the backend (ingest-sink, a Langfuse stand-in, unless
--backend says otherwise) and a fresh target
app for every slot — then drives them with k6 in rounds (a new seeded order of topologies
each round) and writes results/<run-id>/{report.html,report.md,results.json}. With
load.precision in the spec, rounds are added until every Δp99 interval is that narrow or
load.budget runs out. A slot that other programs disturbed is re-run. Ctrl-C stops every
process it started and keeps what was measured. k6 and the collector are built with Go
(or downloaded) on first use and cached in .tools/.

Options:
  -f, --spec <file>      the TraceLab spec (default: tracelab.yaml)
      --quick            three short rounds (about 3 minutes) instead of the spec's load;
                         with faults, one round of the spec's timing
      --preset <name>    a fault run laid over the spec (its faults, topologies and timing):
${PRESET_NAMES.map((n) => `                           ${n.padEnd(16)} ${PRESETS[n].summary}`).join('\n')}
                         each with every collector topology twice: persistent queue off and on (-pq)
      --sink <mode>      what ingest-sink does before its 200: queue (default) — Langfuse's key
                         check in Redis, the batch to S3 (MinIO), a BullMQ job; count — nothing
                         (faster, but understates export round trips)
      --backend <b>      stand-in (default): ingest-sink, a fast Langfuse stand-in started per run
                         langfuse: a real Langfuse at --langfuse-url or LANGFUSE_BASE_URL, with
                           LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY from the environment
                         local-langfuse: the one \`tracelab langfuse up\` runs (URL and keys from it)
      --langfuse-url <u> Langfuse base URL for --backend langfuse
      --results <dir>    where runs are written (default: results)
      --run-id <id>      name of the run directory (default: <time>-<spec name>)
  -h, --help             show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      spec: SPEC_FLAGS.spec,
      quick: { type: 'boolean', default: false },
      results: { type: 'string', default: 'results' },
      'run-id': { type: 'string' },
      backend: { type: 'string', default: 'stand-in' },
      'langfuse-url': { type: 'string' },
      preset: { type: 'string' },
      sink: { type: 'string', default: 'queue' },
    });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (values.preset !== undefined && !isPresetName(values.preset))
      throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
    if (values.sink !== 'queue' && values.sink !== 'count') throw new UsageError(`--sink must be queue or count, got "${values.sink}"`);
    const doc = loadSpecFile(values.spec, { preset: values.preset });
    const backend = backendChoice(values.backend, values['langfuse-url'], doc, values.sink);
    makeOutputDirectory(values.results, '--results');
    // The stages load only now, so --help and bad flags are answered at once.
    const [{ runExperiment }, { cachedHeadroom, headroomWarning }, { analyze }, { terminalSummary }, { writeReport, writeResults }] = await Promise.all([
      import('../infra/experiment/run.ts'),
      import('../infra/experiment/headroom.ts'),
      import('../infra/analysis/analyze.ts'),
      import('../infra/report/terminal.ts'),
      import('../infra/report/write.ts'),
    ]);
    const runId = values['run-id'] ?? newRunId(`${doc.metadata.name}${values.preset ? `-${values.preset}` : ''}`, values.quick);
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    say(`tracelab lab: spec ${values.spec} ("${doc.metadata.name}"), run ${runId}${values.quick ? ' (quick)' : ''}`);
    // The harness's headroom as measured once on this machine (tracelab headroom); never measured here.
    const warning =
      doc.spec.load.scenario === 'closed' ? undefined : headroomWarning(cachedHeadroom(), doc.spec.load.rate, doc.spec.app.workload.spansPerRequest);
    if (warning) say(`note: ${warning}`);
    const { runDir, record } = await runExperiment({ doc, resultsRoot: values.results, runId, quick: values.quick, progress: say, backend });
    say('Analysing (percentiles, intervals over rounds, the tail request by request)...');
    let results: ReturnType<typeof analyze>;
    try {
      results = analyze(record, runDir);
    } catch (error) {
      if (!record.interrupted) throw error;
      console.log(`Interrupted before every topology had a measured slot (${(error as Error).message}); the raw record is in ${runDir}/raw/.`);
      return 130;
    }
    writeResults(runDir, results);
    const [md, html] = writeReport(runDir, results);
    console.log(`\n${terminalSummary(results)}\n`);
    console.log(`Report: ${html}\n        ${md}\n        ${runDir}/results.json`);
    // 128 + SIGINT, as shells report a run stopped by Ctrl-C.
    return record.interrupted ? 130 : 0;
  },
};
