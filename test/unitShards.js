/**
 * The unit layer's test files and how `npm test` runs them. Jest gives every test file its own module registry, and
 * loading @pulumi/pulumi, @pulumi/kubernetes, zod and our components again for each of 46 files was half the layer's
 * CPU time; a shard (test/shards/<n>.ts) runs its files one after another in one registry, each in its own describe.
 * Every file still runs alone: `npm run test:file -- <path>` (jest.files.config.js). Shards are balanced by measured
 * time; test/unitShards.test.ts fails when a test file is in none, or in two.
 */
module.exports = {
  shards: [
    [
      "controllerMeshEnrolment.test.ts",
      "echo-server/behaviour.test.ts",
      "ingress/combinations.test.ts",
      "ingress/haproxy.test.ts",
      "ingress/nginx.test.ts",
      "meshMatrix.test.ts",
      "networkPolicies.test.ts",
      "networkPolicyEvaluator.test.ts",
      "policy/policyPackProcess.test.ts",
      "policy/renderedStacks.test.ts",
      "renderCache.test.ts",
      "sharedCluster.test.ts",
      "smoke/wssCheck.test.ts",
    ],
    [
      "delivery/bench.test.ts",
      "delivery/workflow.test.ts",
      "echo-server/origin.test.ts",
      "fuzz/validConfigs.1.test.ts",
      "load/k6Script.test.ts",
      "mesh.test.ts",
      "monitoring.test.ts",
      "renderManifests.test.ts",
      "smoke/smokeTest.test.ts",
      "webSocketApp.test.ts",
    ],
    [
      "config.test.ts",
      "echo-server/devStackOrigin.test.ts",
      "echo-server/settings.test.ts",
      "fuzz/brokenConfigs.test.ts",
      "hostsInput.test.ts",
      "ingress/nginx-gateway-fabric.test.ts",
      "ingress/origins.test.ts",
      "promqlSupport.test.ts",
      "smoke/smokeWiring.test.ts",
      "stacks.test.ts",
      "tls.test.ts",
    ],
    [
      "autoscaling.test.ts",
      "echo-server/heartbeat.test.ts",
      "echo-server/image.test.ts",
      "ingress/traefik.test.ts",
      "inputs.test.ts",
      "metricsContract.test.ts",
      "policy/badFixtures.test.ts",
      "render.test.ts",
      "smoke/runbook.test.ts",
      "smoke/smokeNetworkPolicy.test.ts",
      "tlsConfig.test.ts",
      "unitShards.test.ts",
    ],
  ],
  // Run as jest runs any file: its snapshot file is keyed by its own path.
  alone: ["delivery/schema.test.ts"],
  // Test files of another layer only.
  elsewhere: { "fuzz/validConfigs.2.test.ts": "npm run test:fuzz (the second fuzz shard)" },
};
