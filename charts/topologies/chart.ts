// One Deployment + Service per topology in the spec. Every variant runs the same image and
// differs only in env (tracing mode, exporter target, SDK knobs) and, for `sidecar`, the
// collector container in its pod.
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { collectorSettingsFor } from '../../contracts/collector-config.ts';
import { settingsEnv, targetSettings, KEY_ENV } from '../../contracts/target-app.ts';
import type { Spec, Topology } from '../../contracts/spec/schema.ts';
import { exportPlan, type ExportEndpoints } from '../../contracts/spec/topology.ts';
import { Agent } from '../collector/agent.ts';
import { SIDECAR_TRACES_URL, addCollectorSidecar } from '../collector/sidecar.ts';
import { fromSecret, toEnvVariables, value, type EnvList } from '../env.ts';
import { LABEL, PULL, containerResources, containerSecurity, labels, podSecurity } from '../pod-defaults.ts';
import { SECRET } from '../secrets.ts';

export const APP_PORT = 8080;
/** uid of the `node` user in the node:*-slim images. */
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
      image: spec.app.image,
      imagePullPolicy: PULL,
      ports: [{ name: 'http', number: APP_PORT }],
      envVariables: toEnvVariables(this, env),
      resources: containerResources(spec.app.resources),
      securityContext: containerSecurity(APP_UID),
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: APP_PORT, periodSeconds: Duration.seconds(5) }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: APP_PORT, periodSeconds: Duration.seconds(10) }),
    });
    if (topology.topology === 'sidecar') {
      addCollectorSidecar(deployment, deployment, {
        settings: collectorSettingsFor(spec.collector, topology),
        langfuseOtelEndpoint: `${endpoints.langfuseBaseUrl}/api/public/otel`,
        appName: name,
      });
    }

    const service = new kplus.Service(this, `${topology.name}-service`, {
      metadata: { name, labels: podLabels },
      ports: [{ name: 'http', port: APP_PORT, targetPort: APP_PORT }],
    });
    for (const [key, v] of Object.entries(podLabels)) service.selectLabel(key, v);
  }
}
