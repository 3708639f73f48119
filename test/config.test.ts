import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { stackConfigKeys } from "../components/config/parse";
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
