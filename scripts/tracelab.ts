#!/usr/bin/env node
// `tracelab <command>`: a thin dispatcher. Each command lives in its own file; the work
// lives in the pipeline stage it belongs to (infra/, charts/, ...).
import { execute, type Command } from './command.ts';
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

const USAGE = `Usage: tracelab <command> [options]

What does Langfuse tracing cost your request latency, per export topology?

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run \`tracelab <command> --help\` for a command's options.`;

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(USAGE);
  process.exit(name ? 0 : 2);
}
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  console.error(`tracelab: unknown command "${name}"\n\n${USAGE}`);
  process.exit(2);
}
process.exitCode = await execute(command, rest);
