import type { DragEvent } from "react";
import type { NodeTypeInfo } from "./nodeTypes";

/** The drag-and-drop payload: a node type's name. */
export const nodeTypeMime = "application/vox-flow-node-type";

interface PaletteProps {
  nodeTypes: NodeTypeInfo[];
  onAdd: (type: NodeTypeInfo) => void;
}

/** Every loaded node type: drag one onto the canvas, or press its Add button to place it in view. */
export function Palette({ nodeTypes, onAdd }: PaletteProps) {
  function startDrag(event: DragEvent, type: NodeTypeInfo) {
    event.dataTransfer.setData(nodeTypeMime, type.type);
    event.dataTransfer.setData("text/plain", type.type);
    event.dataTransfer.effectAllowed = "copy";
  }

  return (
    <aside className="flow-palette" data-testid="flow-palette" aria-label="Node types">
      <h2>Node types</h2>
      {nodeTypes.length === 0 && <p className="muted">No node types are loaded (no flow_node provider).</p>}
      <ul>
        {nodeTypes.map((type) => (
          <li
            key={type.type}
            draggable
            onDragStart={(event) => startDrag(event, type)}
            data-testid={`palette-item-${type.type}`}
            title="Drag onto the canvas"
          >
            <div className="flow-palette-title">
              <strong>{type.title}</strong>
              <button type="button" className="flow-palette-add" aria-label={`Add ${type.title} node`} onClick={() => onAdd(type)}>
                Add
              </button>
            </div>
            {type.description && <p className="hint">{type.description}</p>}
          </li>
        ))}
      </ul>
    </aside>
  );
}
