// The control plane's PKI, made with openssl as FACTS.md describes it: a CA, the API server's
// serving certificate, client certificates (admin in system:masters, one per component) and
// the service-account signing key; and kubeconfig files that use them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Certificates {
  readonly ca: string;
  readonly caKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saKey: string;
  readonly saPublic: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

export function makeCertificates(dir: string): Certificates {
  const p = (name: string) => join(dir, name);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=tracelab-test-ca'], dir);
  writeFileSync(
    p('apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n',
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'apiserver.crt',
      '-days',
      '2',
      '-extfile',
      'apiserver.ext',
    ],
    dir,
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const partial = { ca: p('ca.crt'), caKey: p('ca.key') };
  const admin = clientCertificate(dir, partial, 'admin', 'system:masters');
  return {
    ...partial,
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: admin.cert,
    adminKey: admin.key,
    saKey: p('sa.key'),
    saPublic: p('sa.pub'),
  };
}

export function clientCertificate(dir: string, certs: { ca: string; caKey: string }, user: string, group: string): { cert: string; key: string } {
  const base = user.replace(/:/g, '-');
  writeFileSync(join(dir, `${base}.ext`), 'extendedKeyUsage=clientAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${user}/O=${group}`], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      certs.ca,
      '-CAkey',
      certs.caKey,
      '-CAcreateserial',
      '-out',
      `${base}.crt`,
      '-days',
      '2',
      '-extfile',
      `${base}.ext`,
    ],
    dir,
  );
  return { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
}

export function writeKubeconfig(file: string, server: string, ca: string, cert: string, key: string): void {
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: test, cluster: { server: "${server}", certificate-authority: "${ca}" } }]
users: [{ name: test, user: { client-certificate: "${cert}", client-key: "${key}" } }]
contexts: [{ name: test, context: { cluster: test, user: test, namespace: default } }]
current-context: test
`,
  );
}
