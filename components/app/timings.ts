import { AppSettings } from "../config/schema/app";

/** Seconds between the end of the drain window and SIGKILL, so the app exits on its own before the kubelet kills it. */
export const exitMarginSeconds = 5;

/** The pod's termination timeline, derived once from config: preStop wait, then SIGTERM and the drain window, then the margin. */
export interface DrainTimeline {
  preStopSeconds: number;
  drainWindowSeconds: number;
  terminationGracePeriodSeconds: number;
}

export function drainTimeline(app: Pick<AppSettings, "drain">): DrainTimeline {
  const { preStopSeconds, windowSeconds } = app.drain;
  return {
    preStopSeconds,
    drainWindowSeconds: windowSeconds,
    terminationGracePeriodSeconds: preStopSeconds + windowSeconds + exitMarginSeconds,
  };
}
