// Config is read from PULUMI_CONFIG once; the mock runner replaces it per run with setAllConfig.
process.env.PULUMI_CONFIG = process.env.PULUMI_CONFIG ?? "{}";
