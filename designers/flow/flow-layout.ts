import dagre from "@dagrejs/dagre";
import { FLOW_START_ID, type FlowDef } from "@/spec/flow";
import type { Position } from "./flow-designer-store";

/** The size the canvas draws a node at (layout spaces nodes by it). */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 84;

/**
 * Auto-layout: dagre's layered layout, top to bottom from the start, edges in their order (so a
 * decision's outcomes keep their left-to-right order). Returns each node's top-left position.
 */
export function layoutFlow(flow: Pick<FlowDef, "elements" | "edges">): Map<string, Position> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 60, ranksep: 70 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of [FLOW_START_ID, ...flow.elements.map((element) => element.id)]) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of flow.edges) if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const positions = new Map<string, Position>();
  for (const id of graph.nodes()) {
    const node = graph.node(id);
    // dagre places centres; the canvas positions top-left corners (whole pixels keep the JSON tidy).
    positions.set(id, { x: Math.round(node.x - NODE_WIDTH / 2), y: Math.round(node.y - NODE_HEIGHT / 2) });
  }
  return positions;
}
