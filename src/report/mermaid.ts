/**
 * The Mermaid sink: a graph as a fenced ```` ```mermaid ```` block, which GitHub renders as a picture in comments and
 * job summaries. Every label is untrusted text (flow, queue, IVR names) and goes through `mermaidLabel`.
 */
import { truncateMiddle } from './markdown.js'

/** How a node is coloured: the change it stands for, a resource that uses a changed one, or a count of left-out nodes. */
export type GraphNodeKind = 'added' | 'removed' | 'modified' | 'consumer' | 'more'

/** One box of the graph. `id` is generated (`n0`, `n1`, …), never taken from a name. */
export interface GraphNode {
  id: string
  label: string
  kind: GraphNodeKind
}

/** An arrow from a changed resource to something that uses it. */
export interface GraphEdge {
  from: string
  to: string
}

/** A graph ready to draw: nodes in drawing order, edges between their ids. */
export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** Longest label drawn, in characters: longer names are cut in the middle so the boxes stay readable. */
export const MERMAID_LABEL_CHARS = 48

/**
 * Characters kept as they are in a quoted label: letters and digits of any script, space and plain punctuation with no
 * meaning to Mermaid or Markdown. Anything else is written as a Mermaid entity code (`#35;` is `#`).
 */
const PLAIN_LABEL_CHAR = /[\p{L}\p{N} .,:_/+()-]/u

/** The colours of the node kinds, close to GitHub's own diff colours, readable in light and dark themes. */
const CLASS_DEFS: Record<GraphNodeKind, string> = {
  added: 'fill:#dafbe1,stroke:#1a7f37,color:#0d1117',
  removed: 'fill:#ffebe9,stroke:#cf222e,color:#0d1117',
  modified: 'fill:#fff8c5,stroke:#9a6700,color:#0d1117',
  consumer: 'fill:#f6f8fa,stroke:#57606a,color:#0d1117',
  more: 'fill:#ffffff,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a'
}

/**
 * A label as the inside of a quoted Mermaid node text (`n0["…"]`): line breaks become spaces, long text is cut in the
 * middle, and every character that is not plain (quotes, brackets, `<`, backticks, `%`, `#`, `;`, pipes) becomes an
 * entity code. So a label can neither end its quotes, start a Markdown string (backticks) or a comment (`%%`), hold
 * HTML, nor close the code block it is in (no backtick survives).
 */
export function mermaidLabel(text: string): string {
  const oneLine = truncateMiddle(text.replace(/\s+/g, ' ').trim(), MERMAID_LABEL_CHARS)
  let label = ''
  for (const char of oneLine) label += PLAIN_LABEL_CHAR.test(char) ? char : `#${char.codePointAt(0)};`
  return label
}

/** The graph as a fenced Mermaid flowchart, left to right, nodes coloured by kind. */
export function renderMermaid(graph: Graph): string {
  const lines = ['```mermaid', 'flowchart LR']
  for (const node of graph.nodes) lines.push(`  ${node.id}["${mermaidLabel(node.label)}"]:::${node.kind}`)
  for (const edge of graph.edges) lines.push(`  ${edge.from} --> ${edge.to}`)
  const used = new Set(graph.nodes.map(node => node.kind))
  for (const [kind, style] of Object.entries(CLASS_DEFS)) {
    if (used.has(kind as GraphNodeKind)) lines.push(`  classDef ${kind} ${style}`)
  }
  lines.push('```')
  return lines.join('\n')
}
