/** A page draws itself into `root` and returns what to undo when another page opens. */
export type Page = (root: HTMLElement, params: URLSearchParams) => () => void;

/** Re-runs `draw` after changes, at most one draw in flight (a burst of events is one redraw). */
export function redrawer(draw: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void draw().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}
