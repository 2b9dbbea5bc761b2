/**
 * A request body of an XML media type, written from the value the planner made for its schema the way the
 * OpenAPI XML Object describes it (https://spec.openapis.org/oas/v3.1.0#xml-object):
 * - the root element is named by the schema's `xml.name`, else by the component the schema refers to, else
 *   `data` (an inline schema that names none: nothing says what the server expects, so Schemathesis's name is
 *   used and a valid case also accepts a 4xx: see request-builder.ts);
 * - an object's properties are child elements named by the property's own `xml.name`, else its name; with
 *   `xml.attribute` a scalar property is an attribute instead;
 * - an array repeats its items' element (named by the items' `xml.name`, else the property's name), inside a
 *   wrapper element named like the property when `xml.wrapped` is set;
 * - `xml.prefix` qualifies a name and `xml.namespace` declares it.
 * Before this a value was sent as JSON text with an XML content type, which a server that reads XML rightly
 * refuses: a false alarm on every valid request.
 */
import type { JsonSchema } from '../ir/types.ts';

/** Whether a media type is XML: `application/xml`, `text/xml` or `…+xml`. */
export function isXmlMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/xml' || base === 'text/xml' || base.endsWith('+xml');
}

interface XmlObject {
  name?: string;
  namespace?: string;
  prefix?: string;
  attribute?: boolean;
  wrapped?: boolean;
}

type Schemas = Readonly<Record<string, JsonSchema>>;
type SchemaObject = Record<string, unknown>;

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

function asObject(schema: unknown): SchemaObject | undefined {
  return schema !== null && typeof schema === 'object' && !Array.isArray(schema)
    ? (schema as SchemaObject)
    : undefined;
}

/** The schema with `$ref`s followed, and the name of the first component referred to. */
function resolve(
  schema: unknown,
  schemas: Schemas,
): { schema: SchemaObject | undefined; component?: string } {
  let current = asObject(schema);
  let component: string | undefined;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
    const match = COMPONENT_REF.exec(current.$ref);
    if (!match?.[1]) return { schema: undefined };
    const name = decodeURIComponent(match[1]).replace(/~1/g, '/').replace(/~0/g, '~');
    component ??= name;
    current = asObject(schemas[name]);
  }
  return component === undefined ? { schema: current } : { schema: current, component };
}

function xmlOf(schema: unknown): XmlObject | undefined {
  const xml = asObject(asObject(schema)?.xml);
  return xml as XmlObject | undefined;
}

/** The properties an object schema declares, `allOf` members' included. */
function propertiesOf(
  schema: SchemaObject | undefined,
  schemas: Schemas,
  depth = 0,
): Record<string, unknown> {
  if (!schema || depth > 16) return {};
  const own = asObject(schema.properties) ?? {};
  const inherited = Array.isArray(schema.allOf)
    ? schema.allOf.map((member) => propertiesOf(resolve(member, schemas).schema, schemas, depth + 1))
    : [];
  return Object.assign({}, ...inherited, own);
}

/** Characters XML 1.0 cannot carry at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function escapeText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function qualified(name: string, xml: XmlObject | undefined): string {
  return xml?.prefix ? `${xml.prefix}:${name}` : name;
}

function namespaceAttribute(xml: XmlObject | undefined): string {
  if (!xml?.namespace) return '';
  return ` ${xml.prefix ? `xmlns:${xml.prefix}` : 'xmlns'}="${escapeAttribute(xml.namespace)}"`;
}

/** One element named `name` (already qualified) holding `value` as `schema` describes it. */
function element(
  name: string,
  xml: XmlObject | undefined,
  value: unknown,
  schema: unknown,
  schemas: Schemas,
): string {
  const resolved = resolve(schema, schemas).schema;
  const open = `${name}${namespaceAttribute(xml)}`;
  if (value === null || value === undefined) return `<${open}/>`;
  if (Array.isArray(value)) {
    // A root (or nested) array: its items inside this element.
    return `<${open}>${items(name, value, resolved, schemas)}</${name}>`;
  }
  if (typeof value !== 'object') return `<${open}>${escapeText(scalarText(value))}</${name}>`;
  const properties = propertiesOf(resolved, schemas);
  let attributes = '';
  let children = '';
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const propertySchema = properties[key];
    const own = xmlOf(propertySchema);
    const childName = qualified(own?.name ?? key, own);
    if (own?.attribute && (child === null || typeof child !== 'object')) {
      attributes += ` ${childName}="${escapeAttribute(child === null ? '' : scalarText(child))}"`;
    } else if (Array.isArray(child)) {
      const list = items(own?.name ?? key, child, resolve(propertySchema, schemas).schema, schemas);
      children += own?.wrapped ? `<${childName}${namespaceAttribute(own)}>${list}</${childName}>` : list;
    } else {
      children += element(childName, own, child, propertySchema, schemas);
    }
  }
  return `<${open}${attributes}>${children}</${name}>`;
}

/** An array's items, each an element named by the items' `xml.name` (own, then referred to), else `fallback`. */
function items(
  fallback: string,
  values: unknown[],
  array: SchemaObject | undefined,
  schemas: Schemas,
): string {
  const itemSchema = array?.items;
  const xml = xmlOf(itemSchema) ?? xmlOf(resolve(itemSchema, schemas).schema);
  const name = qualified(xml?.name ?? fallback, xml);
  return values.map((value) => element(name, xml, value, itemSchema, schemas)).join('');
}

/** The root element's name as the spec gives it (`xml.name`, else the component), or `undefined`. */
export function xmlRootName(schema: JsonSchema | undefined, schemas: Schemas): string | undefined {
  const { schema: resolved, component } = resolve(schema, schemas);
  const xml = xmlOf(schema) ?? xmlOf(resolved);
  const name = xml?.name ?? component;
  return name === undefined ? undefined : qualified(name, xml);
}

/** The XML document for `value`, a value of `schema` (see the file comment). */
export function xmlBody(value: unknown, schema: JsonSchema | undefined, schemas: Schemas): string {
  const xml = xmlOf(schema) ?? xmlOf(resolve(schema, schemas).schema);
  const name = xmlRootName(schema, schemas) ?? 'data';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(name, xml, value, schema, schemas)}`;
}
