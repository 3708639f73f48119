import { plaintextNeedsAcknowledgement, plaintextWarning, wildcardNeedsDns01 } from "../../tls/checks";
import { knownHosts } from "../knownHosts";
import { PlatformRule, PlatformWarning, RuleProblem } from "./types";

const inTls = (problems: RuleProblem[]): RuleProblem[] => problems.map((p) => ({ ...p, path: ["tls", ...p.path] }));

/** Wildcard hosts need DNS-01; TLS off outside dev needs tls.allowPlaintextOutsideDev. */
export const tlsRules: PlatformRule[] = [
  // Hosts that are an Output are checked when they resolve (WebSocketService).
  (config) => inTls(wildcardNeedsDns01(config.tls, knownHosts(config.ingress.hosts) ?? [])),
  (config) => inTls(plaintextNeedsAcknowledgement(config.tls, config.environment)),
];

export const tlsWarnings: PlatformWarning[] = [(config) => plaintextWarning(config.tls, config.environment)];
