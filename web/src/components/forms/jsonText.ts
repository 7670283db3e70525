/** What a JSON editor holds: parsed when the text is valid JSON of the expected shape, else why not. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

export type JsonShape = "array" | "object";

export function parseJsonText(text: string, shape: JsonShape): ParsedJson {
  if (text.trim() === "") return { ok: true, value: shape === "array" ? [] : {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, error: `not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
  const isArray = Array.isArray(value);
  const isObject = typeof value === "object" && value !== null && !isArray;
  if (shape === "array" && !isArray) return { ok: false, error: "must be a JSON array, e.g. []" };
  if (shape === "object" && !isObject) return { ok: false, error: "must be a JSON object, e.g. {}" };
  return { ok: true, value };
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
