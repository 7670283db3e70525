import type { Edge, Node } from "@xyflow/react";
import { defaultsFor, isPlainObject, type JsonObject } from "../../components/schema-form/jsonSchema";
import type { NodeTypeInfo } from "./nodeTypes";

// The flow document as GET/PUT /api/agents/{id}/flow carry it (docs/flows.md), and its form on the canvas.
// Canvas ids are fixed for a node's life; the flow's own ids (docId) can be edited, and edges are written
// with them on save.

export interface FlowCondition {
  type?: string;
  expression?: string;
  keywords?: string[];
  intent?: string;
  prompt?: string;
  [other: string]: unknown;
}

export interface FlowNodeDocument {
  id: string;
  type: string;
  name?: string;
  position?: { x: number; y: number };
  config?: JsonObject;
}

export interface FlowEdgeDocument {
  id?: string;
  source: string;
  target: string;
  condition?: FlowCondition;
}

export interface FlowDocument {
  start_node_id?: string;
  global_prompt?: string;
  variables?: JsonObject;
  nodes: FlowNodeDocument[];
  edges: FlowEdgeDocument[];
  updated_at?: unknown;
}

export type FlowNodeData = {
  docId: string;
  nodeType: string;
  name: string;
  config: JsonObject;
  /** Filled in for display only: not part of the node's state. */
  typeTitle?: string;
  isStart?: boolean;
  errors?: string[];
};

export type FlowEdgeData = {
  docId: string;
  condition: FlowCondition;
  errors?: string[];
};

export type BuilderNode = Node<FlowNodeData, "flowNode">;
export type BuilderEdge = Edge<FlowEdgeData>;

export interface FlowSettings {
  /** Canvas id of the start node, or null when none is chosen. */
  startNodeId: string | null;
  globalPrompt: string;
  variables: JsonObject;
}

export interface BuilderState {
  nodes: BuilderNode[];
  edges: BuilderEdge[];
  settings: FlowSettings;
}

export function toBuilderState(flow: FlowDocument): BuilderState {
  const nodes: BuilderNode[] = flow.nodes.map((node, index) => ({
    id: node.id,
    type: "flowNode",
    position: node.position ?? { x: 0, y: index * 150 },
    data: { docId: node.id, nodeType: node.type, name: node.name ?? "", config: isPlainObject(node.config) ? node.config : {} },
  }));
  const edgeIds = new Set<string>();
  const edges: BuilderEdge[] = flow.edges.map((edge, index) => {
    const docId = edge.id ?? "";
    // Edges without an id (allowed by the API) still need one on the canvas.
    let canvasId = docId || `edge_${index + 1}`;
    while (edgeIds.has(canvasId)) canvasId = `${canvasId}_`;
    edgeIds.add(canvasId);
    return { id: canvasId, source: edge.source, target: edge.target, data: { docId, condition: edge.condition ?? { type: "always" } } };
  });
  const start = flow.start_node_id && nodes.some((node) => node.id === flow.start_node_id) ? flow.start_node_id : null;
  return {
    nodes,
    edges,
    settings: { startNodeId: start, globalPrompt: flow.global_prompt ?? "", variables: isPlainObject(flow.variables) ? flow.variables : {} },
  };
}

/** The PUT body: nodes and edges in canvas order, with their current positions and flow ids. */
export function toFlowDocument({ nodes, edges, settings }: BuilderState): FlowDocument {
  const docIdOf = new Map(nodes.map((node) => [node.id, node.data.docId]));
  const start = settings.startNodeId ? docIdOf.get(settings.startNodeId) : undefined;
  return {
    ...(start ? { start_node_id: start } : {}),
    global_prompt: settings.globalPrompt,
    variables: settings.variables,
    nodes: nodes.map((node) => ({
      id: node.data.docId,
      type: node.data.nodeType,
      ...(node.data.name.trim() ? { name: node.data.name.trim() } : {}),
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      config: node.data.config,
    })),
    edges: edges.map((edge) => ({
      ...(edge.data?.docId ? { id: edge.data.docId } : {}),
      source: docIdOf.get(edge.source) ?? edge.source,
      target: docIdOf.get(edge.target) ?? edge.target,
      condition: edge.data?.condition ?? { type: "always" },
    })),
  };
}

/** `<base>_<n>` with the smallest n not taken. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** A new node of a type at a place on the canvas, its config the schema's defaults. */
export function newNode(type: NodeTypeInfo, position: { x: number; y: number }, existing: BuilderNode[]): BuilderNode {
  const id = uniqueId(type.type, existing.flatMap((node) => [node.id, node.data.docId]));
  const defaults = defaultsFor(type.schema);
  return {
    id,
    type: "flowNode",
    position,
    selected: true,
    data: { docId: id, nodeType: type.type, name: "", config: isPlainObject(defaults) ? defaults : {} },
  };
}

export function newEdge(source: string, target: string, existing: BuilderEdge[], docIdOf: (canvasId: string) => string): BuilderEdge {
  const base = `${docIdOf(source)}_to_${docIdOf(target)}`;
  const taken = existing.flatMap((edge) => [edge.id, edge.data?.docId ?? ""]);
  const id = taken.includes(base) ? uniqueId(base, taken) : base;
  return { id, source, target, data: { docId: id, condition: { type: "always" } } };
}

/** Problems the server would refuse anyway, caught before sending: empty or repeated node ids. */
export function localProblems(nodes: BuilderNode[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    const id = node.data.docId.trim();
    if (!id) problems.push(`A ${node.data.nodeType} node has no id.`);
    else if (seen.has(id)) problems.push(`Two nodes have the id '${id}'; ids must be unique.`);
    seen.add(id);
  }
  return problems;
}

/** The short text on an edge: what its condition checks. */
export function conditionLabel(condition: FlowCondition | undefined): string {
  const type = condition?.type ?? "always";
  switch (type) {
    case "always":
      return "";
    case "equation":
      return condition?.expression || "equation (empty)";
    case "keyword":
      if (condition?.intent) return `intent: ${condition.intent}`;
      return condition?.keywords?.length ? `says: ${condition.keywords.join(", ")}` : "keyword (empty)";
    case "llm":
      return `LLM: ${truncate(condition?.prompt ?? "", 40)}`;
    default:
      return type;
  }
}

function truncate(text: string, length: number) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
