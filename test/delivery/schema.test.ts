import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import YAML from "yaml";
import * as components from "../../components";
import { repoRoot } from "../../tools/stackConfig";

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));

/** The provider name the Node.js plugin host derives (@pulumi/pulumi cmd/run-plugin/run.js): package name, scope dropped. */
function hostProviderName(packageName: string): string {
  const match = /(@.*?\/)?(.+)/.exec(packageName)!;
  return match[2].replace(/[^-a-zA-Z0-9_]/g, "-");
}

// The same in-process path `pulumi package add` takes: every exported component, analysed from the TypeScript sources.
const exported = getPulumiComponents(components);
let schema: any;
beforeAll(async () => {
  const provider = new ComponentProvider({ components: exported, name: "websocket-platform", dirname: repoRoot });
  schema = JSON.parse(await provider.getSchema());
});

test("PulumiPlugin.yaml declares the Node.js runtime the package is written for", () => {
  const plugin = YAML.parse(fs.readFileSync(path.join(repoRoot, "PulumiPlugin.yaml"), "utf8"));
  expect(plugin.runtime.name).toBe("nodejs");
  // It runs the compiled package (no ts-node: consumers do not install our devDependencies).
  expect(plugin.runtime.options).toEqual({ typescript: false });
  expect(packageJson.main).toBe("dist/index.js");
});

test("every exported component is inferred, WebSocketPlatform among them", () => {
  expect(Object.keys(schema.resources).sort()).toEqual(exported.map((c) => `websocket-platform:index:${c.name}`).sort());
  expect(schema.resources).toHaveProperty(["websocket-platform:index:WebSocketPlatform"]);
});

test("WebSocketPlatform's inputs and outputs as other languages see them", () => {
  const platform = schema.resources["websocket-platform:index:WebSocketPlatform"];
  expect(platform.isComponent).toBe(true);
  expect(platform.requiredInputs).toEqual(["app", "ingress"]);
  expect(Object.keys(platform.inputProperties)).toEqual(["environment", "namespace", "app", "ingress", "tls", "mesh", "autoscaling", "monitoring", "networkPolicy", "smokeTest"]);
  expect(platform.properties).toEqual({
    namespace: { type: "string" },
    serviceName: { type: "string" },
    urls: { type: "array", items: { type: "string" } },
    troubleshooting: { type: "string", description: "Troubleshooting commands with this platform's real names (`pulumi stack output troubleshooting`)." },
    reference: { $ref: "#/types/websocket-platform:index:ClusterReference", description: "The cluster part's reference, for app stacks that join this cluster later." },
    controllerService: { $ref: "#/types/websocket-platform:index:ControllerServiceRef", optional: true },
  });
  // The cluster and app parts are components other languages can use on their own, joined by the plain reference.
  const cluster = schema.resources["websocket-platform:index:WebSocketCluster"];
  const service = schema.resources["websocket-platform:index:WebSocketService"];
  expect(Object.keys(cluster.properties).sort()).toEqual(["controllerService", "reference"]);
  expect([...service.requiredInputs].sort()).toEqual(["app", "cluster", "ingress"]);
  expect(service.inputProperties.cluster.$ref).toBe("#/types/websocket-platform:index:ClusterReference");
  expect(Object.keys(schema.types["websocket-platform:index:IngressRouteArgs"].properties).sort()).toEqual(["allowMissingOrigin", "allowedOrigins", "connectTimeoutSeconds", "cors", "hosts", "maxConnectionsPerClient", "rateLimit", "sessionAffinity"]);
  // String-literal choices become schema enums, so a YAML or Python program gets them checked.
  expect(schema.types["websocket-platform:index:Environment"].enum.map((e: { value: string }) => e.value)).toEqual(["dev", "staging", "prod"]);
  expect(schema.types["websocket-platform:index:IngressControllerName"].enum.map((e: { value: string }) => e.value)).toEqual(["nginx", "traefik", "haproxy", "nginx-gateway-fabric", "istio"]);
  // Data may be an Input (not plain); structural choices are plain values.
  expect(schema.types["websocket-platform:index:AppArgs"].properties.image).toEqual({ type: "string", description: expect.any(String) });
  expect(platform.inputProperties.environment.plain).toBe(true);
});

test("the generated schema matches the committed snapshot (a change to any Args interface shows up here)", () => {
  expect({ ...schema, version: "(package.json version)" }).toMatchSnapshot();
});

// The Node.js plugin host names the provider after package.json's name without its scope; the tokens say `websocket-platform`.
test("package.json's name gives the provider name the type tokens use", () => {
  expect(hostProviderName(packageJson.name)).toBe("websocket-platform");
});

/** A Pulumi package schema type as JSON Schema, strict like Pulumi YAML's type checker (unknown keys rejected). */
function jsonSchemaOf(prop: any): any {
  if (prop.$ref?.startsWith("#/types/")) return { $ref: `#/definitions/${prop.$ref.split(":").pop()}` };
  if (prop.$ref === "pulumi.json#/Any") return {};
  if (prop.type === "array") return { type: "array", items: jsonSchemaOf(prop.items) };
  if (prop.type === "object") return { type: "object", additionalProperties: jsonSchemaOf(prop.additionalProperties ?? {}) };
  return prop.type ? { type: prop.type } : {};
}

function objectSchema(properties: Record<string, any>, required: string[] = []): any {
  return {
    type: "object",
    additionalProperties: false,
    required,
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, jsonSchemaOf(v)])),
  };
}

describe("examples/yaml", () => {
  const program = YAML.parse(fs.readFileSync(path.join(repoRoot, "examples/yaml/Pulumi.yaml"), "utf8"));
  const resource = program.resources.chat;

  test("uses the package by path and a type the schema defines", () => {
    expect(program.runtime).toBe("yaml");
    expect(program.packages).toEqual({ "websocket-platform": "../.." });
    expect(Object.keys(schema.resources)).toContain(resource.type);
    for (const out of Object.values(program.outputs) as string[]) {
      expect(Object.keys(schema.resources[resource.type].properties)).toContain(/^\$\{chat\.(\w+)\}$/.exec(out)![1]);
    }
  });

  test("its properties type-check against the generated schema, and the schema rejects an unknown key", () => {
    const definitions = Object.fromEntries(
      Object.entries(schema.types as Record<string, any>).map(([token, t]) => [
        token.split(":").pop(),
        t.enum ? { enum: t.enum.map((e: { value: unknown }) => e.value) } : objectSchema(t.properties ?? {}, t.required),
      ]),
    );
    const platform = schema.resources[resource.type];
    const validate = new Ajv({ allErrors: true }).compile({ definitions, ...objectSchema(platform.inputProperties, platform.requiredInputs) });
    expect(validate(resource.properties) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...resource.properties, app: { ...resource.properties.app, replica: 2 } })).toBe(false);
    expect(validate({ ...resource.properties, ingress: { ...resource.properties.ingress, controller: "envoy" } })).toBe(false);
  });

  test("the component accepts its properties as they arrive through construct", () => {
    const { resolvePlatformConfig } = components;
    const { settings } = resolvePlatformConfig(resource.properties, { prefix: "WebSocketPlatform args." });
    expect(settings.app.connectionLifetimeSeconds).toBe(7200);
    expect(settings.ingress.controller).toBe("traefik");
  });
});
