// required-secrets.md: the Secrets a synthesized stack reads, for whoever applies the YAML
// without `tracelab up` (which generates them). Names, keys and the commands that create
// them with random values — never a value. Markdown, so `kubectl apply -f <dir>` skips it.
import type { RequiredSecret } from './secrets.ts';

export function requiredSecretsReadme(namespace: string, secrets: readonly RequiredSecret[]): string {
  const lines = [
    '# Secrets this stack reads',
    '',
    'No value is ever written by tracelab. `tracelab up` (or the operator) creates the generated ones once, with random',
    'hex values, and keeps them on later runs. Applying the YAML yourself, create them first. Use hex values only:',
    "URL-special characters break Langfuse's migrations.",
    '',
  ];
  for (const s of secrets) {
    const keys = Object.entries(s.keys);
    lines.push(`## ${s.name}`, '', `${s.purpose}. Keys: ${keys.map(([k]) => `\`${k}\``).join(', ')}.`, '');
    if (keys.every(([, rule]) => rule === 'provided')) {
      lines.push(
        'Provided by you:',
        '',
        '```sh',
        `kubectl -n ${namespace} create secret generic ${s.name} ${keys.map(([k]) => `--from-literal=${k}=...`).join(' ')}`,
        '```',
        '',
      );
      continue;
    }
    const shell: string[] = [];
    const literal: string[] = [];
    for (const [key, rule] of keys) {
      if (rule === 'provided') literal.push(`--from-literal=${key}=...`);
      else if ('generate' in rule) {
        shell.push(`${key}=${rule.prefix ?? ''}$(openssl rand -hex ${rule.bytes})`);
        literal.push(`--from-literal=${key}="$${key}"`);
      } else {
        shell.push(`${key}=$(printf '%s:%s' "$${rule.user}" "$${rule.password}" | base64 | tr -d '\\n')`);
        literal.push(`--from-literal=${key}="$${key}"`);
      }
    }
    lines.push('```sh', ...shell, `kubectl -n ${namespace} create secret generic ${s.name} ${literal.join(' ')}`, '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
