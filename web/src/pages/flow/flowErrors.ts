import type { FieldError } from "../../api/problem";
import type { FieldMessage } from "../../components/schema-form/SchemaForm";

/** The errors of one node or edge: messages to show on it, and those that belong to a field of its form. */
export interface ElementErrors {
  messages: string[];
  /** For nodes: pointers inside `config`; for edges: inside `condition`. */
  fields: FieldMessage[];
}

export interface MappedFlowErrors {
  nodes: Record<string, ElementErrors>;
  edges: Record<string, ElementErrors>;
  /** Errors about the flow as a whole (start_node_id, variables) or that name no node or edge. */
  general: string[];
}

export const noErrors: MappedFlowErrors = { nodes: {}, edges: {}, general: [] };

function unescape(segment: string) {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Places a 422's field errors: `/nodes/3/config/url` on the 4th node of the body that was sent (by its canvas
 * id in `nodeKeys`), `/edges/1/condition/expression` on the 2nd edge, anything else in `general`.
 */
export function mapFlowErrors(errors: FieldError[], nodeKeys: string[], edgeKeys: string[]): MappedFlowErrors {
  const result: MappedFlowErrors = { nodes: {}, edges: {}, general: [] };
  for (const error of errors) {
    const segments = error.field.split("/").slice(1).map(unescape);
    const [collection, indexText, member, ...rest] = segments;
    const index = Number(indexText);
    const keys = collection === "nodes" ? nodeKeys : collection === "edges" ? edgeKeys : null;
    const key = keys && indexText !== undefined && Number.isInteger(index) ? keys[index] : undefined;
    if (!keys || key === undefined) {
      result.general.push(error.field ? `${error.field}: ${error.message}` : error.message);
      continue;
    }
    const target = collection === "nodes" ? result.nodes : result.edges;
    const entry = (target[key] ??= { messages: [], fields: [] });
    entry.messages.push(error.message);
    const formMember = collection === "nodes" ? "config" : "condition";
    if (member === formMember) {
      entry.fields.push({ pointer: rest.map((part) => `/${part.replace(/~/g, "~0").replace(/\//g, "~1")}`).join(""), message: error.message });
    }
  }
  return result;
}
