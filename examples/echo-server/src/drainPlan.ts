/** How a drain unfolds after SIGTERM, all derived from the drain window and the shutdown deadline. */
export interface DrainPlan {
  /** Offset (ms after SIGTERM) at which the k-th open connection gets its 1001 close frame. */
  closeAt: number[];
  /** How long one close handshake may take before the socket is destroyed (ws `closeTimeout`). */
  closeHandshakeMs: number;
  /** Offset after which remaining sockets are destroyed and the process exits, well before SIGKILL. */
  hardExitMs: number;
}

/**
 * Spreads `connections` closes evenly over the window (the first at once, the last one slot before the end), so
 * clients reconnect at a steady rate instead of all at once. Half of the margin between the window and SIGKILL is
 * left for the last close handshakes, and the process gives up at three quarters of it.
 */
export function drainPlan(connections: number, drainWindowSeconds: number, shutdownDeadlineSeconds: number): DrainPlan {
  const windowMs = drainWindowSeconds * 1000;
  const marginMs = (shutdownDeadlineSeconds - drainWindowSeconds) * 1000;
  if (marginMs <= 0) throw new RangeError("the shutdown deadline must be later than the drain window");
  const step = connections > 0 ? windowMs / connections : 0;
  return {
    closeAt: Array.from({ length: connections }, (_, k) => Math.floor(k * step)),
    closeHandshakeMs: Math.max(1, Math.floor(marginMs / 2)),
    hardExitMs: windowMs + Math.floor((marginMs * 3) / 4),
  };
}

/** Close handshake timeout for the server as a whole (the same for every drain). */
export function closeHandshakeMs(drainWindowSeconds: number, shutdownDeadlineSeconds: number): number {
  return drainPlan(0, drainWindowSeconds, shutdownDeadlineSeconds).closeHandshakeMs;
}
