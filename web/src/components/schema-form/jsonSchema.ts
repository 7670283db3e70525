// The part of JSON Schema (draft 2020-12) that node types use to describe their config, and how the form
// renders each kind of field. Anything outside it is edited as raw JSON rather than guessed at.

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export type FieldKind =
  | "string"
  | "text"
  | "number"
  | "integer"
  | "boolean"
  | "enum"
  | "object"
  | "map"
  | "string-array"
  | "object-array"
  | "json";

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asSchema(value: unknown): JsonSchema | null {
  return isPlainObject(value) ? (value as JsonSchema) : null;
}

/**
 * The property names a oneOf/anyOf asks for when its branches only say "one of these is required"
 * (e.g. conversation: text or prompt). Null when the alternatives are anything more than that.
 */
export function requiredAlternatives(schema: JsonSchema): string[][] | null {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches) return [];
  const onlyRequired = branches.every(
    (branch) => Object.keys(branch).every((key) => key === "required") && Array.isArray(branch.required),
  );
  return onlyRequired ? branches.map((branch) => branch.required ?? []) : null;
}

function singleType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.length === 1 ? schema.type[0] : "mixed";
  if (schema.type) return schema.type;
  if (schema.properties) return "object";
  if (schema.items) return "array";
  return undefined;
}

/** How a field is edited. */
export function fieldKind(schema: JsonSchema, currentValue?: unknown): FieldKind {
  if (schema.allOf || requiredAlternatives(schema) === null) return "json";
  if (schema.enum && schema.enum.length > 0) return "enum";
  switch (singleType(schema)) {
    case "string":
      return isLongText(schema, currentValue) ? "text" : "string";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "object":
      if (schema.properties) return "object";
      if (isPlainObject(schema.additionalProperties) && singleType(schema.additionalProperties) === "string") {
        return "map";
      }
      return "json";
    case "array": {
      const items = asSchema(schema.items);
      if (!items || items.oneOf || items.anyOf) return "json";
      if (singleType(items) === "string" && !items.enum) return "string-array";
      if (singleType(items) === "object" && items.properties) return "object-array";
      return "json";
    }
    default:
      return "json";
  }
}

// Sentences, prompts and bodies get a textarea; identifiers, URLs and short values a single line.
function isLongText(schema: JsonSchema, currentValue: unknown): boolean {
  if (typeof currentValue === "string" && currentValue.includes("\n")) return true;
  if (schema.pattern || schema.format) return false;
  return (schema.maxLength ?? Number.POSITIVE_INFINITY) > 300;
}

/** A value built from the schema's defaults: what a new node's config (or a new list item) starts as. */
export function defaultsFor(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (singleType(schema) !== "object" || !schema.properties) return undefined;
  const value: JsonObject = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties)) {
    // Optional nested objects stay out until someone switches them on; required ones are filled in.
    const isObject = singleType(property) === "object" && property.default === undefined;
    if (isObject && !required.has(name)) continue;
    const propertyDefault = defaultsFor(property);
    if (propertyDefault !== undefined) value[name] = propertyDefault;
  }
  return value;
}

/** The label of a property: its title, or its name made readable. */
export function labelFor(name: string, schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The text shown for an enum value in a select. */
export function enumLabel(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One item of a list, for Add buttons: "Variables" -> "variable", "Choices" -> "choice". */
export function itemLabel(label: string): string {
  const lower = label.toLowerCase();
  if (lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  if (lower.endsWith("s")) return lower.slice(0, -1);
  return lower;
}
