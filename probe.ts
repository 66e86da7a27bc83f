import { harnessHeadroom, sustainedRps } from './infra/experiment/headroom.ts';
process.env.TRACELAB_CACHE = '/tmp/hcache';
const t = Date.now();
const h = await harnessHeadroom({ progress: console.log, refresh: true });
console.log(h, (Date.now() - t) / 1000, 's', 'sustain at 6 spans', sustainedRps(h, 6));
