"use client";
import {
  Background, Controls, Handle, MarkerType, MiniMap, Position as Side, ReactFlow, useReactFlow,
  type Connection, type Edge, type EdgeChange, type Node, type NodeChange, type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { AlertTriangle, Play } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { cn } from "@/components/ui";
import { elementHandles } from "@/server/automation/flow-check";
import { FLOW_START_ID, type FlowDef, type FlowElement, type FlowElementType } from "@/spec/flow";
import { edgeKey, type FlowClip, type FlowDesignerStore, type Position } from "./flow-designer-store";
import { ELEMENT_TYPE_INFO, ELEMENT_TYPES, elementSummary, handleLabel, startSummary } from "./flow-elements";
import { issuesOn, type PlacedFlowIssue } from "./flow-issues";
import { NODE_HEIGHT, NODE_WIDTH } from "./flow-layout";

/** The drag payload's type: the palette sets it, the canvas reads it on drop. */
export const PALETTE_MIME = "application/x-objectstudio-flow-element";

type NodeData = {
  kind: "start" | FlowElementType;
  label: string;
  summary: string;
  handles: { id: string; label: string }[];
  problems: string[];
  /** The debugger's marks (absent: no breakpoints and no run shown). */
  debug?: NodeDebug;
};
type FlowNode = Node<NodeData>;

/** How the debugger marks a node: its breakpoint, whether the run is there, went through it, or not. */
export type NodeDebug = {
  breakpoint: "none" | "plain" | "conditional";
  current: boolean;
  /** What the current element's marker says ("paused here", "step #4"). */
  currentLabel: string;
  visited: boolean;
  dimmed: boolean;
  /** Sets or clears the node's breakpoint (absent on the start, which has none). */
  onToggleBreakpoint?: () => void;
};

/**
 * What the debugger shows on the canvas: breakpoints (element id -> condition), the element the
 * run is at, and the path it took (null: no run shown, nothing is dimmed).
 */
export type CanvasDebug = {
  breakpoints: ReadonlyMap<string, string | null>;
  current: string | null;
  currentLabel: string;
  path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  onToggleBreakpoint: (element: string) => void;
};

/** The breakpoint gutter: a dot at the node's left edge (VS Code's), red when set. */
function BreakpointDot({ label, debug }: { label: string; debug: NodeDebug }) {
  if (!debug.onToggleBreakpoint) return null;
  const set = debug.breakpoint !== "none";
  return (
    <button type="button" aria-label={`Breakpoint on ${label}`} aria-pressed={set} data-testid="breakpoint-dot"
      title={set ? (debug.breakpoint === "conditional" ? "Conditional breakpoint (click to remove)" : "Breakpoint (click to remove)") : "Set a breakpoint (F9)"}
      onClick={(event) => { event.stopPropagation(); debug.onToggleBreakpoint!(); }}
      onMouseDown={(event) => event.stopPropagation()}
      className={cn(
        "nodrag nopan absolute -left-[9px] top-3 flex h-4 w-4 items-center justify-center rounded-full border-2 border-white shadow-sm transition-opacity focus-visible:opacity-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-red-400",
        set ? "bg-red-600" : "bg-red-300 opacity-0 group-hover/node:opacity-100",
      )}>
      {debug.breakpoint === "conditional" && <span className="text-[9px] font-bold leading-none text-white" aria-hidden>?</span>}
    </button>
  );
}

function FlowNodeView({ data, selected }: NodeProps<FlowNode>) {
  const start = data.kind === "start";
  const info = data.kind === "start" ? { color: "#047857", label: "Start" } : ELEMENT_TYPE_INFO[data.kind];
  const { color, label: typeLabel } = info;
  const problems = data.problems.length > 0;
  const debug = data.debug;
  return (
    <div
      role="group"
      aria-label={`${typeLabel}: ${data.label}`}
      data-testid="flow-node"
      data-problems={problems || undefined}
      data-current={debug?.current || undefined}
      data-visited={debug?.visited || undefined}
      data-dimmed={debug?.dimmed || undefined}
      data-breakpoint={debug && debug.breakpoint !== "none" ? debug.breakpoint : undefined}
      title={problems ? data.problems.join("\n") : undefined}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
      className={cn(
        "group/node relative rounded-lg border-2 bg-white px-3 pb-5 pt-2 text-left shadow-sm transition-opacity",
        problems ? "border-red-500 ring-2 ring-red-200"
          : debug?.current ? "border-amber-500 ring-4 ring-amber-200"
          : selected ? "border-brand-500 ring-2 ring-brand-100"
          : debug?.visited ? "border-amber-300" : "border-slate-200",
        debug?.dimmed && "opacity-45",
      )}
    >
      {debug && <BreakpointDot label={data.label} debug={debug} />}
      {debug?.current && <span className="absolute -top-2.5 right-2 rounded bg-amber-500 px-1.5 text-[10px] font-semibold text-white" data-testid="current-marker">{debug.currentLabel}</span>}
      {!start && <Handle type="target" position={Side.Top} id="in" className="h-2.5! w-2.5! bg-slate-400!" />}
      <div className="flex items-center gap-1.5">
        <span className="h-2 w-2 shrink-0 rounded-full" style={{ background: color }} aria-hidden />
        <span className="text-[10px] font-semibold uppercase tracking-wide" style={{ color }}>{typeLabel}</span>
        {start && <Play className="h-3 w-3 text-emerald-700" aria-hidden />}
        {problems && <AlertTriangle className="ml-auto h-3.5 w-3.5 text-red-600" aria-label="Has problems" />}
      </div>
      <p className="truncate text-sm font-semibold text-slate-900">{data.label}</p>
      <p className="truncate text-xs text-slate-500" data-testid="node-summary">{data.summary}</p>
      {problems && <p className="mt-1 line-clamp-2 text-[11px] leading-tight text-red-700" data-testid="node-problem">{data.problems[0]}{data.problems.length > 1 ? ` (+${data.problems.length - 1})` : ""}</p>}
      {data.handles.map((handle, index) => {
        const left = `${((index + 1) / (data.handles.length + 1)) * 100}%`;
        return (
          <div key={handle.id}>
            <Handle type="source" position={Side.Bottom} id={handle.id} style={{ left }} aria-label={`${data.label}: ${handle.label || "next"} path`}
              data-testid={`handle-${handle.id}`} className={cn("h-3! w-3! border-2! border-white!", handle.id === "fault" ? "bg-red-500!" : "bg-brand-600!")} />
            {handle.label && (
              <span className="pointer-events-none absolute bottom-0.5 -translate-x-1/2 whitespace-nowrap text-[10px] text-slate-500" style={{ left }}>{handle.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

const NODE_TYPES = { flow: FlowNodeView };

function nodeData(element: FlowElement, issues: PlacedFlowIssue[]): NodeData {
  return {
    kind: element.type,
    label: element.label,
    summary: elementSummary(element),
    handles: elementHandles(element).map((id) => ({ id, label: handleLabel(element, id) })),
    problems: issuesOn(issues, element.id),
  };
}

export type Selection = { nodes: string[]; edges: string[] };

function nodeDebug(id: string, debug: CanvasDebug): NodeDebug {
  const condition = debug.breakpoints.get(id);
  const visited = debug.path?.nodes.has(id) ?? false;
  const current = debug.current === id;
  return {
    breakpoint: condition === undefined ? "none" : condition === null ? "plain" : "conditional",
    current,
    currentLabel: debug.currentLabel,
    visited,
    dimmed: debug.path !== null && !visited && !current,
    ...(id === FLOW_START_ID ? {} : { onToggleBreakpoint: () => debug.onToggleBreakpoint(id) }),
  };
}

/** The path taken is drawn thick and amber, the rest faded. */
function edgeDebugStyle(taken: boolean, fault: boolean): Partial<Edge> {
  return taken
    ? { style: { stroke: "#d97706", strokeWidth: 2.5, ...(fault ? { strokeDasharray: "5 4" } : {}) }, markerEnd: { type: MarkerType.ArrowClosed, color: "#d97706" }, className: "debug-taken", zIndex: 1 }
    : { style: { stroke: fault ? "#dc2626" : "#64748b", opacity: 0.3, ...(fault ? { strokeDasharray: "5 4" } : {}) }, className: "debug-untaken" };
}

/**
 * The canvas (React Flow) over the store: nodes and edges are computed from the document, every
 * change goes back as a store command (a drag is one undo step: a mark at its start, squashed at
 * its end). Measured node sizes are kept here, since the nodes are rebuilt from the document.
 */
export function FlowCanvas({ flow, store, issues, selection, onSelectionChange, onDraggingChange, debug }: {
  flow: FlowDef;
  debug?: CanvasDebug;
  store: FlowDesignerStore;
  issues: PlacedFlowIssue[];
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onDraggingChange: (dragging: boolean) => void;
}) {
  const reactFlow = useReactFlow();
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  const dragMark = useRef<ReturnType<FlowDesignerStore["mark"]> | null>(null);
  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);

  const nodes = useMemo<FlowNode[]>(() => {
    const startIssues = issuesOn(issues, FLOW_START_ID);
    const all: FlowNode[] = [
      {
        id: FLOW_START_ID, type: "flow", position: flow.start.position, deletable: false,
        data: { kind: "start", label: flow.label, summary: startSummary(flow.start), handles: [{ id: "next", label: "" }], problems: startIssues },
      },
      ...flow.elements.map((element) => ({ id: element.id, type: "flow", position: element.position, data: nodeData(element, issues) })),
    ];
    return all.map((node) => ({ ...node, selected: selectedNodes.has(node.id), measured: measured.get(node.id), data: debug ? { ...node.data, debug: nodeDebug(node.id, debug) } : node.data }));
  }, [flow, issues, selectedNodes, measured, debug]);

  const edges = useMemo<Edge[]>(() => flow.edges.map((edge) => {
    const source = edge.source === FLOW_START_ID ? ({ type: "start" } as const) : flow.elements.find((element) => element.id === edge.source);
    const label = source ? handleLabel(source, edge.handle) : edge.handle;
    const fault = edge.handle === "fault";
    return {
      id: edgeKey(edge), source: edge.source, sourceHandle: edge.handle, target: edge.target, targetHandle: "in", type: "smoothstep",
      label: label || undefined, selected: selectedEdges.has(edgeKey(edge)),
      markerEnd: { type: MarkerType.ArrowClosed, color: fault ? "#dc2626" : "#64748b" },
      style: fault ? { stroke: "#dc2626", strokeDasharray: "5 4" } : { stroke: "#64748b" },
      labelStyle: { fontSize: 10 }, labelBgPadding: [4, 2] as [number, number],
      ...(debug?.path ? edgeDebugStyle(debug.path.edges.has(edgeKey(edge)), fault) : {}),
    };
  }), [flow, selectedEdges, debug]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const positions = new Map<string, Position>();
    let sizes: Map<string, { width: number; height: number }> | null = null;
    let selectionChanged = false;
    const nextNodes = new Set(selectedNodes);
    for (const change of changes) {
      if (change.type === "position" && change.position) positions.set(change.id, { x: Math.round(change.position.x), y: Math.round(change.position.y) });
      if (change.type === "dimensions" && change.dimensions) {
        sizes ??= new Map(measured);
        sizes.set(change.id, change.dimensions);
      }
      if (change.type === "select") {
        selectionChanged = true;
        if (change.selected) nextNodes.add(change.id);
        else nextNodes.delete(change.id);
      }
    }
    if (sizes) setMeasured(sizes);
    if (positions.size > 0) store.move(positions);
    if (selectionChanged) onSelectionChange({ nodes: [...nextNodes], edges: selection.edges });
  }, [measured, onSelectionChange, selectedNodes, selection.edges, store]);

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const next = new Set(selectedEdges);
    let changed = false;
    for (const change of changes) {
      if (change.type !== "select") continue;
      changed = true;
      if (change.selected) next.add(change.id);
      else next.delete(change.id);
    }
    if (changed) onSelectionChange({ nodes: selection.nodes, edges: [...next] });
  }, [onSelectionChange, selectedEdges, selection.nodes]);

  const onConnect = useCallback((connection: Connection) => {
    store.connect(connection.source, connection.sourceHandle ?? "next", connection.target);
  }, [store]);

  const isValidConnection = useCallback((connection: Connection | Edge) =>
    connection.source !== connection.target && connection.target !== FLOW_START_ID, []);

  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }

  function onDrop(event: DragEvent) {
    const type = event.dataTransfer.getData(PALETTE_MIME) as FlowElementType;
    if (!ELEMENT_TYPES.includes(type)) return;
    event.preventDefault();
    const point = reactFlow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    // The pointer holds the node by its top middle, where the palette item was grabbed.
    const id = store.addElement(type, { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - 12) });
    onSelectionChange({ nodes: [id], edges: [] });
  }

  // Arrow keys nudge the selected nodes (React Flow's own keyboard moves are off: each would be an
  // undo step); Ctrl/Cmd+C and +V copy and paste them with the edges between them.
  const clipboard = useRef<FlowClip | null>(null);
  const pastes = useRef(0);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable=true], [role=dialog]")) return;
      const key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (key === "c" || key === "v")) {
        if (key === "c" && selection.nodes.length > 0) {
          clipboard.current = store.copy(selection.nodes);
          pastes.current = 0;
        } else if (key === "v" && clipboard.current) {
          pastes.current += 1;
          const ids = store.paste(clipboard.current, { x: 40 * pastes.current, y: 40 * pastes.current });
          if (ids.length > 0) onSelectionChange({ nodes: ids, edges: [] });
        } else return;
        event.preventDefault();
        return;
      }
      const step = event.shiftKey ? 50 : 10;
      const delta = ({ ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] } as Record<string, [number, number]>)[event.key];
      if (!delta || selection.nodes.length === 0) return;
      event.preventDefault();
      store.nudge(selection.nodes, delta[0], delta[1]);
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onSelectionChange, selection.nodes, store]);

  return (
    <div className="relative min-h-0 flex-1" onDragOver={onDragOver} onDrop={onDrop} data-testid="flow-canvas">
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDelete={({ nodes: removed, edges: removedEdges }) => {
          store.remove(removed.map((node) => node.id), removedEdges.map((edge) => edge.id));
          onSelectionChange({ nodes: [], edges: [] });
        }}
        onNodeDragStart={() => { dragMark.current = store.mark(); onDraggingChange(true); }}
        onNodeDragStop={(_, node, dragged) => {
          if (dragMark.current) store.squashToMark(dragMark.current, dragged.length > 1 ? `Move ${dragged.length} elements` : `Move ${node.id}`);
          dragMark.current = null;
          onDraggingChange(false);
        }}
        onPaneClick={() => onSelectionChange({ nodes: [], edges: [] })}
        deleteKeyCode={["Delete", "Backspace"]}
        disableKeyboardA11y
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Flow overview" nodeColor={(node) => ((node.data as NodeData).problems.length > 0 ? "#ef4444" : "#94a3b8")} />
      </ReactFlow>
    </div>
  );
}

/** The element types, dragged onto the canvas (or added with Enter/click, next to the selection). */
export function FlowPalette({ onAdd }: { onAdd: (type: FlowElementType) => void }) {
  return (
    <aside aria-label="Elements" className="w-52 shrink-0 overflow-y-auto border-r border-slate-200 bg-white p-2">
      <h2 className="px-1 pb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Elements</h2>
      <ul className="space-y-1.5">
        {ELEMENT_TYPES.map((type) => (
          <li key={type}>
            <button type="button" draggable data-testid={`palette-${type}`}
              aria-label={`Add ${ELEMENT_TYPE_INFO[type].label}`}
              title={`${ELEMENT_TYPE_INFO[type].description}. Drag onto the canvas, or click to add.`}
              onDragStart={(event) => { event.dataTransfer.setData(PALETTE_MIME, type); event.dataTransfer.effectAllowed = "copy"; }}
              onClick={() => onAdd(type)}
              className="flex w-full cursor-grab items-center gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-sm hover:border-slate-300 hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
              <span className="h-2.5 w-2.5 shrink-0 rounded-full" style={{ background: ELEMENT_TYPE_INFO[type].color }} aria-hidden />
              <span className="min-w-0">
                <span className="block truncate font-medium text-slate-800">{ELEMENT_TYPE_INFO[type].label}</span>
                <span className="block truncate text-[11px] text-slate-500">{ELEMENT_TYPE_INFO[type].description}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
