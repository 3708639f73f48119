import { parsePromQL } from "./support/promql";

describe("the PromQL check itself", () => {
  test("a syntax error is found; grammar alone accepts rate() of a plain selector", () => {
    expect(parsePromQL("sum(rate(x[5m]) by").errors.length).toBeGreaterThan(0);
    expect(parsePromQL(`x{a="b"`).errors.length).toBeGreaterThan(0);
    expect(parsePromQL("rate(up)").errors).toEqual([]);
  });

  test("metric names are collected from every selector, placeholders expanded", () => {
    const parsed = parsePromQL('sum by (<<.GroupBy>>) (avg_over_time(<<.Series>>{<<.LabelMatchers>>}[1m])) / on () b{x="y"}');
    expect(parsed.errors).toEqual([]);
    expect(parsed.metricNames).toEqual(["websocket_connections_active", "b"]);
    expect(parsePromQL("sum(rate(a[$__rate_interval])) + time()").metricNames).toEqual(["a"]);
  });
});
