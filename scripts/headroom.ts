import { cachedHeadroom, harnessCacheFile, harnessHeadroom, sustainedRps } from '../infra/experiment/headroom.ts';
import { type Command, parseFlags } from './command.ts';

export const headroom: Command = {
  name: 'headroom',
  summary: 'measure (once per machine, cached) what the harness sustains on the support core',
  usage: `Usage: tracelab headroom [--refresh]

Measures, on the support core, k6's CPU per request (against an app doing nothing) and the
collector's + sink's CPU per span relayed, and caches the figures per machine and tool
versions in \${TRACELAB_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/tracelab}/harness-<fingerprint>.json
(about 30 s). sweep and capacity measure it when it is missing, lab reads it: each warns
when the offered rate is above half of what the harness sustains.

Options:
      --refresh   measure again even when cached
  -h, --help      show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, { refresh: { type: 'boolean', default: false } });
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    const fromCache = !values.refresh && cachedHeadroom() !== undefined;
    const h = await harnessHeadroom({ progress: (line) => console.log(line), refresh: values.refresh });
    console.log(`${fromCache ? 'Cached' : 'Measured'} ${h.measuredAt} (${harnessCacheFile()}):`);
    console.log(
      `  k6: ${h.k6CpuMsPerRequest.toFixed(3)} ms CPU per request; collector ${h.collectorCpuMsPer1kSpans.toFixed(1)} + sink ${h.sinkCpuMsPer1kSpans.toFixed(1)} ms CPU per 1000 spans; ${h.supportCores} support core(s)`,
    );
    for (const spans of [1, 6, 12, 50])
      console.log(`  sustains ~${Math.round(sustainedRps(h, spans))} req/s at ${spans} spans/request (warns above ${Math.round(sustainedRps(h, spans) / 2)})`);
    return 0;
  },
};
