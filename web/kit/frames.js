// The frame loop: whatever arrives (engine frames, drags), the view draws the latest once per
// animation frame.
//   const schedule = frameLoop((latest) => draw(latest));
//   schedule(frame);   // many times a frame: one draw, with the last value
export function frameLoop(draw) {
  let latest = null;
  let pending = false;
  return (value) => {
    latest = value;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const v = latest;
      latest = null;
      if (v !== null) draw(v);
    });
  };
}
