// The words of a fault run's report: what was done, and per topology what it lost, where the
// lost spans went and what the app paid meanwhile. The analysis returns the figures
// (infra/analysis/faults.ts); this module and fault-tables.ts word them for every format.
import type { Fault } from '../../contracts/spec/schema.ts';
import type { FaultTopologyResult, LossCauses, Results, TopologyResult } from '../analysis/results.ts';
import { ms, ratio } from './format.ts';

export function faultText(f: Fault): string {
  const when = `at ${f.at} for ${f.duration}`;
  switch (f.kind) {
    case 'backend-outage':
      return `backend down ${when} (${f.response === 'refuse' ? 'connections refused' : 'every export answered 503'})`;
    case 'backend-slow':
      return `backend answering ${f.latency} ± ${f.jitter} late ${when}`;
    case 'backend-errors':
      return `backend answering ${Math.round(f.ratio * 100)}% of exports with ${f.status} ${when}`;
    case 'collector-crash':
      return `the slot's collector SIGKILLed ${f.at} in, started again ${f.duration} later`;
    case 'app-restart':
      return `the app sent SIGTERM under load ${f.at} in, started again ${f.duration} after it exited`;
  }
}

export function faultRunText(r: Results): string | undefined {
  if (!r.faults?.length) return undefined;
  return `Fault run: ${r.faults.map(faultText).join('; ')} — the same offsets into every topology's measured phase. Spans are counted in the slot that made them until the end of the run; recovery is when the backlog (spans ended − delivered) is back to its level before the fault plus whatever never arrives.`;
}

/** Each cause in words; "export failed" depends on where the app exports to. */
export function causeWords(t: Pick<TopologyResult, 'kind'>): Record<keyof LossCauses, string> {
  return {
    sdkQueueDropped: 'dropped from the SDK queue (full)',
    exportFailed: t.kind === 'inprocess' ? "the app's export to the backend failed" : "the app's export to the collector failed (down or refusing)",
    collectorRefused: 'refused by the collector (sending queue full)',
    collectorSendFailed: 'the collector gave up sending (retries used up, or an answer it does not retry)',
    lostInCrash: 'lost with a killed process (held in its memory)',
    unexplained: 'not accounted for by any counter',
  };
}

export const recoveryText = (f: FaultTopologyResult) =>
  f.recoverySeconds === null ? 'not back to normal before the drain ended' : `back to normal ${f.recoverySeconds.toFixed(1)} s after the fault ended`;

export function faultVerdict(t: TopologyResult): string | undefined {
  const f = t.faults;
  if (!f) return undefined;
  const latency =
    f.latency.requestsDuring === 0
      ? `p99 ${ms(f.latency.p99OutsideMs)} ms, no request ran during a fault`
      : `p99 ${ms(f.latency.p99DuringMs)} ms for requests started during the fault vs ${ms(f.latency.p99OutsideMs)} ms outside it${f.latency.failedDuring ? `, ${f.latency.failedDuring} of ${f.latency.requestsDuring} requests during it failed` : ''}`;
  const memory = `RSS ${f.rss.startMiB.toFixed(0)} → ${f.rss.maxMiB.toFixed(0)} MiB`;
  if (t.kind === 'baseline') return `${t.name}: ${latency}; ${memory}.`;
  if (!f.applied) return `${t.name}: no fault had anything to hit here (${latency}).`;
  const words = causeWords(t);
  const causes = (Object.keys(words) as Array<keyof LossCauses>).filter((k) => f.causes[k] !== 0).map((k) => `${f.causes[k]} ${words[k]}`);
  const loss =
    f.lost === 0
      ? `lost nothing (${f.delivered} of ${f.ended} spans delivered${f.duplicates ? `, ${f.duplicates} of them sent twice` : ''})`
      : f.lost < 0
        ? `the backend holds ${-f.lost} more spans than the app ended — a counting error`
        : `lost ${f.lost} of ${f.ended} spans (${ratio(f.lost / f.ended)}): ${causes.join(', ') || 'no counter says where'}`;
  return `${t.name}: ${loss}; ${latency}; ${memory}; ${recoveryText(f)}.`;
}
