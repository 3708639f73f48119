import { platformPolicies } from "../../policy/policies";
import { settingsFromStackConfig } from "../../policy/settings";
import { webSocketWorkloads } from "../../policy/lib/workloads";
import { ProgramRun } from "../../tools/mockRunner";
import { runStack } from "../support/render";
import { applyOverrides, readStackFile, stackNames, toRuntimeConfig } from "../../tools/stackConfig";
import { Fixture, runPolicies, urnOf } from "./harness";

/** What the engine would hand the policy pack: every custom resource, with the inputs it registered. */
function policyView(run: ProgramRun): Fixture[] {
  return run.resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}

describe.each(stackNames())("stack %s", (stack) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  test("the policies see its WebSocket Deployment (they do not pass vacuously)", () => {
    const view = policyView(run);
    const workloads = webSocketWorkloads(view.map((f) => ({ ...f, urn: urnOf(f) })));
    expect(workloads.map((w) => w.deployment.props.metadata.name)).toEqual(["echo"]);
  });

  test("every policy passes", async () => {
    const settings = settingsFromStackConfig(toRuntimeConfig(readStackFile(stack)), stack);
    expect(settings.environment).toBe(stack);
    const view = policyView(run);
    const violations = await runPolicies(platformPolicies(settings), view);
    expect(violations).toEqual([]);
  });
});

// A mandatory policy that fires on the component's own output would block every preview.
describe("prod with every controller, route API and issuer: every policy passes", () => {
  test.each([
    [["ingress.controller=nginx"]],
    [["ingress.controller=haproxy"]],
    [["ingress.api=gateway"]],
    [["ingress.controller=nginx-gateway-fabric"]],
    [["ingress.controller=istio", "mesh.provider=istio"]],
    [["ingress.controller=istio", "mesh.provider=istio", "tls.issuer=selfsigned"]],
    [["ingress.controller=haproxy", "mesh.provider=linkerd", "ingress.sessionAffinity=true"]],
    [["ingress.controller=nginx", "mesh.provider=istio", "ingress.sessionAffinity=true", "mesh.istio.loadBalancing.sessionAffinity=true"]],
    [["mesh.provider=istio", "ingress.sessionAffinity=true", "mesh.istio.loadBalancing.sessionAffinity=true"]],
    [["ingress.controller=haproxy", "mesh.provider=istio", "ingress.sessionAffinity=true", "mesh.istio.loadBalancing.sessionAffinity=true"]],
  ])("%j", async (overrides) => {
    const run = await runStack("prod", overrides);
    const view = policyView(run);
    expect(webSocketWorkloads(view.map((f) => ({ ...f, urn: urnOf(f) })))).toHaveLength(1);
    const settings = settingsFromStackConfig(toRuntimeConfig(applyOverrides(readStackFile("prod"), overrides, "websocket-platform")), "prod");
    const violations = await runPolicies(platformPolicies(settings), view);
    expect(violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
  });
});

