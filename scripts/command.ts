// The shape every `tracelab <command>` file exports, and the argument parsing they share.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { SpecError } from '../contracts/spec/read.ts';

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full --help text. */
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad flags: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

export function parseFlags<T extends ParseArgsOptionsConfig>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Common flags for commands that read a spec. */
export const SPEC_FLAGS = {
  spec: { type: 'string', short: 'f', default: 'tracelab.yaml' },
  profile: { type: 'string', short: 'p' },
} as const;

export const SPEC_FLAGS_HELP = `  -f, --spec <file>      the TraceLab spec (default: tracelab.yaml)
  -p, --profile <name>   kind | eks; overrides spec.profile`;

/** Flags of commands that talk to a cluster: kubeconfig and context as kubectl finds them. */
export const CLUSTER_FLAGS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

export const CLUSTER_FLAGS_HELP = `      --kubeconfig <file>  kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config,
                           then the in-cluster service account)
      --context <name>     kubeconfig context (default: its current context)`;

/** "90s", "15m" → milliseconds, for --timeout style flags. */
export function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(s|m|h)$/.exec(value);
  if (!match) throw new UsageError(`--${name} must be a duration such as 90s, 15m or 1h, got "${value}"`);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

export function profileFlag(value: string | undefined): 'kind' | 'eks' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'kind' && value !== 'eks') throw new UsageError(`--profile must be kind or eks, got "${value}"`);
  return value;
}

/** Runs a command and turns known failures into exit codes with readable messages. */
export async function execute(command: Command, argv: string[]): Promise<number> {
  try {
    return await command.run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tracelab ${command.name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof SpecError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    // Stages throw Errors whose message says what went wrong and what to do; the stack
    // helps only when debugging tracelab itself.
    const detail = process.env.TRACELAB_DEBUG ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`tracelab ${command.name}: ${detail}\n`);
    return 1;
  }
}
