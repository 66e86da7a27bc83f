// The shape every `tracelab <command>` file exports, and the argument parsing they share.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { SpecError } from '../contracts/spec/read.ts';

/** What a command may know about the CLI it runs in (its siblings, to name only commands that exist). */
export interface Cli {
  readonly commandNames: readonly string[];
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full --help text. */
  readonly usage: string;
  run(argv: string[], cli: Cli): Promise<number>;
}

/** Thrown for bad flags or arguments: one line naming the problem, exit code 2. */
export class UsageError extends Error {}

/** `word` if it is close enough to one of `known` to be a typo of it. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const bare = (w: string) => w.replace(/^-+/, '');
  const guess = closest(word, [...known]);
  const [a, b] = [bare(word), bare(guess)];
  // A typo (a few letters off) or a longer or shorter form of the same word (--outdir for --out).
  const near = distance(a, b) <= Math.max(2, Math.floor(a.length / 3)) || (b.length >= 3 && (a.startsWith(b) || b.startsWith(a)));
  return near ? guess : undefined;
}

type ParseError = Error & { code?: string };

/** node:util's parse errors, reworded: which flag, what is wrong, what was probably meant. */
function usageError(error: ParseError, options: ParseArgsOptionsConfig): UsageError {
  const flags = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = didYouMean(quoted, flags);
      return new UsageError(`unknown option ${quoted}${guess ? `; did you mean ${guess}?` : ''}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /--[\w-]+/.exec(error.message)?.[0] ?? quoted;
      return new UsageError(/argument missing/.test(error.message) ? `${flag} needs a value` : `${flag} takes no value`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument "${quoted}"; this command takes options only`);
    default:
      return new UsageError(error.message);
  }
}

export function parseFlags<T extends ParseArgsOptionsConfig>(argv: string[], options: T, allowPositionals = false) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    return parseArgs({ args: argv, options: all, allowPositionals, strict: true });
  } catch (error) {
    throw usageError(error as ParseError, all);
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

/** Runs a command and turns known failures into exit codes with readable messages, never a stack trace. */
export async function execute(command: Command, argv: string[], cli: Cli): Promise<number> {
  try {
    return await command.run(argv, cli);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tracelab ${command.name}: ${error.message}\nRun \`tracelab ${command.name} --help\` for its options.\n`);
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
