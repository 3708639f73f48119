import { platformPolicies } from "../../policy/policies";
import { PolicySettings } from "../../policy/settings";
import { goodStack, withChange, wsNamespace } from "./fixtures";
import { Fixture, runPolicies } from "./harness";

const prod: PolicySettings = { environment: "prod", connectionLifetimeSeconds: 3600, minDrainWindowSeconds: 5 };
const policies = platformPolicies(prod);

const deployment = (p: Record<string, any>) => p.spec.template.spec;
const app = (p: Record<string, any>) => p.spec.template.spec.containers[0];
const ingressAnnotations = (p: Record<string, any>) => p.metadata.annotations;
const cr = (type: string, apiVersion: string, kind: string, name: string, spec: Record<string, any>, metadata: Record<string, any> = {}): Fixture => ({
  type,
  name,
  props: { apiVersion, kind, metadata: { name, namespace: wsNamespace, ...metadata }, spec },
});
const destinationRule = (trafficPolicy: Record<string, any>) =>
  cr("kubernetes:networking.istio.io/v1:DestinationRule", "networking.istio.io/v1", "DestinationRule", "chat-dr", { host: "chat", trafficPolicy });

test("the baseline passes every policy", async () => {
  expect(await runPolicies(policies, goodStack())).toEqual([]);
});

test("every policy has a name, a description and a deliberate enforcement level", () => {
  const levels = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
  expect(levels).toEqual({
    "websocket-route-timeouts": "mandatory",
    "websocket-affinity-consistent": "mandatory",
    "websocket-disruption-budget": "advisory",
    "websocket-drain-window": "mandatory",
    "pod-security-restricted": "mandatory",
    "no-snippet-annotations": "mandatory",
    "no-wildcard-cors": "mandatory",
    "no-insecure-skip-verify": "mandatory",
    "no-unpinned-images": "mandatory",
    "tls-outside-dev": "mandatory",
    "default-deny-networkpolicy": "mandatory",
  });
  for (const p of policies) expect(p.description.length).toBeGreaterThan(30);
});

/** An Istio Gateway with a plain port 80 (kept for ACME HTTP-01) and HTTPS, and a VirtualService matching `port` (or any). */
function istioGatewayRoute(port: number | undefined): Fixture[] {
  return [
    cr("kubernetes:networking.istio.io/v1:Gateway", "networking.istio.io/v1", "Gateway", "gw", {
      selector: { istio: "ingressgateway" },
      servers: [
        { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["chat.example.com"] },
        { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["chat.example.com"], tls: { mode: "SIMPLE", credentialName: "chat-tls" } },
      ],
    }),
    cr("kubernetes:networking.istio.io/v1:VirtualService", "networking.istio.io/v1", "VirtualService", "chat-vs", {
      hosts: ["chat.example.com"],
      gateways: ["gw"],
      http: [{ ...(port === undefined ? {} : { match: [{ port }] }), route: [{ destination: { host: "chat" } }] }],
    }),
  ];
}

/** The fixture's Ingress served by HAProxy instead, plus its chart release with these `controller.config` keys. */
function servedByHaproxy(config: Record<string, string>, add: Fixture[] = []): Fixture[] {
  return withChange({
    name: "ingress",
    edit: (p) => {
      p.metadata.annotations = { "haproxy.org/load-balance": "leastconn" };
      p.spec.ingressClassName = "haproxy";
    },
    add: [{ type: "kubernetes:helm.sh/v3:Release", name: "haproxy", props: { chart: "kubernetes-ingress", version: "1.52.1", values: { controller: { ingressClass: "haproxy", config } } } }, ...add],
  });
}

interface BadCase {
  policy: string;
  fixtures: Fixture[];
  message: RegExp;
}

const cases: Record<string, BadCase> = {
  "nginx Ingress left at the 60 s default": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({
      name: "ingress",
      edit: (p) => (p.metadata.annotations = {}),
      add: [],
    }).map((f) => (f.name === "ingress-nginx" ? { ...f, props: { ...f.props, values: { controller: {} } } } : f)),
    message: /Ingress websocket\/chat: nginx proxy-read-timeout \(ingress-nginx default\) is 60s, shorter than the 3600s/,
  },
  "nginx annotation below the lifetime": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({ name: "ingress", edit: (p) => (ingressAnnotations(p)["nginx.ingress.kubernetes.io/proxy-send-timeout"] = "600") }),
    message: /proxy-send-timeout \(annotation\) is 600s/,
  },
  "HTTPRoute request timeout": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({
      add: [cr("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "gateway.networking.k8s.io/v1", "HTTPRoute", "chat-route", { rules: [{ backendRefs: [{ name: "chat", port: 8080 }], timeouts: { request: "5m" } }] })],
    }),
    message: /HTTPRoute websocket\/chat-route: rules\[0\]\.timeouts\.request is 300s/,
  },
  "NGINX Gateway Fabric without a ProxySettingsPolicy": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({
      add: [
        { type: "kubernetes:helm.sh/v3:Release", name: "ngf", props: { chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric", version: "2.6.7", values: {} } },
        cr("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gateway.networking.k8s.io/v1", "Gateway", "gw", { gatewayClassName: "nginx", listeners: [{ name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "chat-tls" }] } }] }),
        cr("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "gateway.networking.k8s.io/v1", "HTTPRoute", "chat-route", { parentRefs: [{ name: "gw", sectionName: "https" }], rules: [{ backendRefs: [{ name: "chat", port: 8080 }] }] }),
        cr("kubernetes:gateway.nginx.org/v1alpha1:ProxySettingsPolicy", "gateway.nginx.org/v1alpha1", "ProxySettingsPolicy", "chat-proxy", { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "chat-route" }], timeout: { send: "3600s" } }),
      ],
    }),
    message: /HTTPRoute websocket\/chat-route: NGINX Gateway Fabric proxy read timeout \(NGINX default\) is 60s/,
  },
  "Istio VirtualService timeout": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({
      add: [cr("kubernetes:networking.istio.io/v1:VirtualService", "networking.istio.io/v1", "VirtualService", "chat-vs", { hosts: ["chat"], http: [{ route: [{ destination: { host: "chat" } }], timeout: "30s" }] })],
    }),
    message: /VirtualService websocket\/chat-vs: http\[0\]\.timeout is 30s/,
  },
  "Istio DestinationRule caps connection duration": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({ add: [destinationRule({ connectionPool: { tcp: { maxConnectionDuration: "10m" } } })] }),
    message: /maxConnectionDuration is 600s/,
  },
  "HAProxy tunnel timeout": {
    policy: "websocket-route-timeouts",
    fixtures: servedByHaproxy({ "timeout-tunnel": "30m" }),
    message: /HAProxy timeout-tunnel of release haproxy is 1800s/,
  },
  "Traefik entry point write timeout": {
    policy: "websocket-route-timeouts",
    fixtures: withChange({
      add: [{ type: "kubernetes:helm.sh/v3:Release", name: "traefik", props: { chart: "traefik", version: "41.3.0", values: { ports: { websecure: { transport: { respondingTimeouts: { writeTimeout: "60s" } } } } } } }],
    }),
    message: /Traefik entry point websecure writeTimeout is 60s/,
  },
  "ingress cookie and mesh cookie differ": {
    policy: "websocket-affinity-consistent",
    fixtures: withChange({
      name: "ingress",
      edit: (p) => Object.assign(ingressAnnotations(p), { "nginx.ingress.kubernetes.io/affinity": "cookie", "nginx.ingress.kubernetes.io/session-cookie-name": "ws-route", "nginx.ingress.kubernetes.io/service-upstream": "true" }),
      add: [destinationRule({ loadBalancer: { consistentHash: { httpCookie: { name: "mesh-route", ttl: "0s" } } } })],
    }),
    message: /Istio consistentHash httpCookie "mesh-route" disagrees with nginx cookie affinity "ws-route"/,
  },
  "sticky ingress, round-robin mesh": {
    policy: "websocket-affinity-consistent",
    fixtures: withChange({
      name: "ingress",
      edit: (p) => Object.assign(ingressAnnotations(p), { "nginx.ingress.kubernetes.io/affinity": "cookie" }),
      add: [destinationRule({ loadBalancer: { simple: "ROUND_ROBIN" } })],
    }),
    message: /the mesh balances Service websocket\/chat without session affinity while Ingress websocket\/chat pins clients \(nginx cookie affinity "INGRESSCOOKIE"\)/,
  },
  "HAProxy chart cookie, round-robin mesh": {
    policy: "websocket-affinity-consistent",
    fixtures: servedByHaproxy({ "cookie-persistence": "ws_affinity" }, [destinationRule({ loadBalancer: { simple: "LEAST_REQUEST" } })]),
    message: /the mesh balances Service websocket\/chat without session affinity while Release haproxy pins clients \(HAProxy cookie-persistence "ws_affinity" \(controller.config of release haproxy\)\)/,
  },
  "mesh hashing bypassed by ingress-nginx": {
    policy: "websocket-affinity-consistent",
    fixtures: withChange({ add: [destinationRule({ loadBalancer: { consistentHash: { httpHeaderName: "x-session" } } })] }),
    message: /ingress-nginx sends to pod IPs directly, bypassing Istio consistentHash httpHeaderName "x-session".*service-upstream/,
  },
  "no PodDisruptionBudget": {
    policy: "websocket-disruption-budget",
    fixtures: withChange({ name: "pdb", remove: true }),
    message: /Deployment websocket\/chat serves WebSockets but no PodDisruptionBudget selects its pods/,
  },
  "budget that forbids evictions": {
    policy: "websocket-disruption-budget",
    fixtures: withChange({ name: "pdb", edit: (p) => (p.spec = { maxUnavailable: 0, selector: p.spec.selector }) }),
    message: /PodDisruptionBudget websocket\/chat allows no voluntary eviction/,
  },
  "no preStop hook": {
    policy: "websocket-drain-window",
    fixtures: withChange({ name: "deploy", edit: (p) => delete app(p).lifecycle }),
    message: /container "app" has no preStop hook/,
  },
  "grace period used up by the preStop wait": {
    policy: "websocket-drain-window",
    fixtures: withChange({ name: "deploy", edit: (p) => (deployment(p).terminationGracePeriodSeconds = 12) }),
    message: /terminationGracePeriodSeconds 12 leaves 2s after the 10s preStop wait/,
  },
  "privileged container with host network": {
    policy: "pod-security-restricted",
    fixtures: withChange({
      name: "deploy",
      edit: (p) => {
        deployment(p).hostNetwork = true;
        app(p).securityContext = { privileged: true };
      },
    }),
    message: /breaks Pod Security "restricted": hostNetwork: true; container "app" privileged; container "app" without allowPrivilegeEscalation: false.*does not drop ALL capabilities/,
  },
  "namespace not enforcing restricted": {
    policy: "pod-security-restricted",
    fixtures: withChange({ name: "ns", edit: (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline") }),
    message: /Namespace websocket runs WebSocket pods but enforces Pod Security "baseline"/,
  },
  "configuration snippet annotation": {
    policy: "no-snippet-annotations",
    fixtures: withChange({ name: "ingress", edit: (p) => (ingressAnnotations(p)["nginx.ingress.kubernetes.io/configuration-snippet"] = "more_set_headers 'X: y';") }),
    message: /Configuration snippets are not allowed: annotation nginx\.ingress\.kubernetes\.io\/configuration-snippet/,
  },
  "snippets allowed in the ingress-nginx chart": {
    policy: "no-snippet-annotations",
    fixtures: withChange({ name: "ingress-nginx", edit: (p) => (p.values.controller.allowSnippetAnnotations = true) }),
    message: /values controller\.allowSnippetAnnotations: true/,
  },
  "CORS enabled without origins": {
    policy: "no-wildcard-cors",
    fixtures: withChange({ name: "ingress", edit: (p) => (ingressAnnotations(p)["nginx.ingress.kubernetes.io/enable-cors"] = "true") }),
    message: /Wildcard CORS origin: nginx\.ingress\.kubernetes\.io\/cors-allow-origin is \* \(the default when enable-cors is on\)/,
  },
  "Traefik headers middleware allowing any origin": {
    policy: "no-wildcard-cors",
    fixtures: withChange({ add: [cr("kubernetes:traefik.io/v1alpha1:Middleware", "traefik.io/v1alpha1", "Middleware", "cors", { headers: { accessControlAllowOriginList: ["*"] } })] }),
    message: /headers\.accessControlAllowOriginList contains \*/,
  },
  "Traefik ServersTransport skipping verification": {
    policy: "no-insecure-skip-verify",
    fixtures: withChange({ add: [cr("kubernetes:traefik.io/v1alpha1:ServersTransport", "traefik.io/v1alpha1", "ServersTransport", "backend", { serverName: "chat", insecureSkipVerify: true })] }),
    message: /Certificate verification is turned off at spec\.insecureSkipVerify/,
  },
  "Istio DestinationRule skipping verification": {
    policy: "no-insecure-skip-verify",
    fixtures: withChange({ add: [destinationRule({ tls: { mode: "SIMPLE", insecureSkipVerify: true } })] }),
    message: /spec\.trafficPolicy\.tls\.insecureSkipVerify/,
  },
  "latest image": {
    policy: "no-unpinned-images",
    fixtures: withChange({ name: "deploy", edit: (p) => (app(p).image = "ghcr.io/example/chat:latest") }),
    message: /Unpinned images: container "app" image ghcr\.io\/example\/chat:latest/,
  },
  "latest image tag in chart values": {
    policy: "no-unpinned-images",
    fixtures: withChange({ name: "ingress-nginx", edit: (p) => (p.values.controller.image = { repository: "registry.k8s.io/ingress-nginx/controller", tag: "latest" }) }),
    message: /values controller\.image\.tag: latest/,
  },
  "unpinned image string in chart values": {
    policy: "no-unpinned-images",
    fixtures: withChange({ name: "ingress-nginx", edit: (p) => (p.values.defaultBackend = { enabled: true, image: "registry.k8s.io/defaultbackend-amd64" }) }),
    message: /values defaultBackend\.image: registry\.k8s\.io\/defaultbackend-amd64/,
  },
  "Ingress without TLS in prod": {
    policy: "tls-outside-dev",
    fixtures: withChange({ name: "ingress", edit: (p) => delete p.spec.tls }),
    message: /Ingress websocket\/chat has no spec\.tls: it serves plain HTTP\/WS\. \(environment prod requires TLS\.\)/,
  },
  "HTTPRoute on a plain-HTTP listener": {
    policy: "tls-outside-dev",
    fixtures: withChange({
      add: [
        cr("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gateway.networking.k8s.io/v1", "Gateway", "gw", {
          gatewayClassName: "nginx",
          listeners: [
            { name: "http", protocol: "HTTP", port: 80 },
            { name: "https", protocol: "HTTPS", port: 443, tls: { certificateRefs: [{ name: "chat-tls" }] } },
          ],
        }),
        cr("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "gateway.networking.k8s.io/v1", "HTTPRoute", "chat-route", { parentRefs: [{ name: "gw" }], rules: [{ backendRefs: [{ name: "chat", port: 8080 }] }] }),
      ],
    }),
    message: /HTTPRoute websocket\/chat-route attaches to plain-HTTP listener\(s\) http of Gateway websocket\/gw/,
  },
  "Istio VirtualService reachable on a plain-HTTP server": {
    policy: "tls-outside-dev",
    fixtures: withChange({ add: istioGatewayRoute(undefined) }),
    message: /VirtualService websocket\/chat-vs is bound to Gateway websocket\/gw, whose plain-HTTP server\(s\) on port 80 do not redirect to HTTPS/,
  },
  "no default-deny NetworkPolicy": {
    policy: "default-deny-networkpolicy",
    fixtures: withChange({ name: "deny", remove: true }),
    message: /Namespace websocket .* has no default-deny NetworkPolicy for Ingress and Egress/,
  },
  "default deny for ingress only": {
    policy: "default-deny-networkpolicy",
    fixtures: withChange({ name: "deny", edit: (p) => (p.spec.policyTypes = ["Ingress"]) }),
    message: /has no default-deny NetworkPolicy for Egress/,
  },
};

test.each(Object.entries(cases))("%s fires only its policy, with a clear message", async (_, c) => {
  const violations = await runPolicies(policies, c.fixtures);
  expect([...new Set(violations.map((v) => v.policy))]).toEqual([c.policy]);
  expect(violations.map((v) => v.message).join("\n")).toMatch(c.message);
  expect(violations.every((v) => v.urn?.startsWith("urn:pulumi:"))).toBe(true);
});

test("an Istio gateway's plain port 80 is fine when the app's routes match only 443", async () => {
  expect(await runPolicies(policies, withChange({ add: istioGatewayRoute(443) }))).toEqual([]);
  expect((await runPolicies(policies, withChange({ add: istioGatewayRoute(80) }))).map((v) => v.policy)).toEqual(["tls-outside-dev"]);
});

test("every policy has at least one bad fixture", () => {
  expect(new Set(Object.values(cases).map((c) => c.policy))).toEqual(new Set(policies.map((p) => p.name)));
});

test("chart image fields pinned by a sibling tag or digest, and a mesh rule that leaves balancing alone, pass", async () => {
  const fixtures = withChange({
    name: "ingress-nginx",
    edit: (p) => (p.values.controller.image = { image: "ingress-nginx/controller", tag: "v1.15.1", digest: "" }),
    add: [destinationRule({ connectionPool: { http: { idleTimeout: "3600s" } }, tls: { mode: "ISTIO_MUTUAL" } })],
  });
  const sticky = fixtures.map((f) => (f.name === "ingress" ? { ...f, props: { ...f.props, metadata: { ...f.props.metadata, annotations: { ...f.props.metadata.annotations, "nginx.ingress.kubernetes.io/affinity": "cookie" } } } } : f));
  expect(await runPolicies(policies, sticky)).toEqual([]);
});

test("TLS is optional in dev only, and the environment can come from policy config", async () => {
  const plain = withChange({ name: "ingress", edit: (p) => delete p.spec.tls });
  const dev = platformPolicies({ ...prod, environment: "dev" });
  expect(await runPolicies(dev, plain)).toEqual([]);
  const overridden = await runPolicies(dev, plain, { "tls-outside-dev": { environment: "staging" } });
  expect(overridden.map((v) => v.policy)).toEqual(["tls-outside-dev"]);
});

test("a longer configured lifetime makes the same route too short", async () => {
  const longLived = platformPolicies({ ...prod, connectionLifetimeSeconds: 7200 });
  const violations = await runPolicies(longLived, goodStack());
  expect(violations.map((v) => v.message)).toEqual([
    expect.stringContaining("nginx proxy-read-timeout (annotation) is 3600s, shorter than the 7200s"),
    expect.stringContaining("nginx proxy-send-timeout (annotation) is 3600s, shorter than the 7200s"),
  ]);
  expect(await runPolicies(longLived, goodStack(), { "websocket-route-timeouts": { connectionLifetimeSeconds: 3600 } })).toEqual([]);
});
