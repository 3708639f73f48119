import { parser } from "@prometheus-io/lezer-promql";

export interface ParsedPromQL {
  /** Offsets of syntax errors; empty when the expression parses. */
  errors: number[];
  /** Metric names of every vector selector in the expression. */
  metricNames: string[];
}

/** Grafana and prometheus-adapter placeholders replaced by what they expand to, so the grammar sees real PromQL. */
const placeholders: [RegExp, string][] = [
  [/\$__rate_interval/g, "2m"],
  [/<<\.Series>>/g, "websocket_connections_active"],
  [/<<\.LabelMatchers>>/g, 'namespace="ns",pod=~"a|b"'],
  [/<<\.GroupBy>>/g, "pod"],
];

/** Parse one expression with the lezer PromQL grammar (Prometheus' own UI parser); grammar only, no name checks. */
export function parsePromQL(expr: string): ParsedPromQL {
  const text = placeholders.reduce((t, [re, value]) => t.replace(re, value), expr);
  const tree = parser.parse(text);
  const errors: number[] = [];
  const metricNames: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === "VectorSelector") {
        const identifier = node.node.getChild("Identifier");
        if (identifier) metricNames.push(text.slice(identifier.from, identifier.to));
      }
    },
  });
  return { errors, metricNames };
}
