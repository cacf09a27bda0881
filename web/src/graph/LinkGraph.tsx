// The interactive link graph (cytoscape); loaded only on the subject page.
import { useEffect, useRef, type ReactNode } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { GraphEdge, GraphNode } from '../api/types.ts';

/** Props: the graph so far, which node is picked, and what to do when one is picked or expanded. */
export interface LinkGraphProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  label: string;
  onSelect: (node: GraphNode) => void;
  onExpand: (node: GraphNode) => void;
  /** `money`: a payment flow (arrows from payer to receiver, amounts on the edges, flagged parties ringed red). */
  variant?: 'link' | 'money';
}

// A money flow reads as who paid whom: arrows, amounts always shown, flagged parties ringed in red.
const MONEY_STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'edge',
    style: {
      'target-arrow-shape': 'triangle',
      'target-arrow-color': '#9aa7b4',
      label: 'data(kind)',
      'font-size': 8,
      color: '#57606a',
      'text-rotation': 'autorotate',
    },
  },
  { selector: 'node[type = "party"], node[type = "subject"]', style: { 'background-color': '#1f6feb', width: 26, height: 26 } },
  { selector: 'node[type = "payer"]', style: { 'background-color': '#2da44e' } },
  { selector: 'node[type = "receiver"]', style: { 'background-color': '#bc4c00' } },
  { selector: 'node[hub = 1]', style: { 'border-width': 4, 'border-color': '#cf222e', 'border-style': 'solid' } },
];

function strengthOf(s: number | string): number {
  if (typeof s === 'number') return s;
  return s === 'strong' ? 1 : s === 'medium' ? 0.6 : s === 'weak' ? 0.3 : Number.parseFloat(s) || 0.5;
}

/** A node label short enough to read in the graph (the full value is in the list beside it). */
export function shortLabel(label: string): string {
  // IP events carry address|port|time: the address is what an analyst scans for.
  const first = label.includes('|') ? (label.split('|')[0] ?? label) : label;
  return first.length > 28 ? `${first.slice(0, 27)}…` : first;
}

/** Builds cytoscape elements; edge width follows link strength, hubs get a marked border. */
export function toElements(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): ElementDefinition[] {
  const ids = new Set(nodes.map((n) => n.id));
  return [
    ...nodes.map((n) => ({ data: { id: n.id, label: shortLabel(n.label), type: n.type, hub: n.hub ? 1 : 0 } })),
    ...edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e, i) => ({
        data: { id: `e${i}:${e.source}:${e.target}`, source: e.source, target: e.target, kind: e.kind, w: 1 + 5 * strengthOf(e.strength) },
      })),
  ];
}

/** Renders the graph; double-click (or Enter on the list) expands a node by one hop. */
export default function LinkGraph({ nodes, edges, label, onSelect, onExpand, variant = 'link' }: LinkGraphProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | undefined>(undefined);
  const byId = useRef(new Map<string, GraphNode>());
  byId.current = new Map(nodes.map((n) => [n.id, n]));
  const handlers = useRef({ onSelect, onExpand });
  handlers.current = { onSelect, onExpand };

  useEffect(() => {
    if (!box.current) return;
    const c = cytoscape({
      container: box.current,
      elements: [],
      style: [
        {
          selector: 'node',
          style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18, 'background-color': '#5b7083' },
        },
        { selector: 'node[type = "report"]', style: { shape: 'round-rectangle', 'background-color': '#1f6feb' } },
        { selector: 'node[hub = 1]', style: { 'border-width': 3, 'border-color': '#d29922', 'border-style': 'dashed', 'background-color': '#b8b8b8' } },
        { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#111' } },
        { selector: 'edge', style: { width: 'data(w)', 'line-color': '#9aa7b4', 'curve-style': 'bezier' } },
        { selector: 'edge:selected, node:selected edge', style: { label: 'data(kind)', 'font-size': 8, color: '#57606a' } },
        ...(variant === 'money' ? MONEY_STYLE : []),
      ],
      wheelSensitivity: 0.3,
    });
    c.on('tap', 'node', (e) => {
      const n = byId.current.get(e.target.id() as string);
      if (n) handlers.current.onSelect(n);
    });
    c.on('dbltap', 'node', (e) => {
      const n = byId.current.get(e.target.id() as string);
      if (n) handlers.current.onExpand(n);
    });
    cy.current = c;
    return () => {
      c.destroy();
      cy.current = undefined;
    };
  }, [variant]);

  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.elements().remove();
    c.add(toElements(nodes, edges));
    c.layout({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 8000 } as cytoscape.LayoutOptions).run();
  }, [nodes, edges]);

  return (
    <div
      ref={box}
      className="graph"
      role="img"
      aria-label={label}
      data-testid={variant === 'money' ? 'money-graph' : 'link-graph'}
      data-nodes={nodes.length}
      data-edges={edges.length}
    />
  );
}
