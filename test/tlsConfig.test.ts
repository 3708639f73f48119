import * as pulumi from "@pulumi/pulumi";
import { stackConfigKeys } from "../components/config/parse";
import { resolvePlatformConfig } from "../components/config/resolve";
import { WebSocketPlatform } from "../components/platform";
import { WebSocketService } from "../components/service/webSocketService";
import { runProgram } from "../tools/mockRunner";
import { configErrorOf } from "./support/configErrors";

const base = {
  environment: "prod",
  app: { image: "ghcr.io/acme/chat:1.4.2" },
  ingress: { hosts: ["ws.example.com"] },
  tls: { email: "ops@example.org" } as Record<string, unknown>,
};

const errorOf = configErrorOf;

const withTls = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...base, ...extra, tls });

describe("tls defaults per environment", () => {
  test.each([
    ["dev", false, "selfsigned", false],
    ["staging", true, "letsencrypt-staging", false],
    ["prod", true, "letsencrypt", true],
  ] as const)("%s: enabled %s, issuer %s, cert-manager protected %s", (environment, enabled, issuer, protect) => {
    const { settings } = resolvePlatformConfig({ ...base, environment }, stackConfigKeys);
    expect(settings.tls).toMatchObject({ enabled, issuer, solver: "http01", certManager: { install: true, namespace: "cert-manager", protect } });
  });
});

describe("tls config errors name the key, the value and what is allowed", () => {
  test.each([
    ["missing email for Let's Encrypt", withTls({}), "tls.email", "nothing (the key is missing)", "an email address for the ACME account of tls.issuer letsencrypt"],
    ["malformed email", withTls({ email: "ops-at-example" }), "tls.email", '"ops-at-example"', "an email address"],
    ["unknown issuer", withTls({ email: "a@b.org", issuer: "zerossl" }), "tls.issuer", '"zerossl"', '"letsencrypt-staging", "letsencrypt", "selfsigned"'],
    ["dns01 without a provider", withTls({ email: "a@b.org", solver: "dns01" }), "tls.dns01", "nothing (the key is missing)", "a DNS-01 provider (cloudflare or route53)"],
    [
      "provider without its section",
      withTls({ email: "a@b.org", solver: "dns01", dns01: { provider: "route53" } }),
      "tls.dns01.route53",
      "nothing (the key is missing)",
      "the route53 settings",
    ],
    [
      "Secret reference without a name",
      withTls({ email: "a@b.org", solver: "dns01", dns01: { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { key: "token" } } } }),
      "tls.dns01.cloudflare.apiTokenSecretRef.name",
      "nothing (the key is missing)",
      "type string",
    ],
    [
      "wildcard host with HTTP-01",
      withTls({ email: "a@b.org" }, { ingress: { hosts: ["ws.example.com", "*.example.com"] } }),
      "tls.solver",
      '"http01"',
      '"dns01": HTTP-01 cannot issue wildcard certificates (*.example.com); set tls.solver to dns01 and configure tls.dns01',
    ],
    [
      "TLS off in prod without the acknowledgement",
      withTls({ enabled: false }),
      "tls.enabled",
      "false",
      "true in prod; to serve plain ws:// there anyway, also set tls.allowPlaintextOutsideDev to true",
    ],
  ])("%s", (_, raw, key, given, allowed) => {
    const problems = errorOf(raw).problems;
    expect(problems).toContainEqual({ key: `websocket-platform:${key}`, given, allowed: expect.stringContaining(allowed) });
  });

  test.each([
    ["Cloudflare token typed in", { provider: "cloudflare", cloudflare: { apiToken: "cf-Sup3rS3cr3t" } }, "tls.dns01.cloudflare.apiToken"],
    [
      "AWS keys typed in",
      {
        provider: "route53",
        route53: {
          region: "eu-west-1",
          accessKeyID: "AKIAEXAMPLEKEY123",
          secretAccessKey: "wJalrXUtnFEMI/K7MDENG",
          accessKeyIDSecretRef: { name: "r53" },
          secretAccessKeySecretRef: { name: "r53" },
        },
      },
      "tls.dns01.route53.secretAccessKey",
    ],
  ])("plain-text credentials are refused, and never echoed: %s", (_, dns01, key) => {
    const error = errorOf(withTls({ email: "a@b.org", solver: "dns01", dns01 }));
    expect(error.problems).toContainEqual({
      key: `websocket-platform:${key}`,
      given: "a value (not shown: it looks like a credential)",
      allowed: expect.stringContaining("a reference to a Secret (a ...SecretRef key), never the credential itself"),
    });
    for (const secret of ["cf-Sup3rS3cr3t", "AKIAEXAMPLEKEY123", "wJalrXUtnFEMI"]) expect(error.message).not.toContain(secret);
  });

  test("wildcard hosts are accepted with DNS-01, and with the selfsigned CA", () => {
    // A wildcard host names no single origin: the pages allowed to connect are listed (test/ingress/origins.test.ts).
    const wildcard = { ingress: { hosts: ["*.example.com"], allowedOrigins: ["https://app.example.com"] } };
    const dns01 = { provider: "cloudflare", cloudflare: { apiTokenSecretRef: { name: "cf" } } };
    expect(resolvePlatformConfig(withTls({ email: "a@b.org", solver: "dns01", dns01 }, wildcard), stackConfigKeys).settings.tls.solver).toBe("dns01");
    expect(resolvePlatformConfig(withTls({ issuer: "selfsigned" }, wildcard), stackConfigKeys).settings.tls.issuer).toBe("selfsigned");
  });

  test("the selfsigned issuer needs no email", () => {
    expect(resolvePlatformConfig(withTls({ issuer: "selfsigned" }), stackConfigKeys).settings.tls.email).toBeUndefined();
  });
});

describe("TLS off outside dev", () => {
  const plaintextProd = withTls({ enabled: false, allowPlaintextOutsideDev: true });

  test("with tls.allowPlaintextOutsideDev it resolves, with a warning naming both keys", () => {
    const { settings, warnings } = resolvePlatformConfig(plaintextProd, stackConfigKeys);
    expect(settings.tls.enabled).toBe(false);
    expect(warnings).toEqual([
      "TLS is off in prod (tls.enabled=false, tls.allowPlaintextOutsideDev=true): clients connect with ws:// and every message crosses the network in clear text.",
    ]);
  });

  test("dev is plain ws:// by default, without a warning", () => {
    expect(resolvePlatformConfig({ ...base, environment: "dev" }, stackConfigKeys).warnings).toEqual([]);
  });

  test("the warning is printed at preview, on the platform component", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      await runProgram(
        () => {
          new WebSocketPlatform("chat", plaintextProd as never);
          return {};
        },
        { stack: "tls-test", config: {} },
      );
      const printed = warn.mock.calls.filter(([message]) => String(message).startsWith("TLS is off in prod"));
      expect(printed).toHaveLength(1);
      expect(printed[0][1]).toBeInstanceOf(WebSocketService);
    } finally {
      warn.mockRestore();
    }
  });
});
