import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import {
  type ErrorKind,
  type MessageDirection,
  type MetricDefinition,
  type WebSocketMetricKey,
  webSocketMetrics as contract,
} from "../../../components/metrics/contract";

/** Why the server counted an error; mapped onto the contract's bounded `kind` values below. */
export type ServerError = "draining" | "capacity" | "origin" | "heartbeat_timeout" | "socket" | "backpressure";

const errorKindOf: Record<ServerError, ErrorKind> = {
  // Upgrades refused while draining or full are failed handshakes from the client's point of view.
  draining: "handshake",
  capacity: "handshake",
  origin: "handshake",
  heartbeat_timeout: "protocol",
  socket: "protocol",
  // A peer that does not read what it asked for breaks the conversation, not the server.
  backpressure: "protocol",
};

/** The server's view of the platform's metrics contract: names, types, help and labels come from the contract module. */
export interface EchoMetrics {
  readonly contentType: string;
  opened(): void;
  closed(code: number): void;
  message(direction: MessageDirection): void;
  error(reason: ServerError): void;
  capacity(connections: number): void;
  render(): Promise<string>;
}

/** Only the labels a metric declares, so a contract change cannot make the server emit undeclared ones. */
function declared(definition: MetricDefinition, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(definition.labels.filter((label) => label in values).map((label) => [label, values[label]]));
}

export function createMetrics(): EchoMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const options = (key: WebSocketMetricKey) => ({
    name: contract[key].name,
    help: contract[key].help,
    labelNames: [...contract[key].labels] as string[],
    registers: [registry],
  });
  const metric = (key: WebSocketMetricKey) => (contract[key].type === "gauge" ? new Gauge(options(key)) : new Counter(options(key)));
  const active = metric("activeConnections") as Gauge;
  const opened = metric("connectionsOpened") as Counter;
  const closed = metric("connectionsClosed") as Counter;
  const messages = metric("messages") as Counter;
  const errors = metric("errors") as Counter;
  const capacity = metric("connectionCapacity") as Gauge;
  return {
    contentType: registry.contentType,
    opened: () => {
      opened.inc();
      active.inc();
    },
    closed: (code) => {
      closed.inc(declared(contract.connectionsClosed, { code: String(code) }));
      active.dec();
    },
    message: (direction) => messages.inc(declared(contract.messages, { direction })),
    error: (reason) => errors.inc(declared(contract.errors, { kind: errorKindOf[reason], type: reason })),
    capacity: (connections) => capacity.set(connections),
    render: () => registry.metrics(),
  };
}
