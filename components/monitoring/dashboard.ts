import { createHash } from "crypto";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { MetricsScope, queries } from "../metrics/queries";

/** The Grafana SDK's modules, loaded on the first dashboard built: loading them took longer than the rest of the package. */
function grafanaSdk() {
  return {
    common: require("@grafana/grafana-foundation-sdk/common") as typeof import("@grafana/grafana-foundation-sdk/common"),
    dashboard: require("@grafana/grafana-foundation-sdk/dashboard") as typeof import("@grafana/grafana-foundation-sdk/dashboard"),
    stat: require("@grafana/grafana-foundation-sdk/stat") as typeof import("@grafana/grafana-foundation-sdk/stat"),
    timeseries: require("@grafana/grafana-foundation-sdk/timeseries") as typeof import("@grafana/grafana-foundation-sdk/timeseries"),
  };
}

/** Grafana's own range for rate(): at least four scrape intervals, whatever the zoom. */
export const grafanaRateInterval = "$__rate_interval";

/** Every panel queries the data source picked in the dashboard's `datasource` variable. */
const datasource = { type: "prometheus", uid: "${datasource}" };

export interface DashboardInputs {
  scope: MetricsScope;
  title: string;
  /** The autoscaler's target per pod, drawn beside the capacity; undefined without autoscaling. */
  targetConnectionsPerPod?: number;
}

/** Grafana dashboard uids are at most 40 characters; this one is stable per namespace and Service. */
export function dashboardUid(scope: Pick<MetricsScope, "namespace" | "service">): string {
  const readable = `ws-${scope.namespace}-${scope.service}`;
  if (readable.length <= 40) return readable;
  return `${readable.slice(0, 31)}-${createHash("sha256").update(readable).digest("hex").slice(0, 8)}`;
}

/** A Prometheus target, typed by the SDK's model: its prometheus module loads the v2 dashboard models too (131 files). */
function query(expr: string, legend: string, refId: string): cog.Builder<prometheus.Dataquery> {
  const target: prometheus.Dataquery = { expr, legendFormat: legend, refId, datasource, _implementsDataqueryVariant: () => undefined };
  return { build: () => target };
}

function statPanel(title: string, description: string, expr: string, unit: string) {
  const { common, stat } = grafanaSdk();
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]))
    .graphMode(common.BigValueGraphMode.Area)
    .withTarget(query(expr, title, "A"))
    .height(4)
    .span(6);
}

function timeseriesPanel(title: string, description: string, unit: string) {
  const { common, timeseries } = grafanaSdk();
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasource)
    .unit(unit)
    .min(0)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .height(8)
    .span(12);
}

/**
 * The app's dashboard as a Grafana dashboard model (what file provisioning and the sidecar load; the guide's
 * `{"dashboard": …}` wrapper is the HTTP API's payload and is not loaded from a ConfigMap).
 */
export function webSocketDashboard({ scope, title, targetConnectionsPerPod }: DashboardInputs): dashboard.Dashboard {
  const { dashboard } = grafanaSdk();
  const w = grafanaRateInterval;
  const perPod = timeseriesPanel(
    "Connections per pod against capacity",
    "Open connections on each pod; the capacity line is where a pod refuses upgrades, the target line is where the autoscaler adds pods.",
    "short",
  )
    .withTarget(query(queries.activeConnectionsByPod(scope), "{{pod}}", "A"))
    .withTarget(query(queries.capacityPerPod(scope), "capacity", "B"));
  if (targetConnectionsPerPod !== undefined) perPod.withTarget(query(`vector(${targetConnectionsPerPod})`, "autoscaling target", "C"));

  const replicas = timeseriesPanel("Replicas", "Pods of the Deployment, ready pods, and what the autoscaler wants.", "short")
    .withTarget(query(queries.replicas(scope), "replicas", "A"))
    .withTarget(query(queries.readyReplicas(scope), "ready", "B"));
  if (scope.hpa !== undefined) {
    replicas.withTarget(query(queries.hpaDesiredReplicas(scope), "desired (autoscaler)", "C"));
    replicas.withTarget(query(queries.hpaMaxReplicas(scope), "max (autoscaler)", "D"));
  }

  return new dashboard.DashboardBuilder(title)
    .uid(dashboardUid(scope))
    .tags(["websocket", "websocket-platform"])
    .editable()
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(new dashboard.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"))
    .withRow(new dashboard.RowBuilder("Overview"))
    .withPanel(statPanel("Active connections", "Open WebSocket connections over all pods.", queries.activeConnections(scope), "short"))
    .withPanel(statPanel("Capacity used", "Open connections over the pods' total connection capacity.", queries.capacityUsedRatio(scope), "percentunit"))
    .withPanel(statPanel("Ready pods", "Ready replicas of the Deployment (kube-state-metrics).", queries.readyReplicas(scope), "short"))
    .withPanel(statPanel("Errors per second", "WebSocket errors of every kind.", queries.errorsRate(scope, w), "ops"))
    .withRow(new dashboard.RowBuilder("Connections"))
    .withPanel(
      timeseriesPanel(
        "Connections opened and closed",
        "Upgrades completed and connections closed per second; a closed spike after a rollout is a reconnect storm.",
        "ops",
      )
        .withTarget(query(queries.openedRate(scope, w), "opened", "A"))
        .withTarget(query(queries.closedRate(scope, w), "closed", "B")),
    )
    .withPanel(perPod)
    .withRow(new dashboard.RowBuilder("Messages and errors"))
    .withPanel(
      timeseriesPanel("Messages per second", "Data messages received from and sent to clients.", "ops").withTarget(
        query(queries.messagesRateByDirection(scope, w), "{{direction}}", "A"),
      ),
    )
    .withPanel(
      timeseriesPanel("Errors per second", "Failed upgrades (handshake), protocol violations and server faults (internal).", "ops").withTarget(
        query(queries.errorsRateByKind(scope, w), "{{kind}}", "A"),
      ),
    )
    .withRow(new dashboard.RowBuilder("Scaling"))
    .withPanel(replicas)
    .build();
}
