// k6 load generators: the scenario scripts in a ConfigMap and one Job per topology. Jobs
// are created suspended; the bench step resumes them one at a time, round by round, so two
// topologies never share the cluster's load at once.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { k6Bundle, scenarioPath } from '../../contracts/k6-bundle.ts';
import { k6Env } from '../../contracts/k6-env.ts';
import type { Spec } from '../../contracts/spec/schema.ts';
import { PULL, containerResources, containerSecurity, labels, podSecurity } from '../pod-defaults.ts';
import { labelStage } from '../stage.ts';
import { APP_PORT, appName } from '../topologies/chart.ts';

const K6_UID = 12345; // the grafana/k6 image's user

/** ConfigMap keys cannot contain "/": lib/config.ts is stored as lib__config.ts. */
const configMapKey = (path: string) => path.replaceAll('/', '__');

export interface LoadTestChartProps {
  readonly spec: Spec;
}

export class LoadTestChart extends Chart {
  constructor(scope: Construct, id: string, props: LoadTestChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const { spec } = props;
    const files = k6Bundle();
    const scripts = new kplus.ConfigMap(this, 'scripts', {
      metadata: { name: 'k6-scripts' },
      data: Object.fromEntries(files.map(([path, text]) => [configMapKey(path), text])),
    });
    const volume = kplus.Volume.fromConfigMap(this, 'scripts-volume', scripts, {
      name: 'scripts',
      items: Object.fromEntries(files.map(([path]) => [configMapKey(path), { path }])),
    });

    for (const topology of spec.topologies) {
      const name = `k6-${topology.name}`;
      const job = new kplus.Job(this, topology.name, {
        metadata: { name, labels: labels(name, 'loadtest') },
        podMetadata: { labels: labels(name, 'loadtest') },
        backoffLimit: 0,
        automountServiceAccountToken: false,
        securityContext: podSecurity(K6_UID),
      });
      job.addContainer({
        name: 'k6',
        image: spec.load.image,
        imagePullPolicy: PULL,
        args: ['run', '--summary-export=/tmp/summary.json', `/scripts/${scenarioPath(spec.load.scenario)}`],
        envVariables: Object.fromEntries(
          Object.entries({
            ...k6Env({
              targetUrl: `http://${appName(topology)}:${APP_PORT}`,
              topology: topology.name,
              round: '0',
              rate: spec.load.rate,
              duration: spec.load.duration,
              warmup: spec.load.warmup,
              preAllocatedVUs: spec.load.preAllocatedVUs,
              maxVUs: spec.load.maxVUs,
              vus: spec.load.vus,
              thinkTime: spec.load.thinkTime,
            }),
            K6_NO_USAGE_REPORT: 'true',
          }).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]),
        ),
        resources: containerResources(spec.load.resources),
        securityContext: containerSecurity(K6_UID),
        volumeMounts: [
          { path: '/scripts', volume, readOnly: true },
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, `${topology.name}-tmp`, 'tmp') },
        ],
      });
      // cdk8s-plus has no `suspend` prop on Job. The bench step resumes Jobs; the reconciler
      // sets the field only while it still owns it (infra/cluster/job-suspend.ts).
      ApiObject.of(job).addJsonPatch(JsonPatch.add('/spec/suspend', true));
    }
    labelStage(this, 'loadtest');
  }
}
