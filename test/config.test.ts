import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { describeValue } from "../components/config/configError";
import { problemAt, stackConfigKeys } from "../components/config/parse";
import { runtimeEnvironmentNames } from "../components/app/runtimeEnvironmentNames";
import { anyOriginConfigKey, isAnyOrigin } from "../components/config/rules/corsOrigins";
import { maxGatewayRouteHostnames } from "../components/config/rules/ingress";
import { typedScalar } from "../components/config/scalar";
import { wildcardCorsFindings } from "../policy/security/cors";
import { resolvePlatformConfig } from "../components/config/resolve";
import { platformSchema } from "../components/config/schema/platform";
import { configReference, configReferenceFile } from "../tools/configReference";
import { readStackFile, repoRoot, stackNames } from "../tools/stackConfig";
import { z } from "zod";
import { configErrorOf } from "./support/configErrors";

const valid = {
  environment: "prod",
  app: { image: "ghcr.io/acme/chat:1.4.2" },
  ingress: { hosts: ["ws.example.com"] },
  tls: { email: "ops@example.org" },
};

const errorOf = configErrorOf;

function withValue(keyPath: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(valid) as Record<string, any>;
  let node = copy;
  keyPath.slice(0, -1).forEach((k) => (node = node[k] ??= {}));
  node[keyPath[keyPath.length - 1]] = value;
  return copy;
}

describe("one config schema", () => {
  test("a valid prod config gets prod defaults and keeps what was given", () => {
    const { settings } = resolvePlatformConfig(valid, stackConfigKeys);
    expect(settings.app.replicas).toBe(3);
    expect(settings.tls.enabled).toBe(true);
    expect(settings.networkPolicy.enabled).toBe(true);
    expect(settings.app.image).toBe("ghcr.io/acme/chat:1.4.2");
  });

  test("no environment means prod, the strictest (as the policy pack assumes): TLS and NetworkPolicies on", () => {
    const { environment, ...unsaid } = valid;
    expect(environment).toBe("prod");
    const { settings } = resolvePlatformConfig(unsaid, stackConfigKeys);
    expect(settings.environment).toBe("prod");
    expect(settings.tls.enabled).toBe(true);
    expect(settings.networkPolicy.enabled).toBe(true);
    expect(errorOf({ ...unsaid, tls: {} }).problems.map((p) => p.key)).toEqual(["websocket-platform:tls.email"]);
  });

  test("dev defaults are small and cheap, and an explicit value still wins over them", () => {
    const dev = resolvePlatformConfig({ ...valid, environment: "dev" }, stackConfigKeys).settings;
    expect(dev.app.replicas).toBe(1);
    expect(dev.tls.enabled).toBe(false);
    expect(dev.app.resources.requests).toEqual({ cpu: "50m", memory: "64Mi" });
    const pinned = resolvePlatformConfig({ ...valid, environment: "dev", app: { ...valid.app, replicas: 2 } }, stackConfigKeys);
    expect(pinned.settings.app.replicas).toBe(2);
  });

  // Each row: where, bad value, the text the allowed part must contain.
  const badValues: [string, (string | number)[], unknown, string][] = [
    ["latest tag", ["app", "image"], "ghcr.io/acme/chat:latest", "tag other than latest"],
    ["untagged image", ["app", "image"], "ghcr.io/acme/chat", "pinned"],
    ["registry port is not a tag", ["app", "image"], "registry.local:5000/chat", "pinned"],
    ["zero replicas", ["app", "replicas"], 0, "at least 1"],
    ["fractional replicas", ["app", "replicas"], 1.5, "an integer"],
    ["digest too short", ["app", "image"], "ghcr.io/acme/chat@sha256:abc", "image reference"],
    ["replicas as text", ["app", "replicas"], "three", "type number"],
    ["port out of range", ["app", "port"], 70000, "at most 65535"],
    ["unknown controller", ["ingress", "controller"], "envoy", '"nginx", "traefik", "haproxy", "nginx-gateway-fabric", "istio"'],
    ["unknown mesh", ["mesh", "provider"], "consul", '"none", "istio", "linkerd"'],
    ["unknown environment", ["environment"], "qa", '"dev", "staging", "prod"'],
    ["no hosts", ["ingress", "hosts"], [], "at least 1 items"],
    ["upper-case host", ["ingress", "hosts", 0], "WS.Example.com", "lowercase DNS name"],
    ["bad namespace", ["namespace"], "My_NS", "RFC 1123"],
    ["bad health path", ["app", "health", "readinessPath"], "ready", "absolute HTTP path"],
    ["bad spread", ["app", "spread", "zones"], "Maybe", '"DoNotSchedule", "ScheduleAnyway"'],
    ["bad quantity", ["app", "resources", "limits", "memory"], "lots", "Kubernetes quantity"],
    ["lifetime too short", ["app", "connectionLifetimeSeconds"], 10, "at least 60"],
    ["no preStop wait", ["app", "drain", "preStopSeconds"], 0, "at least 1"],
    ["tls flag as text", ["tls", "enabled"], "yes", "type boolean"],
  ];

  test.each(badValues)("%s: the error names the key, the value given and what is allowed", (_, keyPath, value, allowed) => {
    const error = errorOf(withValue(keyPath, value));
    const key = `websocket-platform:${keyPath.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("").replace(/^\./, "").replace(/\.\[/g, "[")}`;
    const problem = error.problems.find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.given).toBe(value === undefined ? "nothing (the key is missing)" : JSON.stringify(value));
    expect(problem!.allowed).toContain(allowed);
    expect(error.message).toContain(key);
    expect(error.message).not.toMatch(/undefined|at Object\.|\.ts:\d+/);
  });

  test("a missing required key is named as missing", () => {
    const error = errorOf({ environment: "dev", ingress: { hosts: ["ws.example.com"] } });
    expect(error.problems).toContainEqual(
      expect.objectContaining({ key: "websocket-platform:app.image", given: "nothing (the key is missing)" }),
    );
  });

  test.each(["ghcr.io/acme/chat:1.4.2", "registry.local:5000/chat:2", `chat@sha256:${"a".repeat(64)}`, "ghcr.io/acme/chat:V1.2-RC1", "chat:2025_11_24"])("pinned image %s is accepted", (image) => {
    expect(resolvePlatformConfig(withValue(["app", "image"], image), stackConfigKeys).settings.app.image).toBe(image);
  });

  test("every problem is reported at once, not only the first", () => {
    const error = errorOf({ environment: "qa", app: { image: "x:latest", replicas: 0 }, ingress: { hosts: [] } });
    expect(error.problems.map((p) => p.key).sort()).toEqual(
      // An unknown environment gets the strictest defaults underneath, so prod's TLS needs its email too.
      ["websocket-platform:app.image", "websocket-platform:app.replicas", "websocket-platform:environment", "websocket-platform:ingress.hosts", "websocket-platform:tls.email"].sort(),
    );
  });

  test("a bad key of a free-form map names the key and the rule for keys", () => {
    const error = errorOf(withValue(["app", "env"], { "1BAD": "x" }));
    expect(error.problems).toEqual([
      {
        key: "websocket-platform:app.env.1BAD",
        given: 'the key "1BAD"',
        allowed: "a key that is a variable name: letters, digits and _, not starting with a digit",
      },
    ]);
  });

  test("a misspelt key is rejected with the keys that exist there", () => {
    const error = errorOf(withValue(["app", "replica"], 3));
    const problem = error.problems.find((p) => p.key === "websocket-platform:app.replica");
    expect(problem?.allowed).toContain("replicas");
    expect(problem?.allowed).toContain("image");
  });

  test("a drain longer than the connection lifetime is rejected across keys", () => {
    const error = errorOf(withValue(["app", "drain"], { preStopSeconds: 30, windowSeconds: 3600 }));
    expect(error.problems[0].key).toBe("websocket-platform:app.drain.windowSeconds");
    expect(error.problems[0].allowed).toContain("app.connectionLifetimeSeconds (3600)");
  });

  test("a component's own args are named as args, not as stack config", () => {
    let message = "";
    try {
      resolvePlatformConfig(withValue(["app", "replicas"], -1), { prefix: "WebSocketPlatform args." });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("WebSocketPlatform args.app.replicas: got -1; allowed: at least 1");
  });
});

describe("config declarations stay in step with the schema", () => {
  const project = YAML.parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"));
  const json = z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, { type?: string; description?: string; enum?: string[] }>;
  };

  test("Pulumi.yaml declares every scalar top-level key with the schema's type and description", () => {
    const scalarKeys = Object.entries(json.properties).filter(([, s]) => s.type !== "object" && !("anyOf" in s));
    expect(scalarKeys.length).toBeGreaterThan(0);
    for (const [key, schema] of scalarKeys) {
      const declared = project.config[`websocket-platform:${key}`];
      expect(declared).toBeDefined();
      expect(declared.type).toBe(schema.type === "number" ? "integer" : schema.type);
      expect(declared.description).toBe(schema.description);
    }
  });

  // The CLI requires a declared key that has no `default` in every stack: only environment is required on purpose.
  test("Pulumi.yaml gives every declared key the schema's default, except environment, which every stack must set", () => {
    const json = z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, { default?: unknown }> };
    for (const [fullKey, declared] of Object.entries(project.config as Record<string, { default?: unknown }>)) {
      const key = fullKey.replace(/^websocket-platform:/, "");
      if (key === "environment") expect(declared.default).toBeUndefined();
      else expect({ key, default: declared.default }).toEqual({ key, default: json.properties[key].default });
    }
    expect(json.properties.namespace.default).toBe("websocket");
    for (const stack of stackNames()) expect(readStackFile(stack)).toHaveProperty(["websocket-platform:environment"]);
  });

  test("Pulumi.yaml declares no key the schema does not know", () => {
    for (const key of Object.keys(project.config ?? {})) {
      expect(Object.keys(json.properties)).toContain(key.replace(/^websocket-platform:/, ""));
    }
  });

  test("docs/config-reference.md is the one generated from the schema (run npm run docs:config)", () => {
    expect(fs.readFileSync(configReferenceFile, "utf8")).toBe(configReference());
  });

  test("the config reference lists every leaf key of the schema", () => {
    const text = configReference();
    for (const key of ["app.drain.windowSeconds", "app.health.readinessPath", "ingress.hosts", "tls.enabled"]) {
      expect(text).toContain(`\`${key}\``);
    }
  });
});

describe("secrets are never echoed in a config error", () => {
  const secret = "SUPERSECRET-TOKEN-123";
  const dns01 = (provider: Record<string, unknown>) => ({ email: "ops@example.org", solver: "dns01", dns01: { provider: "cloudflare", ...provider } });
  // Each row: what, the config, the key the error must name. The value given holds `secret` every time.
  const cases: [string, Record<string, unknown>, string][] = [
    ["a token where a Secret reference belongs", withValue(["tls"], dns01({ cloudflare: { apiTokenSecretRef: secret } })), "tls.dns01.cloudflare.apiTokenSecretRef"],
    ["a token as the referenced Secret's name", withValue(["tls"], dns01({ cloudflare: { apiTokenSecretRef: { name: secret } } })), "tls.dns01.cloudflare.apiTokenSecretRef.name"],
    [
      "an AWS secret key where its reference belongs",
      withValue(["tls"], { ...dns01({}), dns01: { provider: "route53", route53: { region: "eu-west-1", accessKeyIDSecretRef: { name: "aws" }, secretAccessKeySecretRef: [secret] } } }),
      "tls.dns01.route53.secretAccessKeySecretRef",
    ],
    ["a credential under a key the schema does not know", withValue(["tls"], dns01({ cloudflare: { apiTokenSecretRef: { name: "cf" } }, apiToken: secret })), "tls.dns01.apiToken"],
    ["a password-like env name given a non-string", withValue(["app", "env"], { DB_PASSWORD: { value: secret } }), "app.env.DB_PASSWORD"],
    ["a secretKeyRef pasted into env", withValue(["app", "env"], { API: { valueFrom: { secretKeyRef: { name: secret } } } }), "app.env.API"],
    ["an object holding a token where a string belongs", withValue(["app", "image"], { registryToken: secret }), "app.image"],
  ];

  test.each(cases)("%s: the key is named, the value is not", (_, config, key) => {
    const error = errorOf(config);
    const problem = error.problems.find((p) => p.key === `websocket-platform:${key}`);
    expect(problem).toBeDefined();
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.problems)).not.toContain(secret);
    expect(problem!.given).toContain("not shown");
  });

  test("rule problems go through the same formatting, whatever the issue", () => {
    expect(problemAt(["app", "env", "GITHUB_TOKEN"], secret, "anything", stackConfigKeys)).toEqual({
      key: "websocket-platform:app.env.GITHUB_TOKEN",
      given: "a value (not shown: it looks like a credential)",
      allowed: "anything",
    });
    expect(describeValue({ env: [{ name: "X", valueFrom: { secretKeyRef: { name: secret, key: "k" } } }] })).toBe(
      '{"env":[{"name":"X","valueFrom":{"secretKeyRef":"(not shown)"}}]}',
    );
    // Booleans and missing values carry no secret and stay readable.
    expect(describeValue(secret, ["tls", "dns01", "cloudflare", "apiTokenSecretRef", "name"])).toBe("a value (not shown: under apiTokenSecretRef, a reference to a Secret)");
    expect(describeValue(true, ["ingress", "cors", "allowCredentials"])).toBe("true");
    expect(describeValue(undefined, ["tls", "dns01", "cloudflare", "apiTokenSecretRef"])).toBe("nothing (the key is missing)");
  });
});

describe("what the API server would refuse at pulumi up is refused at preview", () => {
  const problemOf = (config: Record<string, unknown>, key: string) =>
    errorOf(config).problems.find((p) => p.key === `websocket-platform:${key}`);
  const label = (n: number, c = "a") => c.repeat(n);

  test("host names: every label at most 63 characters, the whole name at most 253 (RFC 1123)", () => {
    const longLabel = `${label(64)}.example.com`;
    expect(problemOf(withValue(["ingress", "hosts"], [longLabel]), "ingress.hosts[0]")).toEqual({
      key: "websocket-platform:ingress.hosts[0]",
      given: JSON.stringify(longLabel),
      allowed: "a DNS name whose every dot-separated label is at most 63 characters",
    });
    const longName = [label(60, "a"), label(60, "b"), label(60, "c"), label(61, "d"), "example.com"].join(".");
    expect(longName.length).toBe(256);
    expect(problemOf(withValue(["ingress", "hosts"], [longName]), "ingress.hosts[0]")).toMatchObject({ given: JSON.stringify(longName), allowed: "at most 253 characters" });
    const longest = [label(63, "a"), label(63, "b"), label(63, "c"), label(57, "d"), "com"].join(".");
    expect(longest.length).toBe(253);
    expect(resolvePlatformConfig(withValue(["ingress", "hosts"], [longest]), stackConfigKeys).settings.ingress.hosts).toEqual([longest]);
  });

  test("app.name names a Service, so it is an RFC 1035 label: it starts with a letter", () => {
    expect(problemOf(withValue(["app", "name"], "1chat"), "app.name")).toEqual({
      key: "websocket-platform:app.name",
      given: '"1chat"',
      allowed: "a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending alphanumeric",
    });
    expect(resolvePlatformConfig(withValue(["app", "name"], "chat1"), stackConfigKeys).settings.app.name).toBe("chat1");
  });

  test(`Gateway API: at most ${maxGatewayRouteHostnames} host names (HTTPRoute spec.hostnames maxItems); native routes take more`, () => {
    const crd = JSON.parse(fs.readFileSync(path.join(repoRoot, "../shared/upstream/crd-schemas/gateway.networking.k8s.io/httproute_v1.json"), "utf8"));
    expect(crd.properties.spec.properties.hostnames.maxItems).toBe(maxGatewayRouteHostnames);
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `ws${i}.example.com`);
    for (const ingress of [{ controller: "traefik", api: "gateway" }, { controller: "nginx-gateway-fabric" }]) {
      const problem = problemOf(withValue(["ingress"], { ...ingress, hosts: hosts(17) }), "ingress.hosts");
      expect(problem?.given).toMatch(/^\["ws0\.example\.com",/);
      expect(problem?.allowed).toBe("at most 16 host names with Gateway API (HTTPRoute spec.hostnames maxItems), or split the hosts over several platforms");
      expect(resolvePlatformConfig(withValue(["ingress"], { ...ingress, hosts: hosts(16) }), stackConfigKeys).settings.ingress.hosts).toHaveLength(16);
    }
    expect(resolvePlatformConfig(withValue(["ingress"], { controller: "traefik", hosts: hosts(17) }), stackConfigKeys).settings.ingress.hosts).toHaveLength(17);
  });

  test.each(Object.values(runtimeEnvironmentNames))("app.env.%s is set by the platform from app.*, and refused here", (name) => {
    const problem = problemOf(withValue(["app", "env"], { [name]: "9999", EXTRA: "ok" }), `app.env.${name}`);
    expect(problem?.given).toBe('"9999"');
    expect(problem?.allowed).toContain("a name other than those the platform sets from app.*");
    expect(problem?.allowed).toContain("PORT, METRICS_PORT");
    expect(problem?.allowed).toContain("DRAIN_WINDOW_SECONDS");
  });

  test(`ingress.cors.allowOrigins "*" needs ${anyOriginConfigKey}: true`, () => {
    expect(problemOf(withValue(["ingress", "cors"], { allowOrigins: ["https://app.example.com", "*"] }), "ingress.cors.allowOrigins[1]")).toEqual({
      key: "websocket-platform:ingress.cors.allowOrigins[1]",
      given: '"*"',
      allowed:
        'an origin such as https://app.example.com; "*" only with ingress.cors.allowAnyOrigin: true ' +
        "(the policy pack's mandatory no-wildcard-cors policy refuses it too unless its enforcementLevel is lowered)",
    });
    const allowed = resolvePlatformConfig(withValue(["ingress", "cors"], { allowOrigins: ["*"], allowAnyOrigin: true }), stackConfigKeys);
    expect(allowed.settings.ingress.cors?.allowOrigins).toEqual(["*"]);
  });

  test("config and the policy pack's no-wildcard-cors policy agree on which origins are every origin", () => {
    const middleware = (origin: string) => ({
      type: "kubernetes:traefik.io/v1alpha1:Middleware",
      name: "cors",
      urn: "urn",
      props: { apiVersion: "traefik.io/v1alpha1", kind: "Middleware", metadata: { name: "cors" }, spec: { headers: { accessControlAllowOriginList: [origin] } } },
    });
    for (const origin of ["*", "https://app.example.com", "https://*.example.org"]) {
      const refusedByConfig = errorOrNothing(withValue(["ingress", "cors"], { allowOrigins: [origin] })).some((p) => p.key.startsWith("websocket-platform:ingress.cors.allowOrigins"));
      expect({ origin, config: refusedByConfig, policy: wildcardCorsFindings(middleware(origin)).length > 0 }).toEqual({ origin, config: isAnyOrigin(origin), policy: isAnyOrigin(origin) });
    }
  });
});

test("a __proto__ key in stack config (JSON or YAML keep it as a key) is named as unknown and pollutes nothing", () => {
  const raw = JSON.parse('{"environment":"dev","app":{"image":"x:1","__proto__":{"polluted":"yes"},"env":{"A":1}},"ingress":{"hosts":["ws.example.com"]}}');
  const error = errorOf(raw);
  expect(error.problems.map((p) => p.key)).toEqual(["websocket-platform:app.__proto__"]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe("text that looks like a number is a string where the schema wants one", () => {
  test("the stack reader's typing round-trips: only a number's own text becomes a number", () => {
    expect(typedScalar("123")).toBe(123);
    expect(typedScalar("true")).toBe(true);
    for (const text of ["0123", "1.10", "-0", "1e3", "08080"]) expect(typedScalar(text)).toBe(text);
  });

  test('namespace "123", an all-digit tag and env values like "8080" are accepted as the strings written', () => {
    const { settings } = resolvePlatformConfig(
      { ...valid, namespace: typedScalar("123"), app: { image: "ghcr.io/acme/chat:20251124", env: { LISTEN_PORT: 8080, FEATURE: true, RATIO: 0.5 } } },
      stackConfigKeys,
    );
    expect(settings.namespace).toBe("123");
    expect(settings.app.env).toEqual({ LISTEN_PORT: "8080", FEATURE: "true", RATIO: "0.5" });
    expect(settings.app.image).toBe("ghcr.io/acme/chat:20251124");
  });

  test("a number where a number is wanted stays a number, and a bad one is still named with what was written", () => {
    expect(errorOf(withValue(["app", "name"], 123)).problems.find((p) => p.key === "websocket-platform:app.name")).toMatchObject({ given: "123" });
    expect(resolvePlatformConfig(withValue(["app", "replicas"], 2), stackConfigKeys).settings.app.replicas).toBe(2);
    expect(errorOf(withValue(["app", "replicas"], "2")).problems[0].key).toBe("websocket-platform:app.replicas");
  });

  // Every string key of the schema (outside lists and maps): a number there means exactly its text.
  const stringKeys = (schema: any, at: string[] = []): string[][] => {
    if (schema.type === "string" || schema.enum?.every((v: unknown) => typeof v === "string")) return [at];
    const branches = schema.anyOf ?? [];
    if (branches.some((b: any) => b.type === "string")) return [at];
    return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => stringKeys(v, [...at, k]));
  };
  const json = z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" });
  const keys = stringKeys(json);

  test("the schema has string keys to check", () => {
    expect(keys.map((k) => k.join("."))).toEqual(expect.arrayContaining(["namespace", "app.name", "app.image", "ingress.namespace", "tls.email", "smokeTest.address"]));
  });

  test.each(keys.map((k) => [k.join("."), k]))("%s: 123 and \"123\" get the same answer", (_, key) => {
    const asNumber = errorOrNothing(withValue(key as string[], 123));
    const asText = errorOrNothing(withValue(key as string[], "123"));
    const strip = (problems: { key: string; allowed: string }[]) => problems.map(({ key, allowed }) => ({ key, allowed }));
    expect(strip(asNumber)).toEqual(strip(asText));
    const atKey = `websocket-platform:${(key as string[]).join(".")}`;
    expect(asNumber.filter((p) => p.key === atKey).map((p) => p.allowed)).not.toContainEqual(expect.stringMatching(/type string/));
  });
});

function errorOrNothing(config: unknown): { key: string; given: string; allowed: string }[] {
  try {
    resolvePlatformConfig(config, stackConfigKeys);
    return [];
  } catch (error) {
    return (error as { problems: { key: string; given: string; allowed: string }[] }).problems;
  }
}
