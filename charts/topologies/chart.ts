// One Deployment + Service per topology in the spec. Every variant runs the image of its
// runtime and SDK line and differs only in env (tracing mode, exporter target, SDK knobs) and, for `sidecar`, the
// collector container in its pod.
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { settingsEnv, targetSettings, KEY_ENV } from '../../contracts/target-app.ts';
import type { Spec, Topology } from '../../contracts/spec/schema.ts';
import { appImage } from '../../contracts/spec/runtimes.ts';
import { exportPlan, type ExportEndpoints } from '../../contracts/spec/topology.ts';
import { Agent } from '../collector/agent.ts';
import { QUEUE_DIRECTORY } from '../collector/container.ts';
import { CollectorSidecar, SIDECAR_TRACES_URL } from '../collector/sidecar.ts';
import { fromSecret, toEnvVariables, value, type EnvList } from '../env.ts';
import { LABEL, PULL, containerResources, containerSecurity, labels, podSecurity } from '../pod-defaults.ts';
import { SECRET } from '../secrets.ts';
import { labelStage } from '../stage.ts';

export const APP_PORT = 8080;
/** uid of the unprivileged user in both app images (node:*-slim's `node`; target-python's `app`). */
const APP_UID = 1000;

export interface TopologiesChartProps {
  readonly spec: Spec;
  readonly langfuseBaseUrl: string;
  readonly gatewayTracesUrl: string;
}

export function appName(topology: Topology): string {
  return `app-${topology.name}`;
}

export class TopologiesChart extends Chart {
  constructor(scope: Construct, id: string, props: TopologiesChartProps) {
    super(scope, id, { namespace: props.spec.namespace, disableResourceNameHashes: true });
    const endpoints: ExportEndpoints = {
      langfuseBaseUrl: props.langfuseBaseUrl,
      gatewayTracesUrl: props.gatewayTracesUrl,
      sidecarTracesUrl: SIDECAR_TRACES_URL,
      agentTracesUrl: Agent.TRACES_URL,
    };
    for (const topology of props.spec.topologies) this.addTopology(props.spec, topology, endpoints);
    labelStage(this, 'apps');
  }

  private addTopology(spec: Spec, topology: Topology, endpoints: ExportEndpoints): void {
    const name = appName(topology);
    const podLabels = labels(name, 'app', { [LABEL.topology]: topology.name });
    const plan = exportPlan(topology.topology, endpoints);
    const settings = targetSettings(topology, spec.app.workload, plan.tracing, plan.endpoint, APP_PORT);

    const env: Array<EnvList[number]> = [];
    // Defined first: the agent URL refers to it as $(HOST_IP).
    if (topology.topology === 'agent') env.push([Agent.HOST_IP_ENV, { field: kplus.EnvFieldPaths.NODE_IP }]);
    env.push(...settingsEnv(settings).map(([k, v]) => [k, value(v)] as const));
    if (plan.tracing === 'langfuse') {
      env.push([KEY_ENV.publicKey, fromSecret(SECRET.init, 'publicKey')], [KEY_ENV.secretKey, fromSecret(SECRET.init, 'secretKey')]);
    }

    const deployment = new kplus.Deployment(this, topology.name, {
      metadata: { name, labels: podLabels },
      replicas: spec.app.replicas,
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: podSecurity(APP_UID),
      // The app flushes its span queue on SIGTERM before exiting.
      terminationGracePeriod: Duration.seconds(30),
    });
    deployment.select(kplus.LabelSelector.of({ labels: podLabels }));
    deployment.addContainer({
      name: 'app',
      // The image carries the runtime and its SDK line (one image per line for python).
      image: appImage(spec.app.images, topology),
      imagePullPolicy: PULL,
      ports: [{ name: 'http', number: APP_PORT }],
      envVariables: toEnvVariables(this, env),
      resources: containerResources(spec.app.resources),
      securityContext: containerSecurity(APP_UID),
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: APP_PORT, periodSeconds: Duration.seconds(5) }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: APP_PORT, periodSeconds: Duration.seconds(10) }),
    });
    if (topology.topology === 'sidecar') {
      const collector = spec.collector;
      new CollectorSidecar(this, `${topology.name}-sidecar`, {
        workload: deployment,
        appName: name,
        image: collector.image,
        resources: collector.sidecar.resources,
        // OTLP only on localhost; health and metrics on the pod IP so the kubelet can probe
        // and Prometheus can scrape.
        config: {
          settings: collector,
          langfuseOtelEndpoint: `${endpoints.langfuseBaseUrl}/api/public/otel`,
          bindHost: '127.0.0.1',
          adminHost: '0.0.0.0',
          queueDirectory: QUEUE_DIRECTORY,
        },
        authSecret: kplus.Secret.fromSecretName(this, `${topology.name}-init-secret`, SECRET.init),
        persistentQueue: collector.persistentQueue.enabled,
      });
    }

    const service = new kplus.Service(this, `${topology.name}-service`, {
      metadata: { name, labels: podLabels },
      ports: [{ name: 'http', port: APP_PORT, targetPort: APP_PORT }],
    });
    for (const [key, v] of Object.entries(podLabels)) service.selectLabel(key, v);
  }
}
