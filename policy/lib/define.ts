import type { ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { configString, subjectsOf } from "./policyArgs";
import { PolicySubject } from "./resources";

/** One problem, on the resource it is reported against. */
export interface Finding {
  subject: PolicySubject;
  message: string;
}

type PolicyInfo = Pick<StackValidationPolicy, "name" | "description" | "enforcementLevel" | "configSchema">;

/** A stack policy from a function that lists the findings over all resources (and may read the policy's config). */
export function stackPolicy(info: PolicyInfo, findings: (subjects: PolicySubject[], args: StackValidationArgs) => Finding[]): StackValidationPolicy {
  return {
    ...info,
    validateStack: (args, report) => {
      for (const f of findings(subjectsOf(args), args)) report(f.message, f.subject.urn);
    },
  };
}

/** A resource policy from a function that lists what is wrong with one resource, reported as one message. */
export function resourcePolicy(info: PolicyInfo, findings: (subject: PolicySubject) => string[], message: (found: string[]) => string): ResourceValidationPolicy {
  return {
    ...info,
    validateResource: (args, report) => {
      const found = findings({ type: args.type, name: args.name, urn: args.urn, props: args.props });
      if (found.length > 0) report(message(found));
    },
  };
}

/** The `environment` key of a policy's config (`--policy-pack-config`), for policies that skip dev. */
export const environmentConfigSchema = { properties: { environment: { type: "string" as const, enum: ["dev", "staging", "prod"] } } };

/** The findings, each marked with the environment that requires the fix; none in dev. */
export function outsideDev(settings: { environment: string }, args: { getConfig<T extends object>(): T }, findings: Finding[], requires: string): Finding[] {
  const environment = configString(args, "environment", settings.environment);
  if (environment === "dev") return [];
  return findings.map((f) => ({ ...f, message: `${f.message} (environment ${environment} ${requires}.)` }));
}
