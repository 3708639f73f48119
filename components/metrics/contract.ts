/**
 * The metrics contract between a WebSocket app and this platform: the names, types, help texts and labels the app
 * exposes, and that the autoscaler, alerts and dashboard query. Plain data with no Pulumi import, so a Node app
 * (the reference echo-server) imports the same names it is scraped by.
 */

export type MetricType = "gauge" | "counter";

export interface MetricDefinition {
  /** Prometheus metric name; counters end in `_total`. */
  readonly name: string;
  readonly type: MetricType;
  /** The HELP text the app exposes. */
  readonly help: string;
  /** Label names the app sets itself (the scrape adds namespace, pod, service, job, instance). */
  readonly labels: readonly string[];
}

/** Values of the `direction` label of `websocket_messages_total`. */
export const messageDirections = ["received", "sent"] as const;
export type MessageDirection = (typeof messageDirections)[number];

/** Values of the `kind` label of `websocket_errors_total`: a bounded set, never an error message. */
export const errorKinds = ["handshake", "protocol", "internal"] as const;
export type ErrorKind = (typeof errorKinds)[number];

export const webSocketMetrics = {
  activeConnections: {
    name: "websocket_connections_active",
    type: "gauge",
    help: "WebSocket connections currently open on this pod.",
    labels: [],
  },
  connectionsOpened: {
    name: "websocket_connections_opened_total",
    type: "counter",
    help: "WebSocket connections accepted (upgrade completed) since the process started.",
    labels: [],
  },
  connectionsClosed: {
    name: "websocket_connections_closed_total",
    type: "counter",
    help: "WebSocket connections closed, by either side or by the drain, since the process started.",
    labels: [],
  },
  messages: {
    name: "websocket_messages_total",
    type: "counter",
    help: "WebSocket data messages received from or sent to clients.",
    labels: ["direction"],
  },
  errors: {
    name: "websocket_errors_total",
    type: "counter",
    help: "WebSocket errors: failed upgrades (handshake), protocol violations (protocol), server faults (internal).",
    labels: ["kind"],
  },
  connectionCapacity: {
    name: "websocket_connections_capacity",
    type: "gauge",
    help: "WebSocket connections this pod accepts before it refuses upgrades (MAX_CONNECTIONS).",
    labels: [],
  },
} as const satisfies Record<string, MetricDefinition>;

export type WebSocketMetricKey = keyof typeof webSocketMetrics;

/** Allowed values per label name, for apps that want to validate before they increment. */
export const metricLabelValues = { direction: messageDirections, kind: errorKinds } as const;

/** HTTP path of the metrics endpoint, served on the app's metrics port. */
export const metricsPath = "/metrics";

/** Every metric name of the contract, for checks that a query only uses names the app exposes. */
export const contractMetricNames: readonly string[] = Object.values(webSocketMetrics).map((m) => m.name);
