import { ControllerService, clusterServiceOf, controllerService, derivedSmokeTestAddress, smokeTestAddress } from "../../smoke/controllerService";
import { PlatformSettings } from "../schema/platform";
import { PlatformRule, PlatformWarning, RuleProblem } from "./types";

/** The self-signed issuer's CA is mounted for the check; the Job takes one extra CA source. */
const oneExtraCa: PlatformRule = (config) =>
  config.smokeTest.enabled && config.tls.enabled && config.tls.issuer === "selfsigned" && config.smokeTest.caPem !== undefined
    ? [{ path: ["smokeTest", "caPem"], given: "PEM text", allowed: "nothing with tls.issuer selfsigned (its CA is trusted already)" }]
    : [];

/** An in-cluster address must be the chosen controller's Service: after a controller switch an old one dials nothing. */
const addressIsTheControllersService: PlatformRule = (config) => {
  const { address } = config.smokeTest;
  const service = controllerService(config);
  const named = address === undefined ? undefined : clusterServiceOf(address);
  if (!named || !service) return [];
  const ports = [service.httpPort, service.httpsPort];
  if (named.name === service.name && named.namespace === service.namespace && ports.includes(named.port)) return [];
  const problem: RuleProblem = {
    path: ["smokeTest", "address"],
    given: address,
    allowed:
      `${smokeTestAddress(service, config.tls.enabled)} (the ${config.ingress.controller} controller's Service; ` +
      "leave smokeTest.address unset and it is derived), or an address outside the cluster such as the load balancer's",
  };
  return [problem];
};

export const smokeTestRules: PlatformRule[] = [oneExtraCa, addressIsTheControllersService];

/** The port a fixed address dials, and whether it is the plain-HTTP or the HTTPS one of what it reaches. */
function fixedAddressScheme(config: PlatformSettings): "http" | "https" | undefined {
  const { address } = config.smokeTest;
  if (address === undefined) return undefined;
  const port = Number(address.slice(address.lastIndexOf(":") + 1));
  const service = clusterServiceOf(address) ? controllerService(config) : undefined;
  const [http, https] = service ? [service.httpPort, service.httpsPort] : [80, 443];
  return port === http ? "http" : port === https ? "https" : undefined;
}

/** Let's Encrypt staging certificates chain to roots no client trusts: the check cannot pass without them. */
const stagingRootsUntrusted: PlatformWarning = (config) =>
  config.smokeTest.enabled && config.tls.enabled && config.tls.issuer === "letsencrypt-staging" && config.smokeTest.caPem === undefined
    ? [
        "The smoke test will fail certificate verification: tls.issuer letsencrypt-staging signs with roots no client trusts. " +
          "Put Let's Encrypt's staging roots (letsencrypt.org/docs/staging-environment) in smokeTest.caPem, or set smokeTest.enabled=false.",
      ]
    : [];

/** A fixed address on the wrong side of TLS: a TLS handshake to a plain-HTTP port (or ws:// to the HTTPS port) never succeeds. */
const addressMatchesTls: PlatformWarning = (config) => {
  const scheme = config.smokeTest.enabled ? fixedAddressScheme(config) : undefined;
  const wanted = config.tls.enabled ? "https" : "http";
  if (scheme === undefined || scheme === wanted) return [];
  const derived = derivedSmokeTestAddress(config);
  const port = scheme === "http" ? "a plain-HTTP port" : "an HTTPS port";
  const speaks = config.tls.enabled ? "starts a TLS handshake (wss://)" : "speaks plain ws://";
  return [
    `The smoke test cannot pass: smokeTest.address ${config.smokeTest.address} is ${port}, but tls.enabled is ${config.tls.enabled}, ` +
      `so the check ${speaks} there. ` +
      (derived ? `Unset smokeTest.address (it becomes ${derived}) or dial the ${wanted.toUpperCase()} port.` : `Dial the ${wanted.toUpperCase()} port.`),
  ];
};

export const smokeTestWarnings: PlatformWarning[] = [stagingRootsUntrusted, addressMatchesTls];

/** Settings with the smoke test's address derived from the controller when the user gave none. */
export function withDerivedSmokeTestAddress(settings: PlatformSettings, service: ControllerService | undefined = controllerService(settings)): PlatformSettings {
  if (!settings.smokeTest.enabled || settings.smokeTest.address !== undefined) return settings;
  const address = service ? smokeTestAddress(service, settings.tls.enabled) : undefined;
  return address === undefined ? settings : { ...settings, smokeTest: { ...settings.smokeTest, address } };
}
