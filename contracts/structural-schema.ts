// JSON Schema (as zod writes it for OpenAPI 3.0) → a structural schema the Kubernetes API
// server accepts for a CRD: every node typed, no $ref, no additionalProperties: false (unknown
// fields are pruned, or rejected by fieldValidation=Strict), and no anyOf/oneOf carrying types.
// Discriminated unions (datastores: in-cluster | external) become one object whose fields
// are the union of the variants', with CEL rules (x-kubernetes-validations) saying which
// field belongs to which mode.
type Json = Record<string, unknown>;

export interface StructuralOptions {
  /**
   * Whether the default at this path must not reach the CRD: the API server would write it
   * into every object, where it would then override a profile's value (profiles layer under
   * the user's spec, and the server cannot tell the two apart).
   */
  readonly dropDefault: (path: readonly string[]) => boolean;
}

/** The formats the API server knows (k8s.io/kube-openapi/pkg/validation/strfmt). */
const FORMATS = new Set(['uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'byte', 'date', 'date-time', 'datetime', 'duration', 'password']);

export function structuralSchema(node: Json, options: StructuralOptions, path: readonly string[] = []): Json {
  const alternatives = (node.oneOf ?? node.anyOf) as Json[] | undefined;
  if (alternatives) return union(node, alternatives, options, path);
  const out: Json = { type: node.type };
  if (typeof node.description === 'string') out.description = node.description;
  if ('default' in node && !options.dropDefault(path)) out.default = node.default;
  switch (node.type) {
    case 'object': {
      const properties = node.properties as Record<string, Json> | undefined;
      if (properties) {
        out.properties = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, structuralSchema(child, options, [...path, key])]));
      }
      if (Array.isArray(node.required) && node.required.length) out.required = node.required;
      const extra = node.additionalProperties;
      if (extra && typeof extra === 'object') out.additionalProperties = structuralSchema(extra as Json, options, [...path, '*']);
      if (!properties && !(extra && typeof extra === 'object')) throw new Error(`${where(path)}: an object without properties is not structural`);
      return out;
    }
    case 'array':
      out.items = structuralSchema(node.items as Json, options, [...path, '[]']);
      copy(node, out, ['minItems', 'maxItems']);
      return out;
    case 'string':
      copy(node, out, ['minLength', 'maxLength', 'enum']);
      if (typeof node.pattern === 'string' && re2Compatible(node.pattern)) out.pattern = node.pattern;
      if (typeof node.format === 'string' && FORMATS.has(node.format)) out.format = node.format;
      return out;
    case 'integer':
    case 'number':
      copy(node, out, ['enum', 'exclusiveMinimum', 'exclusiveMaximum']);
      // z.int() carries the safe-integer range; the API server's int64 needs no such bound.
      if (typeof node.minimum === 'number' && node.minimum > Number.MIN_SAFE_INTEGER) out.minimum = node.minimum;
      if (typeof node.maximum === 'number' && node.maximum < Number.MAX_SAFE_INTEGER) out.maximum = node.maximum;
      return out;
    case 'boolean':
      return out;
    default:
      throw new Error(`${where(path)}: type ${JSON.stringify(node.type)} has no structural form; give the zod field a concrete type`);
  }
}

function union(node: Json, alternatives: Json[], options: StructuralOptions, path: readonly string[]): Json {
  // z.union of literals, e.g. version 3 | 4 → one enum.
  if (alternatives.every((a) => Array.isArray(a.enum) && a.type === alternatives[0].type)) {
    const values = alternatives.flatMap((a) => a.enum as unknown[]);
    const type = alternatives[0].type === 'number' && values.every(Number.isInteger) ? 'integer' : alternatives[0].type;
    const out: Json = { type, enum: values };
    if (typeof node.description === 'string') out.description = node.description;
    if ('default' in node && !options.dropDefault(path)) out.default = node.default;
    return out;
  }
  const discriminator = 'mode';
  const variants = alternatives.map((a) => {
    const properties = a.properties as Record<string, Json> | undefined;
    const mode = (properties?.[discriminator]?.enum as string[] | undefined)?.[0];
    if (a.type !== 'object' || !properties || !mode)
      throw new Error(`${where(path)}: only unions of literals or of objects told apart by "${discriminator}" are supported`);
    return { mode, properties, required: new Set((a.required as string[] | undefined) ?? []) };
  });
  // Variant defaults would be written into the other variant too: none reach the CRD.
  const noDefaults: StructuralOptions = { dropDefault: () => true };
  // Without a mode the profile decides it (eks makes ClickHouse external, kind in-cluster),
  // which a rule on this object cannot see: such objects are left to the reconciler's zod check.
  const mode = `self.${discriminator}`;
  const given = `!has(self.${discriminator})`;
  const keys = [...new Set(variants.flatMap((v) => Object.keys(v.properties)))].filter((k) => k !== discriminator);

  const properties: Record<string, Json> = {
    [discriminator]: { type: 'string', enum: variants.map((v) => v.mode), description: "the profile's choice when omitted (eks: managed ClickHouse and S3)" },
  };
  const rules: Json[] = [];
  const list = (modes: string[]) => `[${modes.map((m) => `'${m}'`).join(', ')}]`;
  for (const key of keys) {
    const owners = variants.filter((v) => key in v.properties);
    const shapes = owners.map((v) => structuralSchema(v.properties[key], noDefaults, [...path, key]));
    const same = shapes.every((s) => JSON.stringify(s) === JSON.stringify(shapes[0]));
    if (!same && shapes.some((s) => s.type !== shapes[0].type)) throw new Error(`${where([...path, key])}: variants disagree on its type`);
    // Where variants constrain a shared field differently, the CRD keeps what they share;
    // the reconciler's zod validation applies each variant's own rule.
    properties[key] = same ? shapes[0] : { type: shapes[0].type, ...(shapes[0].description ? { description: shapes[0].description } : {}) };
    if (owners.length < variants.length) {
      const modes = owners.map((v) => v.mode);
      rules.push({
        rule: `!has(self.${key}) || ${given} || ${mode} in ${list(modes)}`,
        message: `${key} is only allowed with mode: ${modes.join(' or ')}`,
        fieldPath: `.${key}`,
      });
    }
    for (const v of owners.filter((o) => o.required.has(key))) {
      rules.push({
        rule: `${given} || ${mode} != '${v.mode}' || has(self.${key})`,
        message: `${key} is required when mode is ${v.mode}`,
        fieldPath: `.${key}`,
        reason: 'FieldValueRequired',
      });
    }
  }
  const out: Json = { type: 'object', properties, 'x-kubernetes-validations': rules };
  if (typeof node.description === 'string') out.description = node.description;
  return out;
}

/** Go's RE2 has no lookaround and no backreferences; such a pattern stays with zod alone. */
function re2Compatible(pattern: string): boolean {
  return !/\(\?<?[=!]|\\[1-9]/.test(pattern);
}

function copy(from: Json, to: Json, keys: readonly string[]): void {
  for (const key of keys) if (key in from) to[key] = from[key];
}

const where = (path: readonly string[]) => `spec schema at ${path.join('.') || '(root)'}`;
