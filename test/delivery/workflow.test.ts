import { validateWorkflow } from "@action-validator/core";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { repoRoot, stackNames } from "../../tools/stackConfig";

const file = path.join(repoRoot, ".github/workflows/preview.yml");
const text = fs.readFileSync(file, "utf8");
const workflow = YAML.parse(text);
const steps = (job: string): any[] => workflow.jobs[job].steps;
const uses = (job: string, action: string) => steps(job).find((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));

describe("the real linter (action-validator, SchemaStore's workflow schema)", () => {
  test("accepts preview.yml", () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  test("rejects a broken copy, so the check above can fail", () => {
    const broken = text.replace("  pull_request:\n", "  pull_requests:\n").replace("      pull-requests: write", "      pull-requests: wrte");
    expect(broken).not.toEqual(text);
    const errors = validateWorkflow(broken).errors as { path?: string }[];
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(["/on"]));
    expect(JSON.stringify(errors)).toContain("/jobs/preview/permissions");
  });
});

test("runs on pull requests with no default permissions and least privilege per job", () => {
  expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
  expect(workflow.permissions).toEqual({});
  expect(workflow.jobs.test.permissions).toEqual({ contents: "read" });
  // The PR comment goes through the issues API on the pull request: pull-requests: write, nothing else.
  expect(workflow.jobs.preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
});

test("every action is pinned to a full commit SHA with its tag in a comment, pulumi/actions at the current major", () => {
  const all = Object.keys(workflow.jobs).flatMap((j) => steps(j)).filter((s) => s.uses);
  for (const step of all) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  for (const line of text.split("\n").filter((l) => l.includes("uses:"))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  expect(text).toContain("uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0");
});

test("tests, then renders every stack and attaches the rendered diff", () => {
  const run = steps("test").map((s) => s.run ?? "").join("\n");
  expect(run).toMatch(/^npm ci$/m);
  expect(run).toContain("npx jest --ci");
  // The slow layers run too, and helm is there before render so the diff shows each chart's objects.
  expect(run).toContain("npm run test:fuzz -- --ci");
  expect(run).toContain("npm run test:sockets -- --ci");
  expect(run).toContain("npm run test:charts -- --ci");
  expect(run).toContain("npm run test:package");
  expect(run.indexOf("npm run helm")).toBeLessThan(run.indexOf("npm run --silent render"));
  // The tests read ../shared: the job checks it out from a repository variable and moves it beside the repository.
  const shared = steps("test").find((st) => st.with?.path === ".shared");
  expect(shared.with.repository).toBe("${{ vars.SHARED_DATA_REPOSITORY }}");
  expect(run).toMatch(/^mv \.shared \.\.\/shared$/m);
  expect(steps("test").findIndex((st) => st === shared)).toBeLessThan(steps("test").findIndex((st) => st.run === "npx jest --ci"));
  expect(run).toContain("npm run --silent render");
  expect(run).toContain("diff -ruN -x .websocket-platform-render.json out/base out/head > out/rendered.diff");
  expect(run).toContain("$GITHUB_STEP_SUMMARY");
  expect(uses("test", "actions/upload-artifact").with.path).toContain("out/rendered.diff");
});

test("previews each stack with the policy pack, a shared backend, a PR comment and secrets from repository secrets", () => {
  const job = workflow.jobs.preview;
  expect(job.needs).toBe("test");
  expect(job.strategy.matrix.include.map((m: any) => m.stack).sort()).toEqual(stackNames());
  const run = steps("preview").map((s) => s.run ?? "").join("\n");
  expect(run).toContain("npm ci --prefix policy");
  const pulumi = uses("preview", "pulumi/actions");
  expect(pulumi.with).toMatchObject({ command: "preview", "comment-on-pr": true, policyPacks: "policy", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" });
  expect(pulumi.with["stack-name"]).toContain("matrix.stack");
  expect(pulumi.env.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
  expect(text).toMatch(/file:\/\/ backend on a fresh runner has no state/);
  // Fork pull requests get no secrets: the preview job skips them instead of failing.
  expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
});
