import { describe, expect, it } from "vitest";
import { mapFlowErrors } from "./flowErrors";

describe("mapFlowErrors", () => {
  // Canvas ids of the nodes and edges, in the order the PUT body listed them.
  const nodeKeys = ["greet", "ask", "lookup", "bye"];
  const edgeKeys = ["e_a", "e_b"];

  it("puts node errors on the node at that index, config fields in its form", () => {
    const mapped = mapFlowErrors(
      [
        { field: "/nodes/2/config/url", message: "node 'lookup' (function): url must be an http:// or https:// address" },
        { field: "/nodes/2/config/headers/X~1Key", message: "bad header" },
        { field: "/nodes/0/type", message: "unknown node type" },
      ],
      nodeKeys,
      edgeKeys,
    );
    expect(Object.keys(mapped.nodes).sort()).toEqual(["greet", "lookup"]);
    expect(mapped.nodes.lookup.messages).toHaveLength(2);
    expect(mapped.nodes.lookup.fields).toEqual([
      { pointer: "/url", message: "node 'lookup' (function): url must be an http:// or https:// address" },
      { pointer: "/headers/X~1Key", message: "bad header" },
    ]);
    expect(mapped.nodes.greet).toEqual({ messages: ["unknown node type"], fields: [] });
    expect(mapped.general).toEqual([]);
  });

  it("puts edge errors on the edge at that index, condition fields in its form", () => {
    const mapped = mapFlowErrors([{ field: "/edges/1/condition/expression", message: "edge ask -> bye: does not parse" }], nodeKeys, edgeKeys);
    expect(mapped.edges).toEqual({ e_b: { messages: ["edge ask -> bye: does not parse"], fields: [{ pointer: "/expression", message: "edge ask -> bye: does not parse" }] } });
    expect(mapped.nodes).toEqual({});
  });

  it("lists flow-level errors and indexes that name nothing as general", () => {
    const mapped = mapFlowErrors(
      [
        { field: "/start_node_id", message: "start_node_id is required once there are nodes" },
        { field: "/nodes/9/config/text", message: "no such node" },
        { field: "/edges/x", message: "not an index" },
      ],
      nodeKeys,
      edgeKeys,
    );
    expect(mapped.nodes).toEqual({});
    expect(mapped.edges).toEqual({});
    expect(mapped.general).toEqual([
      "/start_node_id: start_node_id is required once there are nodes",
      "/nodes/9/config/text: no such node",
      "/edges/x: not an index",
    ]);
  });
});
