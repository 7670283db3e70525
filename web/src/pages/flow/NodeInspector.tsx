import { SchemaForm } from "../../components/schema-form/SchemaForm";
import type { ElementErrors } from "./flowErrors";
import { conditionLabel, type BuilderEdge, type BuilderNode, type FlowNodeData } from "./flowModel";
import type { NodeTypeInfo } from "./nodeTypes";

interface NodeInspectorProps {
  node: BuilderNode;
  nodeType: NodeTypeInfo | undefined;
  isStart: boolean;
  idTaken: boolean;
  outgoing: BuilderEdge[];
  docIdOf: (canvasId: string) => string;
  errors: ElementErrors | undefined;
  onChange: (patch: Partial<FlowNodeData>) => void;
  onStartChange: (isStart: boolean) => void;
  onMoveEdge: (edgeId: string, direction: -1 | 1) => void;
  onSelectEdge: (edgeId: string) => void;
  onDelete: () => void;
}

/** The selected node: id, name, start marker, its config as a form from its type's schema, its edges' order. */
export function NodeInspector(props: NodeInspectorProps) {
  const { node, nodeType, isStart, idTaken, outgoing, errors, onChange } = props;
  const prefix = `node-${node.id}`;
  const idProblem = node.data.docId.trim() === "" ? "A node needs an id." : idTaken ? "Another node has this id." : null;
  return (
    <section className="flow-inspector" aria-label={`Node ${node.data.docId}`}>
      <h2>{nodeType?.title ?? node.data.nodeType} node</h2>
      {errors && errors.messages.length > 0 && (
        <ul className="error" role="alert" data-testid="node-errors">
          {errors.messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <label htmlFor={`${prefix}-id`}>Node id</label>
      <input
        id={`${prefix}-id`}
        value={node.data.docId}
        maxLength={100}
        aria-invalid={idProblem ? true : undefined}
        aria-describedby={`${prefix}-id-hint`}
        onChange={(event) => onChange({ docId: event.target.value.trim() })}
      />
      <span className={idProblem ? "field-error" : "hint"} id={`${prefix}-id-hint`}>
        {idProblem ?? "Edges and call records name the node by this id."}
      </span>
      <label htmlFor={`${prefix}-name`}>Name</label>
      <input id={`${prefix}-name`} value={node.data.name} maxLength={200} onChange={(event) => onChange({ name: event.target.value })} />
      <label className="flow-checkbox">
        <input type="checkbox" checked={isStart} onChange={(event) => props.onStartChange(event.target.checked)} /> Start node
      </label>
      <h3>Settings</h3>
      {nodeType ? (
        <SchemaForm
          schema={nodeType.schema}
          value={node.data.config}
          idPrefix={`${prefix}-config`}
          errors={errors?.fields}
          onChange={(config) => onChange({ config })}
        />
      ) : (
        <p className="error">
          The node type <code>{node.data.nodeType}</code> is not loaded in this voxd; its settings cannot be edited here.
        </p>
      )}
      <h3>Outgoing edges</h3>
      {outgoing.length === 0 ? (
        <p className="hint">None: drag from the bottom handle to another node to connect it.</p>
      ) : (
        <>
          <p className="hint">Tried in this order; the first that holds is followed.</p>
          <ol className="flow-edge-order">
            {outgoing.map((edge, index) => {
              const label = `${props.docIdOf(edge.target)}${conditionLabel(edge.data?.condition) ? ` (${conditionLabel(edge.data?.condition)})` : " (always)"}`;
              return (
                <li key={edge.id}>
                  <button type="button" className="link" onClick={() => props.onSelectEdge(edge.id)}>
                    → {label}
                  </button>
                  <button type="button" aria-label={`Move edge to ${label} up`} disabled={index === 0} onClick={() => props.onMoveEdge(edge.id, -1)}>
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move edge to ${label} down`}
                    disabled={index === outgoing.length - 1}
                    onClick={() => props.onMoveEdge(edge.id, 1)}
                  >
                    ↓
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
      <button type="button" className="danger flow-delete" onClick={props.onDelete}>
        Delete node
      </button>
    </section>
  );
}
