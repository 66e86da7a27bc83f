// A real Kubernetes control plane for the cluster-path tests, without containers: etcd,
// kube-apiserver, kube-controller-manager and kube-scheduler as built from the Go module proxy,
// and kwok playing the nodes (pods turn Running/Ready, Jobs complete). The recipe is in
// FACTS.md ("Real control plane"). Everything it starts is stopped by stop(); nothing outlives it.
//
// What kwok cannot show: images are never pulled, containers never run (no logs, no probes),
// and a pod is marked Ready even when a Secret or ConfigMap it references is missing — the
// reconciler checks those references itself, and the tests check that it does.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlaneBinaries } from '../../infra/tools/control-plane.ts';
import { type Certificates, clientCertificate, makeCertificates, writeKubeconfig } from './certificates.ts';

export interface ControlPlane {
  /** An admin (system:masters) kubeconfig file. */
  readonly kubeconfig: string;
  readonly server: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** What a fake node offers: room for the eks profile's docs-minimum requests, twice. */
const NODE_CAPACITY = { cpu: '32', memory: '128Gi', pods: '110' };
export const FAKE_NODES = ['kwok-node-0', 'kwok-node-1'];

export async function startControlPlane(bins: ControlPlaneBinaries, log: (line: string) => void = () => {}): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'tracelab-cp-'));
  const processes: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // The host-path provisioner's volumes live in /tmp/hostpath_pv/<uuid>: take this
    // cluster's along (a test that failed half-way may have left some).
    const volumes = volumePaths(bins.kubectl, join(dir, 'admin.kubeconfig'));
    for (const { child } of processes.reverse()) await terminate(child);
    for (const path of volumes) rmSync(path, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const certs = makeCertificates(dir);
    const [etcdClient, etcdPeer, apiPort, kcmPort, schedulerPort] = await freePorts(5);
    const server = `https://127.0.0.1:${apiPort}`;
    const start = (name: string, command: string, args: string[]) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let tail = '';
      const keep = (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-6000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.on('exit', (code, signal) => {
        if (!stopping && code !== 0) log(`${name} exited (${code ?? signal}):\n${tail.slice(-2000)}`);
      });
      processes.push({ name, child });
      return () => tail;
    };

    start('etcd', bins.etcd, [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      // Test data: no fsync, so a 2-core machine shared with builds stays quick.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    const apiserverLog = start('kube-apiserver', bins.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      // Required when advertising 127.0.0.1: the endpoints reconciler refuses loopback.
      '--endpoint-reconciler-type=none',
      '--authorization-mode=Node,RBAC',
      `--client-ca-file=${certs.ca}`,
      `--tls-cert-file=${certs.apiserverCert}`,
      `--tls-private-key-file=${certs.apiserverKey}`,
      `--service-account-key-file=${certs.saPublic}`,
      `--service-account-signing-key-file=${certs.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/16',
    ]);
    const kubeconfig = join(dir, 'admin.kubeconfig');
    writeKubeconfig(kubeconfig, server, certs.ca, certs.adminCert, certs.adminKey);
    await waitFor('kube-apiserver /readyz', 60_000, () => readyz(server, certs), apiserverLog);

    const component = (user: string) => {
      const { cert, key } = clientCertificate(dir, certs, user, user);
      const file = join(dir, `${user.replace(/:/g, '-')}.kubeconfig`);
      writeKubeconfig(file, server, certs.ca, cert, key);
      return file;
    };
    start('kube-controller-manager', bins.kubeControllerManager, [
      `--kubeconfig=${component('system:kube-controller-manager')}`,
      `--service-account-private-key-file=${certs.saKey}`,
      `--root-ca-file=${certs.ca}`,
      '--use-service-account-credentials=true',
      // PVCs bind at once: PVs are empty directories under /tmp/hostpath_pv/.
      '--enable-hostpath-provisioner=true',
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
    ]);
    start('kube-scheduler', bins.kubeScheduler, [
      `--kubeconfig=${component('system:kube-scheduler')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${schedulerPort}`,
    ]);
    start('kwok', bins.kwok, [
      `--kubeconfig=${kubeconfig}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--config=${bins.kwokStages}`,
      // kwok keeps the nodes' Leases renewed; without them the node lifecycle controller
      // marks the nodes NotReady now and then, and every pod with them.
      '--node-lease-duration-seconds=40',
      '--server-address=',
    ]);

    const kubectl = (args: string[], input?: string) => execFileSync(bins.kubectl, [`--kubeconfig=${kubeconfig}`, ...args], { input, encoding: 'utf8' });
    kubectl(['apply', '-f', '-'], clusterFixtures());
    await waitFor('fake nodes Ready', 60_000, async () => {
      const out = kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      return (
        out
          .trim()
          .split('\n')
          .filter((s) => s === 'True').length === FAKE_NODES.length
      );
    });
    return { kubeconfig, server, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Fake nodes kwok manages, and the StorageClasses the profiles name (`standard` default, `gp3`). */
function clusterFixtures(): string {
  const nodes = FAKE_NODES.map(
    (name) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
  labels: { kubernetes.io/hostname: ${name}, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok }
status:
  allocatable: { cpu: "${NODE_CAPACITY.cpu}", memory: ${NODE_CAPACITY.memory}, pods: "${NODE_CAPACITY.pods}" }
  capacity: { cpu: "${NODE_CAPACITY.cpu}", memory: ${NODE_CAPACITY.memory}, pods: "${NODE_CAPACITY.pods}" }`,
  );
  const storageClass = (name: string, isDefault: boolean) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
  annotations: { storageclass.kubernetes.io/is-default-class: "${isDefault}" }
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate`;
  return [...nodes, storageClass('standard', true), storageClass('gp3', false)].join('\n---\n');
}

function volumePaths(kubectl: string, kubeconfig: string): string[] {
  try {
    const out = execFileSync(kubectl, [`--kubeconfig=${kubeconfig}`, 'get', 'pv', '-o', 'jsonpath={range .items[*]}{.spec.hostPath.path}{"\\n"}{end}'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n').filter((p) => p.startsWith('/tmp/hostpath_pv/'));
  } catch {
    return [];
  }
}

function readyz(server: string, certs: Certificates): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `${server}/readyz`,
      { ca: readFileSync(certs.ca), cert: readFileSync(certs.adminCert), key: readFileSync(certs.adminKey), timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`control plane: ${what} not reached within ${timeoutMs / 1000}s${output ? `\n${output().slice(-2000)}` : ''}`);
}

/**
 * Ports below 32768: above it is the kernel's ephemeral range, where an outgoing connection
 * can take a port between our check and the server's bind.
 */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!ports.has(port) && (await canBind(port))) ports.add(port);
  }
  return [...ports];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
