import { loadSpecFile } from './contracts/spec/read.ts';
import { planSweep, parseVary, estimateMinutes } from './infra/experiment/sweep.ts';
import { SWEEP_PRESETS } from './infra/experiment/sweep-presets.ts';
const doc = loadSpecFile('tracelab.yaml');
for (const p of SWEEP_PRESETS) {
  const plan = planSweep({ doc, preset: p.name });
  console.log(
    p.name,
    plan.doc.spec.topologies.length,
    estimateMinutes(plan).toFixed(1),
    plan.record.variants.map((v) => `${v.name}<${v.baseline ?? ''}>`).join(' '),
  );
}
const fr = loadSpecFile('examples/field-report.yaml');
const plan = planSweep({ doc: fr, preset: 'exec-time' });
console.log(
  'field',
  plan.doc.spec.topologies.length,
  estimateMinutes(plan).toFixed(1),
  plan.record.variants.map((v) => `${v.name}<${v.baseline ?? ''}>`).join(' '),
);
for (const bad of [
  'app.workload.payloadByte=1',
  'app.workload.payloadBytes=abc,-1',
  'app.workload=1',
  'topologies.sdk.batchSize=1',
  'topologies[nope].sdk.batchSize=1',
  'topologies[*].sdk.batchSize=4096',
  'collector.batch.timeout=1s',
  'topologies[*].sdk.exportMode=fast',
  'app.workload.nestingDepth=2,10',
  'topologies[baseline].sdk.batchSize=5',
  'topologies[*].runtime=python',
  'app.workload.llmLatency=1 s',
]) {
  try {
    planSweep({ doc, vary: [parseVary(bad)] });
    console.log('OK?', bad);
  } catch (e) {
    console.log((e as Error).message);
  }
}
const ok = planSweep({ doc, vary: [parseVary('app.workload.payloadBytes=0,1KiB,1MiB')], topologies: ['inprocess'] });
console.log(ok.record.variants.map((v) => v.name + ':' + v.workload.payloadBytes + '<' + (v.baseline ?? '')));
