// Request validation for the /api routes: TypeBox's compiled checks (as the type provider's own
// TypeBoxValidatorCompiler, but without its lax string→number conversion, which would take limit=1.5 as 1),
// with every refusal turned into the project's error body. The nearest `x-error` above the failing value
// (`x-missing` for an absent one; src/shared/api-schemas.ts) gives the code and message; without one, a
// generic code for the part of the request. Bodies are checked exactly as received, never coerced or
// trimmed: the request hash of an idempotent request must be the hash of what the kiosk sent.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import type { SchemaRefusal } from '../../src/shared/api-schemas.ts';
import { ApiError } from '../payments/api-error.ts';

type Part = 'body' | 'querystring' | 'params' | 'headers';

const PART_CODES: Record<Part, string> = {
  body: 'invalid_request',
  querystring: 'invalid_query',
  params: 'invalid_params',
  headers: 'invalid_headers',
};

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The schema objects from the root down to the one a TypeBox schemaPath (`#/properties/a/anyOf/0`) names. */
function schemasAlong(root: TSchema, schemaPath: string): Node[] {
  const nodes: Node[] = [root as Node];
  let at: unknown = root;
  for (const segment of schemaPath.split('/').slice(1)) {
    at = isNode(at) || Array.isArray(at) ? (at as Record<string, unknown>)[unescapePointer(segment)] : undefined;
    if (isNode(at)) nodes.push(at);
  }
  return nodes;
}

/** `/lines/0/unitPrice` → `lines[0].unitPrice`, the way the error messages name fields. */
export function fieldLabel(instancePath: string): string {
  let label = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = unescapePointer(raw);
    label += /^\d+$/.test(segment) ? `[${segment}]` : label === '' ? segment : `.${segment}`;
  }
  return label;
}

function valueAt(value: unknown, instancePath: string): unknown {
  let at = value;
  for (const raw of instancePath.split('/').slice(1)) {
    at = isNode(at) || Array.isArray(at) ? (at as Record<string, unknown>)[unescapePointer(raw)] : undefined;
  }
  return at;
}

function refusalOf(node: Node, key: 'x-error' | 'x-missing'): SchemaRefusal | undefined {
  const r = node[key];
  return isNode(r) && typeof r.code === 'string' && typeof r.message === 'string' ? (r as unknown as SchemaRefusal) : undefined;
}

/** The first of TypeBox's errors, as the ApiError the kiosk gets. */
export function toApiError(schema: TSchema, part: Part, errors: TLocalizedValidationError[], value: unknown): ApiError {
  // `boolean` errors repeat, per unknown field, what the `additionalProperties` error says for all of them.
  const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!first) return new ApiError(400, PART_CODES[part], `The request ${part} is not valid.`);
  const nodes = schemasAlong(schema, first.schemaPath);
  let path = first.instancePath;
  let missing = false;
  if (first.keyword === 'required') {
    const name = first.params.requiredProperties[0];
    const properties = nodes.at(-1)?.properties;
    const property = isNode(properties) ? properties[name] : undefined;
    if (isNode(property)) nodes.push(property);
    path = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    missing = true;
  }
  // An empty header is no header.
  missing ||= part === 'headers' && valueAt(value, path) === '';
  let refusal: SchemaRefusal | undefined;
  for (let i = nodes.length - 1; i >= 0 && !refusal; i--) {
    refusal = (missing && refusalOf(nodes[i], 'x-missing')) || refusalOf(nodes[i], 'x-error');
  }
  const field = fieldLabel(path);
  let message: string;
  if (first.keyword === 'additionalProperties') {
    message = `${field === '' ? 'Unknown fields' : `${field} has unknown fields`}: ${first.params.additionalProperties.join(', ')}.`;
  } else if (refusal) {
    message = refusal.message.replace('{field}', field);
  } else {
    message = `${field === '' ? `The ${part}` : field} ${first.message}.`;
  }
  return new ApiError(400, refusal?.code ?? PART_CODES[part], message, field === '' ? undefined : { field });
}

/** Query strings, path parameters and headers arrive as text: a number field gets the number its text
 *  spells exactly (digits, optional sign and decimals); anything else is left for the check to refuse. */
function withNumbers(schema: TSchema, value: unknown): unknown {
  const properties = (schema as Node).properties;
  if (!isNode(value) || !isNode(properties)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, property] of Object.entries(properties)) {
    const raw = value[key];
    const numeric = isNode(property) && (property.type === 'integer' || property.type === 'number');
    if (numeric && typeof raw === 'string' && /^-?\d{1,15}(\.\d{1,15})?$/.test(raw)) {
      copy ??= { ...value };
      copy[key] = Number(raw);
    }
  }
  return copy ?? value;
}

export const schemaValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const part = (httpPart ?? 'body') as Part;
  const check = Compile(schema);
  return (value: unknown) => {
    const input = part === 'body' ? value : withNumbers(schema, value);
    if (check.Check(input)) return input === value ? true : { value: input };
    return { error: toApiError(schema, part, check.Errors(input), input) };
  };
};
