import { existsSync } from 'node:fs';
import { loadSpecFile } from '../contracts/spec/read.ts';
import type { LangfuseMajor } from '../contracts/spec/langfuse-versions.ts';
import type { TraceLab } from '../contracts/spec/schema.ts';
import { composeDown, composeUp } from '../infra/langfuse/compose.ts';
import { isAlive } from '../infra/langfuse/daemon.ts';
import { down, healthy, instanceDir, readState, up } from '../infra/langfuse/instance.ts';
import { type Command, SPEC_FLAGS, UsageError, parseFlags } from './command.ts';

const USAGE = `Usage: tracelab langfuse <up|status|down> [options]

A real Langfuse on this machine, without containers: web + worker built from the release
source (cached per user and version under \${XDG_CACHE_HOME:-~/.cache}/tracelab/; the first
build takes ~5-10 min, ~9 GiB disk and up to 8.5 GB RAM), with private Postgres, Redis,
MinIO and the ClickHouse engine (chDB behind a small HTTP front: the one non-stock part) on
127.0.0.1. Secrets are generated per instance and kept in files only you can read; up
prints the URL and the keys file (LANGFUSE_BASE_URL / _PUBLIC_KEY / _SECRET_KEY) to source
before \`tracelab lab --backend langfuse\`.

Commands:
  up        build (once), start, migrate, wait until healthy; idempotent
  status    what runs, and whether the API answers
  down      stop exactly what up started (--purge: also delete data and secrets)

Options:
  -f, --spec <file>      the TraceLab spec: spec.langfuse.version (3|4) and init (default: tracelab.yaml)
      --version <3|4>    overrides spec.langfuse.version
      --docker           use Langfuse's official docker-compose.yml (pinned release) instead
      --purge            with down: delete the instance's data and secrets too
      --cpus <list>      with up: pin every process to these CPUs (taskset), e.g. 0 to share the
                         lab's support core and leave the app-under-test core alone
  -h, --help             show this help

Environment: TRACELAB_LANGFUSE_SRC (folder with langfuse-v<version>.tar.gz; relative to the
repository root), TRACELAB_CACHE (build cache root), TRACELAB_LANGFUSE_STATE (instance folder).`;

function withVersion(doc: TraceLab, flag: string | undefined): TraceLab {
  if (flag === undefined) return doc;
  if (flag !== '3' && flag !== '4') throw new UsageError(`--version must be 3 or 4, got "${flag}"`);
  return { ...doc, spec: { ...doc.spec, langfuse: { ...doc.spec.langfuse, version: Number(flag) as LangfuseMajor } } };
}

export const langfuse: Command = {
  name: 'langfuse',
  summary: 'run a real Langfuse locally (no containers): up | status | down',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        spec: SPEC_FLAGS.spec,
        version: { type: 'string' },
        docker: { type: 'boolean', default: false },
        purge: { type: 'boolean', default: false },
        cpus: { type: 'string' },
      },
      true,
    );
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (!action || extra.length > 0 || !['up', 'status', 'down'].includes(action)) throw new UsageError('say one of up, status, down');
    const doc = withVersion(loadSpecFile(values.spec), values.version);
    const major = doc.spec.langfuse.version;
    const started = Date.now();
    const say = (line: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);
    const dir = instanceDir(major);

    if (action === 'up') {
      const result = values.docker ? await composeUp(doc.spec, dir, say) : await up({ spec: doc.spec, progress: say, cpus: values.cpus });
      say(`Langfuse is up: ${result.baseUrl}`);
      say(`Keys: ${result.keysFile} (mode 0600; load them with: set -a; . ${result.keysFile}; set +a)`);
      return 0;
    }
    if (action === 'down') {
      if (values.docker) await composeDown(doc.spec, dir, say);
      else {
        const outcomes = await down(major, { progress: say, purge: values.purge });
        if (outcomes.length === 0) say(`nothing was running (${dir})`);
      }
      return 0;
    }
    const state = readState(major);
    if (!state || state.daemons.length === 0) {
      console.log(`Langfuse ${major}: not running${existsSync(dir) ? ` (instance folder ${dir})` : ''}`);
      return 3;
    }
    const ok = await healthy(state.baseUrl);
    console.log(`Langfuse ${state.version} at ${state.baseUrl}: API ${ok ? 'healthy' : 'NOT answering'}; keys: ${state.keysFile}`);
    for (const d of state.daemons)
      console.log(`  ${d.name.padEnd(18)} pid ${String(d.pid).padEnd(8)} ${isAlive(d) ? 'running' : 'NOT running'}  log: ${d.logFile}`);
    return ok && state.daemons.every(isAlive) ? 0 : 1;
  },
};
