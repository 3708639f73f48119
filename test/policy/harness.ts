import type { Policies, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicySubject } from "../../policy/lib/resources";

/** What a policy reported, as the CLI would print it. */
export interface Violation {
  policy: string;
  enforcementLevel: string;
  message: string;
  urn?: string;
}

/** A resource as the policies see it: type token, logical name and properties (mock-runner inputs, or a fixture). */
export interface Fixture {
  type: string;
  name: string;
  props: Record<string, any>;
}

export function urnOf(f: Fixture): string {
  return `urn:pulumi:test::websocket-platform::${f.type}::${f.name}`;
}

const opts = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };
const noTypeChecks = { isType: () => false, asType: () => undefined };

/**
 * Run policies the way the engine does — every resource policy over each resource, every stack policy once over
 * all of them — and collect what they report. `config` is per-policy config, as `--policy-pack-config` gives it.
 */
export async function runPolicies(policies: Policies, fixtures: Fixture[], config: Record<string, Record<string, unknown>> = {}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const subjects: PolicySubject[] = fixtures.map((f) => ({ ...f, urn: urnOf(f) }));
  for (const policy of policies) {
    const getConfig = <T extends object>() => (config[policy.name] ?? {}) as T;
    const notApplicable = (reason?: string): never => {
      throw new Error(`not applicable: ${reason}`);
    };
    const record = (urn?: string) => (message: string, reportedUrn?: string) =>
      violations.push({ policy: policy.name, enforcementLevel: policy.enforcementLevel ?? "advisory", message, urn: reportedUrn ?? urn });
    if ("validateStack" in policy) {
      const resources = subjects.map((s) => ({ ...s, opts, dependencies: [], propertyDependencies: {}, ...noTypeChecks })) as unknown as PolicyResource[];
      await (policy as StackValidationPolicy).validateStack({ resources, stackTags: new Map(), getConfig, notApplicable }, record());
    } else {
      const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
      for (const s of subjects) {
        for (const validate of validations) {
          await validate({ ...s, opts, stackTags: new Map(), getConfig, notApplicable, ...noTypeChecks } as never, record(s.urn));
        }
      }
    }
  }
  return violations;
}
