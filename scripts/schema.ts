import { specJsonSchema } from '../contracts/spec/json-schema.ts';
import { parseFlags, type Command } from './command.ts';

export const schema: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of tracelab.yaml (for editor completion)',
  usage: `Usage: tracelab schema

Prints the JSON Schema of the TraceLab spec, generated from the same zod schema that
validates it. Point your editor's YAML language server at it, e.g. with a first line
  # yaml-language-server: $schema=./tracelab.schema.json

Options:
  -h, --help   show this help`,
  async run(argv) {
    const { values } = parseFlags(argv, {});
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
