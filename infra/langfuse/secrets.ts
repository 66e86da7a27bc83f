// The local Langfuse's generated secrets: created once per instance, kept in files only the
// user can read (mode 0600), never printed and never in the repository. Hex only, as the
// charts' Secrets: URL-special characters break Langfuse's migrations.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGFUSE_SECRETS } from '../../contracts/langfuse-env.ts';

export interface LocalSecrets {
  /** Secret name → key → value, as the charts' Secrets hold them (contracts/langfuse-env.ts). */
  readonly langfuse: Record<string, Record<string, string>>;
  readonly postgresPassword: string;
  readonly redisPassword: string;
  readonly clickhousePassword: string;
  readonly s3AccessKeyId: string;
  readonly s3SecretAccessKey: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function generateSecrets(): LocalSecrets {
  return {
    langfuse: {
      [LANGFUSE_SECRETS.server]: { salt: hex(32), encryptionKey: hex(32), nextauthSecret: hex(32) },
      [LANGFUSE_SECRETS.init]: { publicKey: `pk-lf-${hex(16)}`, secretKey: `sk-lf-${hex(16)}`, userPassword: hex(16) },
    },
    postgresPassword: hex(24),
    redisPassword: hex(24),
    clickhousePassword: hex(24),
    s3AccessKeyId: hex(10),
    s3SecretAccessKey: hex(24),
  };
}

export const secretsFile = (instanceDir: string) => join(instanceDir, 'secrets.json');

/** The instance's secrets, generated on first use. */
export function loadOrCreateSecrets(instanceDir: string): LocalSecrets {
  const file = secretsFile(instanceDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets = generateSecrets();
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** What apps and the lab need to reach the instance, as a file to source (mode 0600). */
export function writeKeysFile(instanceDir: string, baseUrl: string, secrets: LocalSecrets): string {
  const init = secrets.langfuse[LANGFUSE_SECRETS.init];
  const file = join(instanceDir, 'keys.env');
  writeFileSync(file, `LANGFUSE_BASE_URL=${baseUrl}\nLANGFUSE_PUBLIC_KEY=${init.publicKey}\nLANGFUSE_SECRET_KEY=${init.secretKey}\n`, { mode: 0o600 });
  return file;
}

/** The base URL and keys from a keys file written by writeKeysFile. */
export function readKeysFile(file: string): { baseUrl: string; publicKey: string; secretKey: string } {
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const { LANGFUSE_BASE_URL: baseUrl, LANGFUSE_PUBLIC_KEY: publicKey, LANGFUSE_SECRET_KEY: secretKey } = vars;
  if (!baseUrl || !publicKey || !secretKey) throw new Error(`${file} lacks LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY or LANGFUSE_SECRET_KEY`);
  return { baseUrl, publicKey, secretKey };
}
