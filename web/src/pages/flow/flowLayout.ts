import dagre from "@dagrejs/dagre";
import type { BuilderEdge, BuilderNode } from "./flowModel";

const defaultWidth = 220;
const defaultHeight = 80;

/** Top-to-bottom layout with dagre; nodes keep their size (measured on the canvas when known). */
export function layoutTopToBottom(nodes: BuilderNode[], edges: BuilderEdge[]): BuilderNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 60, ranksep: 80 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, { width: node.measured?.width ?? defaultWidth, height: node.measured?.height ?? defaultHeight });
  }
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    // dagre gives centres; the canvas positions nodes by their top-left corner.
    const width = node.measured?.width ?? defaultWidth;
    const height = node.measured?.height ?? defaultHeight;
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
  });
}
