import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { api, ApiError, unwrap } from "../../api/client";
import type { Flow } from "../../api/types";
import { Link } from "react-router-dom";
import { ErrorMessage, PageHeader } from "../../components/Status";
import { EdgeInspector } from "./EdgeInspector";
import { FlowNodeCard } from "./FlowNodeCard";
import { FlowSettingsPanel } from "./FlowSettingsPanel";
import { NodeInspector } from "./NodeInspector";
import { Palette, nodeTypeMime } from "./Palette";
import { mapFlowErrors, noErrors, type MappedFlowErrors } from "./flowErrors";
import { layoutTopToBottom } from "./flowLayout";
import {
  conditionLabel,
  localProblems,
  newEdge,
  newNode,
  toFlowDocument,
  type BuilderEdge,
  type BuilderNode,
  type BuilderState,
  type FlowDocument,
  type FlowEdgeData,
  type FlowNodeData,
  type FlowSettings,
} from "./flowModel";
import type { NodeTypeInfo } from "./nodeTypes";
import { useUnsavedChangesGuard } from "./useUnsavedChangesGuard";

const canvasNodeTypes = { flowNode: FlowNodeCard };
const fitOptions = { padding: 0.2, maxZoom: 1.2, duration: 200 };

interface FlowEditorProps {
  agentId: string;
  initial: BuilderState;
  nodeTypes: NodeTypeInfo[];
  onSaved: (flow: FlowDocument) => void;
  title: string;
}

type SaveStatus = { state: "idle" } | { state: "saving" } | { state: "saved" } | { state: "failed"; error: unknown };

/** The canvas, the palette and the side panel over one flow, and saving it. Needs a ReactFlowProvider. */
export function FlowEditor({ agentId, initial, nodeTypes, onSaved, title }: FlowEditorProps) {
  const [nodes, setNodes] = useState<BuilderNode[]>(initial.nodes);
  const [edges, setEdges] = useState<BuilderEdge[]>(initial.edges);
  const [settings, setSettings] = useState<FlowSettings>(initial.settings);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<MappedFlowErrors>(noErrors);
  const [localErrors, setLocalErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<SaveStatus>({ state: "idle" });
  const canvasRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition, fitView, setCenter, getZoom } = useReactFlow<BuilderNode, BuilderEdge>();
  const panelRef = useRef<HTMLDivElement>(null);
  useUnsavedChangesGuard(dirty);

  const changed = useCallback(() => {
    setDirty(true);
    setStatus((current) => (current.state === "saved" ? { state: "idle" } : current));
  }, []);

  const typeByName = useMemo(() => new Map(nodeTypes.map((type) => [type.type, type])), [nodeTypes]);
  const docIdOf = useCallback((canvasId: string) => nodes.find((node) => node.id === canvasId)?.data.docId ?? canvasId, [nodes]);

  // What the canvas shows: the state plus the start marker, type titles and errors.
  const shownNodes = useMemo(
    () =>
      nodes.map((node) => ({
        ...node,
        data: {
          ...node.data,
          typeTitle: typeByName.get(node.data.nodeType)?.title,
          isStart: node.id === settings.startNodeId,
          errors: errors.nodes[node.id]?.messages,
        },
      })),
    [nodes, typeByName, settings.startNodeId, errors.nodes],
  );
  const shownEdges = useMemo(
    () =>
      edges.map((edge) => {
        const invalid = (errors.edges[edge.id]?.messages.length ?? 0) > 0;
        const label = conditionLabel(edge.data?.condition);
        return {
          ...edge,
          label: invalid ? `⚠ ${label || "invalid"}` : label || undefined,
          ariaLabel: `Edge ${docIdOf(edge.source)} to ${docIdOf(edge.target)}${label ? `: ${label}` : ""}`,
          className: invalid ? "invalid" : undefined,
          markerEnd: { type: MarkerType.ArrowClosed, color: invalid ? "#c62828" : "#8a94a6" },
          style: invalid ? { stroke: "#c62828", strokeWidth: 2 } : undefined,
          labelStyle: invalid ? { fill: "#c62828", fontWeight: 600 } : undefined,
          labelBgStyle: invalid ? { fill: "#fdecea" } : undefined,
        };
      }),
    [edges, errors.edges, docIdOf],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<BuilderNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const removed = new Set(changes.flatMap((change) => (change.type === "remove" ? [change.id] : [])));
      if (removed.size > 0) setSettings((current) => (current.startNodeId && removed.has(current.startNodeId) ? { ...current, startNodeId: null } : current));
      if (changes.some((change) => change.type === "remove" || change.type === "add" || (change.type === "position" && change.dragging === false))) changed();
    },
    [changed],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<BuilderEdge>[]) => {
      setEdges((current) => applyEdgeChanges(changes, current));
      if (changes.some((change) => change.type === "remove" || change.type === "add")) changed();
    },
    [changed],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      setEdges((current) => [...current.map((edge) => ({ ...edge, selected: false })), newEdge(connection.source, connection.target, current, docIdOf)]);
      changed();
    },
    [changed, docIdOf],
  );

  function addNode(type: NodeTypeInfo, position: { x: number; y: number }) {
    const node = newNode(type, position, nodes);
    setNodes((current) => [...current.map((other) => ({ ...other, selected: false })), node]);
    setEdges((current) => current.map((edge) => ({ ...edge, selected: false })));
    // The first node of an empty flow is where calls start.
    if (!settings.startNodeId && nodes.length === 0) setSettings((current) => ({ ...current, startNodeId: node.id }));
    changed();
  }

  function addInView(type: NodeTypeInfo) {
    const box = canvasRef.current?.getBoundingClientRect();
    const centre = box ? { x: box.left + box.width / 2, y: box.top + box.height / 3 } : { x: 0, y: 0 };
    const position = screenToFlowPosition(centre);
    const place = { x: Math.round(position.x - 110), y: Math.round(position.y) };
    // Step down past the nodes already there, so that the new one does not hide them.
    const occupied = (y: number) => nodes.some((node) => Math.abs(node.position.x - place.x) < 220 && Math.abs(node.position.y - y) < 90);
    while (occupied(place.y)) place.y += 110;
    addNode(type, place);
    void setCenter(place.x + 110, place.y + 40, { zoom: getZoom(), duration: 200 });
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    const type = typeByName.get(event.dataTransfer.getData(nodeTypeMime));
    if (!type) return;
    const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addNode(type, { x: Math.round(position.x - 110), y: Math.round(position.y - 20) });
  }

  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes(nodeTypeMime)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }

  function updateNode(id: string, patch: Partial<FlowNodeData>) {
    setNodes((current) => current.map((node) => (node.id === id ? { ...node, data: { ...node.data, ...patch } } : node)));
    changed();
  }

  function updateEdge(id: string, patch: Partial<FlowEdgeData>) {
    setEdges((current) => current.map((edge) => (edge.id === id && edge.data ? { ...edge, data: { ...edge.data, ...patch } } : edge)));
    changed();
  }

  function deleteNode(id: string) {
    setNodes((current) => current.filter((node) => node.id !== id));
    setEdges((current) => current.filter((edge) => edge.source !== id && edge.target !== id));
    if (settings.startNodeId === id) setSettings((current) => ({ ...current, startNodeId: null }));
    changed();
  }

  function deleteEdge(id: string) {
    setEdges((current) => current.filter((edge) => edge.id !== id));
    changed();
  }

  /** Swaps an edge with its neighbour among the same node's outgoing edges: the order they are tried in. */
  function moveEdge(id: string, direction: -1 | 1) {
    setEdges((current) => {
      const edge = current.find((candidate) => candidate.id === id);
      if (!edge) return current;
      const siblings = current.flatMap((candidate, index) => (candidate.source === edge.source ? [index] : []));
      const at = siblings.indexOf(current.indexOf(edge));
      const other = siblings[at + direction];
      if (other === undefined) return current;
      const next = [...current];
      [next[siblings[at]], next[other]] = [next[other], next[siblings[at]]];
      return next;
    });
    changed();
  }

  function selectEdge(id: string) {
    setNodes((current) => current.map((node) => ({ ...node, selected: false })));
    setEdges((current) => current.map((edge) => ({ ...edge, selected: edge.id === id })));
  }

  function autoLayout() {
    setNodes((current) => layoutTopToBottom(current, edges));
    changed();
    // Fit once the canvas has the new positions.
    window.setTimeout(() => void fitView(fitOptions), 50);
  }

  async function save() {
    const problems = localProblems(nodes);
    setLocalErrors(problems);
    if (problems.length > 0) return;
    const body = toFlowDocument({ nodes, edges, settings });
    const nodeKeys = nodes.map((node) => node.id);
    const edgeKeys = edges.map((edge) => edge.id);
    setStatus({ state: "saving" });
    try {
      const saved = await unwrap(
        api.PUT("/api/agents/{agent_id}/flow", { params: { path: { agent_id: agentId } }, body: body as unknown as Flow }),
      );
      setErrors(noErrors);
      setDirty(false);
      setStatus({ state: "saved" });
      onSaved(saved as unknown as FlowDocument);
    } catch (error) {
      setErrors(error instanceof ApiError && error.status === 422 ? mapFlowErrors(error.fieldErrors, nodeKeys, edgeKeys) : noErrors);
      setStatus({ state: "failed", error });
    }
  }

  // Ctrl+S / Cmd+S saves, as in an editor.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void saveRef.current();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const selectedNodes = nodes.filter((node) => node.selected);
  const selectedNode = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const selectedEdge = selectedNode ? undefined : edges.find((edge) => edge.selected);
  const selectedKey = selectedNode ? `node:${selectedNode.id}` : selectedEdge ? `edge:${selectedEdge.id}` : "flow";

  // Another selection starts at the top of the side panel, where its errors are.
  useEffect(() => {
    panelRef.current?.scrollTo?.({ top: 0 });
  }, [selectedKey]);
  const invalidNodes = Object.keys(errors.nodes).length;
  const invalidEdges = Object.keys(errors.edges).length;

  return (
    <>
      <PageHeader
        title={title}
        actions={
          <>
            <Link className="button" to={`/agents/${agentId}`}>
              Agent settings
            </Link>
          <span className="flow-status" data-testid="flow-status" role="status" aria-live="polite">
            {status.state === "saving" ? "Saving…" : status.state === "saved" ? "Saved" : dirty ? "Unsaved changes" : ""}
          </span>
          <button type="button" onClick={autoLayout} data-testid="flow-auto-layout" disabled={nodes.length === 0}>
            Auto-layout
          </button>
          <button type="button" onClick={() => void fitView(fitOptions)}>
            Fit view
          </button>
          <button type="button" className="primary" onClick={() => void save()} disabled={status.state === "saving"} data-testid="flow-save">
            Save{dirty ? " *" : ""}
          </button>
          </>
        }
      />
      {localErrors.length > 0 && (
        <div className="error" role="alert">
          Not saved:
          <ul>
            {localErrors.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {status.state === "failed" && (
        <div data-testid="flow-save-errors">
          {status.error instanceof ApiError && status.error.status === 422 ? (
            <div className="error" role="alert">
              <strong>Not saved: </strong>
              {status.error.message}
              {(invalidNodes > 0 || invalidEdges > 0) && (
                <span>
                  {" "}
                  ({invalidNodes} node{invalidNodes === 1 ? "" : "s"} and {invalidEdges} edge{invalidEdges === 1 ? "" : "s"} marked in red: select
                  one to see why.)
                </span>
              )}
              {errors.general.length > 0 && (
                <ul>
                  {errors.general.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <ErrorMessage error={status.error} title="Not saved" />
          )}
        </div>
      )}
      <div className="flow-builder">
        <Palette nodeTypes={nodeTypes} onAdd={addInView} />
        <div className="flow-canvas" ref={canvasRef} data-testid="flow-canvas" onDrop={onDrop} onDragOver={onDragOver}>
          <ReactFlow<BuilderNode, BuilderEdge>
            nodes={shownNodes}
            edges={shownEdges}
            nodeTypes={canvasNodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            deleteKeyCode={["Delete", "Backspace"]}
            // An empty flow starts at 100 %: fitting the view to the first node dropped would zoom right in.
            fitView={initial.nodes.length > 0}
            fitViewOptions={fitOptions}
            defaultViewport={{ x: 40, y: 40, zoom: 1 }}
            minZoom={0.2}
            aria-label="Flow canvas"
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable ariaLabel="Flow overview" style={{ width: 140, height: 100 }} />
          </ReactFlow>
          {nodes.length === 0 && (
            <p className="flow-canvas-empty">This flow has no nodes yet. Drag a node type here, or use its Add button.</p>
          )}
        </div>
        <div className="flow-side-panel" data-testid="flow-side-panel" ref={panelRef}>
          {selectedNode ? (
            <NodeInspector
              key={selectedNode.id}
              node={selectedNode}
              nodeType={typeByName.get(selectedNode.data.nodeType)}
              isStart={selectedNode.id === settings.startNodeId}
              idTaken={nodes.some((node) => node.id !== selectedNode.id && node.data.docId === selectedNode.data.docId)}
              outgoing={edges.filter((edge) => edge.source === selectedNode.id)}
              docIdOf={docIdOf}
              errors={errors.nodes[selectedNode.id]}
              onChange={(patch) => updateNode(selectedNode.id, patch)}
              onStartChange={(isStart) => {
                setSettings((current) => ({ ...current, startNodeId: isStart ? selectedNode.id : current.startNodeId === selectedNode.id ? null : current.startNodeId }));
                changed();
              }}
              onMoveEdge={moveEdge}
              onSelectEdge={selectEdge}
              onDelete={() => deleteNode(selectedNode.id)}
            />
          ) : selectedEdge ? (
            <EdgeInspector
              key={selectedEdge.id}
              edge={selectedEdge}
              sourceId={docIdOf(selectedEdge.source)}
              targetId={docIdOf(selectedEdge.target)}
              errors={errors.edges[selectedEdge.id]}
              onChange={(patch) => updateEdge(selectedEdge.id, patch)}
              onDelete={() => deleteEdge(selectedEdge.id)}
            />
          ) : (
            <FlowSettingsPanel
              settings={settings}
              onChange={(patch) => {
                setSettings((current) => ({ ...current, ...patch }));
                changed();
              }}
            />
          )}
        </div>
      </div>
    </>
  );
}
