/** Port names the Service, probes, routes and NetworkPolicies share (≤ 15 characters, IANA_SVC_NAME). */
export const webSocketPortName = "websocket";
export const metricsPortName = "metrics";

/** Standard application protocols (KEP-3726): proxies and meshes read them instead of guessing from port names. */
export const webSocketAppProtocol = "kubernetes.io/ws";
export const metricsAppProtocol = "http";
