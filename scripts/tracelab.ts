#!/usr/bin/env node
// `tracelab <command>`: a thin dispatcher. Each command lives in its own file; the work
// lives in the pipeline stage it belongs to (infra/, charts/, ...).
import { readFileSync } from 'node:fs';
import { didYouMean, execute, type Cli, type Command } from './command.ts';
import { capacity } from './capacity.ts';
import { diff } from './diff.ts';
import { down } from './down.ts';
import { headroom } from './headroom.ts';
import { lab } from './lab.ts';
import { langfuse } from './langfuse.ts';
import { operator } from './operator.ts';
import { report } from './report.ts';
import { reproduce } from './reproduce.ts';
import { schema } from './schema.ts';
import { status } from './status.ts';
import { sweep } from './sweep.ts';
import { synth } from './synth.ts';
import { up } from './up.ts';
import { validate } from './validate.ts';

const COMMANDS: readonly Command[] = [lab, sweep, capacity, headroom, langfuse, report, reproduce, validate, schema, synth, up, status, diff, down, operator];
const cli: Cli = { commandNames: COMMANDS.map((c) => c.name) };
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const USAGE = `Usage: tracelab <command> [options]

What does Langfuse tracing cost your request latency, per export topology?

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`tracelab help <command>\` or \`tracelab <command> --help\` for a command's options;
\`tracelab --version\` prints the version.`;

const find = (name: string) => COMMANDS.find((c) => c.name === name);

/** One line naming the unknown command and, when it is a near miss, the one meant. */
function unknown(name: string): never {
  const guess = didYouMean(name, cli.commandNames);
  const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`;
  process.stderr.write(`tracelab: ${what}${guess ? `; did you mean "${guess}"?` : ''}\nRun \`tracelab --help\` for the commands.\n`);
  process.exit(2);
}

const [name, ...rest] = process.argv.slice(2);
if (name === '--version' || name === '-V') {
  console.log(`tracelab ${version}`);
  process.exit(0);
}
if (!name) {
  process.stderr.write(`tracelab: no command given; one of: ${cli.commandNames.join(', ')}\nRun \`tracelab --help\` for what each does.\n`);
  process.exit(2);
}
if (name === '--help' || name === '-h') {
  console.log(USAGE);
  process.exit(0);
}
if (name === 'help') {
  if (rest.length === 0) {
    console.log(USAGE);
    process.exit(0);
  }
  const command = find(rest[0]) ?? unknown(rest[0]);
  console.log(command.usage);
  process.exit(0);
}
const command = find(name) ?? unknown(name);
process.exitCode = await execute(command, rest, cli);
