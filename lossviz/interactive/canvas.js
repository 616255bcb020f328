// The browser side of lossviz.interactive._canvas.LayeredCanvas (an anywidget ESM module).
//
// Matplotlib's PNG of what does not move is shown as an <img>; a <canvas> over it draws the
// moving layers from float32 buffers, mapping data to pixels as the figure's axes do. Frames
// prefetched by Python are switched here when a key slider moves, without a kernel round trip,
// and only while their stamp (version and context widgets' values) is the current one. A frame
// may name a background sent once beforehand (e.g. the landscape for another λ): it is shown with
// the frame's layers in the same animation frame, and the frame is not used until it is decoded.
//
// For the browser tests the layers' <canvas> keeps, like the tests' drawImage hook does for
// ipympl: __lvPaints (a count), __lvTimes (the last 64 paint times, taken in the animation frame
// after the draw) and __lvLog (what each paint showed: its key and whether it was a frame).

const MOVETO = 1, LINETO = 2, CURVE3 = 3, CURVE4 = 4, CLOSEPOLY = 79;
const REF = "IPY_MODEL_";
const FAR = 4096; // image pixels beyond the picture to which segments are clipped
const RESIZE_DEBOUNCE_MS = 150;
const MAX_FRAMES = 2048; // as lossviz.interactive._canvas.MAX_FRAMES: the oldest go first
// as lossviz.interactive._canvas.MAX_FRAME_BACKGROUNDS: backgrounds sent for frames, kept decoded;
// the oldest sent goes first (Python mirrors the list)
const MAX_FRAME_BACKGROUNDS = 8;

function floats(view) {
  if (!view) return new Float32Array(0);
  if (view instanceof Float32Array) return view;
  const { buffer, byteOffset, byteLength } = view;
  if (byteOffset % 4 === 0) return new Float32Array(buffer, byteOffset, byteLength >> 2);
  return new Float32Array(buffer.slice(byteOffset, byteOffset + byteLength));
}

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function scaleFunction(scale) {
  if (!scale || scale.kind === "linear") return [(v) => v, (t) => t];
  const lb = Math.log(scale.base);
  const clip = scale.clip !== false;
  // matplotlib's LogTransform: values <= 0 go to -1000 (clip) or are left out (mask)
  const f = (v) => (v > 0 ? Math.log(v) / lb : v !== v ? NaN : clip ? -1000 : NaN);
  return [f, (t) => Math.exp(t * lb)];
}

// Data -> image pixels (y down) for one axes, and back: matplotlib's transData, flipped.
function axesMapper(ax, figure) {
  const [fx, ix] = scaleFunction(ax.xscale);
  const [fy, iy] = scaleFunction(ax.yscale);
  const x0 = fx(ax.xlim[0]), x1 = fx(ax.xlim[1]);
  const y0 = fy(ax.ylim[0]), y1 = fy(ax.ylim[1]);
  const bottom = ax.top + ax.height;
  return {
    data: {
      x: (v) => ax.left + ((fx(v) - x0) / (x1 - x0)) * ax.width,
      y: (v) => bottom - ((fy(v) - y0) / (y1 - y0)) * ax.height,
    },
    axes: { x: (v) => ax.left + v * ax.width, y: (v) => bottom - v * ax.height },
    figure: { x: (v) => v * figure.width, y: (v) => figure.height - v * figure.height },
    invert: (px, py) => [ix(x0 + ((px - ax.left) / ax.width) * (x1 - x0)),
                         iy(y0 + ((bottom - py) / ax.height) * (y1 - y0))],
    box: ax,
  };
}

// Liang-Barsky: the part of segment (x0,y0)-(x1,y1) inside the box, or null.
function clipSegment(x0, y0, x1, y1, xmin, ymin, xmax, ymax) {
  let t0 = 0, t1 = 1;
  const dx = x1 - x0, dy = y1 - y0;
  const edges = [[-dx, x0 - xmin], [dx, xmax - x0], [-dy, y0 - ymin], [dy, ymax - y0]];
  for (const [p, q] of edges) {
    if (p === 0) { if (q < 0) return null; continue; }
    const r = q / p;
    if (p < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
    else { if (r < t0) return null; if (r < t1) t1 = r; }
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy, t0 > 0, t1 < 1];
}

const IDENTITY = { x: (v) => v, y: (v) => v };

// The polyline in image pixels; snapped to the grid when all its segments are horizontal or
// vertical (a threshold, a step), as Agg's draw_path does.
function snappedPolyline(xy, map, strokePx) {
  const n = xy.length >> 1;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = map.x(xy[2 * i]); ys[i] = map.y(xy[2 * i + 1]); }
  const finite = xs.every(Number.isFinite) && ys.every(Number.isFinite);
  if (finite && snapsToPixels(xs, ys, null)) {
    const sv = snapValue(strokePx);
    for (let i = 0; i < n; i++) { xs[i] = Math.floor(xs[i] + 0.5) + sv; ys[i] = Math.floor(ys[i] + 0.5) + sv; }
  }
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { out[2 * i] = xs[i]; out[2 * i + 1] = ys[i]; }
  return out;
}

function tracePolyline(ctx, xy, map, box) {
  const n = xy.length >> 1;
  const [xmin, ymin, xmax, ymax] = box;
  const inside = (x, y) => x >= xmin && x <= xmax && y >= ymin && y <= ymax;
  let px = NaN, py = NaN, pen = false;
  for (let i = 0; i < n; i++) {
    const x = map.x(xy[2 * i]), y = map.y(xy[2 * i + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; px = NaN; continue; }
    if (Number.isFinite(px) && inside(px, py) && inside(x, y)) {
      if (!pen) ctx.moveTo(px, py);
      ctx.lineTo(x, y); pen = true;
    } else if (Number.isFinite(px)) {
      const c = clipSegment(px, py, x, y, xmin, ymin, xmax, ymax);
      if (c) {
        if (!pen || c[4]) ctx.moveTo(c[0], c[1]);
        ctx.lineTo(c[2], c[3]);
        pen = !c[5];
      } else pen = false;
    }
    px = x; py = y;
  }
}

// matplotlib's Agg snaps an outline made only of horizontal and vertical segments (at most 1024
// vertices) to the pixel grid: pixel centres for an odd stroke width, pixel edges for an even one.
function snapsToPixels(xs, ys, codes) {
  if (xs.length > 1024) return false;
  for (let i = 1; i < xs.length; i++) {
    const code = codes ? codes[i] : LINETO;
    if (code === CURVE3 || code === CURVE4) return false;
    if (code === LINETO && Math.abs(xs[i] - xs[i - 1]) >= 1e-4 && Math.abs(ys[i] - ys[i - 1]) >= 1e-4) return false;
  }
  return xs.length > 0;
}

const snapValue = (strokePx) => (Math.round(strokePx) % 2 ? 0.5 : 0.0);

// A marker's outline at scale (image pixels per marker size), y down, snapped as Agg does it.
function markerOutline(shape, scale, strokePx) {
  const xs = shape.vertices.map((v) => v[0] * scale), ys = shape.vertices.map((v) => -v[1] * scale);
  if (snapsToPixels(xs, ys, shape.codes)) {
    const sv = snapValue(strokePx);
    for (let i = 0; i < xs.length; i++) { xs[i] = Math.floor(xs[i] + 0.5) + sv; ys[i] = Math.floor(ys[i] + 0.5) + sv; }
  }
  return { xs, ys, codes: shape.codes };
}

function traceOutline(ctx, outline, cx, cy) {
  const { xs, ys, codes } = outline;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === MOVETO) ctx.moveTo(cx + xs[i], cy + ys[i]);
    else if (code === LINETO) ctx.lineTo(cx + xs[i], cy + ys[i]);
    else if (code === CURVE3) {
      ctx.quadraticCurveTo(cx + xs[i], cy + ys[i], cx + xs[i + 1], cy + ys[i + 1]); i += 1;
    } else if (code === CURVE4) {
      ctx.bezierCurveTo(cx + xs[i], cy + ys[i], cx + xs[i + 1], cy + ys[i + 1], cx + xs[i + 2], cy + ys[i + 2]);
      i += 2;
    } else if (code === CLOSEPOLY) ctx.closePath();
    else if (code === 0) break;
  }
}

// Markers as Agg stamps them: the outline rendered once, placed at each point rounded to the
// pixel grid (matplotlib's draw_markers; a scatter with several sizes is drawn path by path).
function drawMarkers(ctx, shape, xy, map, sizes, ppp, view) {
  const n = xy.length >> 1;
  const fill = shape.filled && shape.face_alpha > 0 ? rgba(shape.face, shape.face_alpha) : null;
  const edge = shape.edgewidth > 0 && shape.edge_alpha > 0 ? rgba(shape.edge, shape.edge_alpha) : null;
  ctx.lineWidth = shape.edgewidth * ppp;
  ctx.lineJoin = shape.join; ctx.lineCap = shape.cap;
  ctx.setLineDash([]);
  const strokePx = shape.edgewidth * ppp;
  const oneSize = !sizes || sizes.every((s) => s === sizes[0]);
  let outline = null, outlineScale = NaN;
  for (let i = 0; i < n; i++) {
    let x = map.x(xy[2 * i]), y = map.y(xy[2 * i + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < -FAR || y < -FAR || x > view.width + FAR || y > view.height + FAR) continue;
    const scale = (sizes ? sizes[i] : shape.size) * ppp;
    if (scale !== outlineScale) { outline = markerOutline(shape, scale, strokePx); outlineScale = scale; }
    if (oneSize) { x = Math.floor(x + 0.5); y = Math.floor(y + 0.5); }
    ctx.beginPath();
    traceOutline(ctx, outline, x, y);
    if (fill) { ctx.fillStyle = fill; ctx.fill(); }
    if (edge) { ctx.strokeStyle = edge; ctx.stroke(); }
  }
}

function drawLayer(ctx, style, item, maps, geometry) {
  const ppp = geometry.px_per_pt;
  const map = style.coords === "figure" ? maps.figure : maps.axes[style.axes]?.[style.coords];
  if (!map) return;
  const xy = item.xy;
  if (style.kind === "text") {
    if (!item.text) return;
    const size = style.fontsize * ppp;
    ctx.font = `${style.style === "normal" ? "" : style.style + " "}${style.weight} ${size}px ${style.family}`;
    ctx.fillStyle = rgba(style.color, style.alpha);
    ctx.textAlign = style.ha;
    ctx.textBaseline = style.va;
    const lines = item.text.split("\n");
    const step = size * style.linespacing;
    const x = map.x(xy[0]);
    let y = map.y(xy[1]);
    if (style.va === "bottom" || style.va === "alphabetic") y -= step * (lines.length - 1);
    else if (style.va === "middle") y -= (step * (lines.length - 1)) / 2;
    lines.forEach((line, i) => ctx.fillText(line, x, y + i * step));
    return;
  }
  const view = { width: geometry.width, height: geometry.height };
  let box = [-FAR, -FAR, geometry.width + FAR, geometry.height + FAR];
  const ax = style.axes === null || style.axes === undefined ? null : geometry.axes[style.axes];
  if (style.clip && ax) {
    // clipped to its axes: cut the line just outside them. A diverging run's path, thousands of
    // pixels long off screen, made the browser rasterise (and dash) all of it: 50 ms a paint.
    const pad = (style.linewidth || 0) * ppp + 2;
    box = [ax.left - pad, ax.top - pad, ax.left + ax.width + pad, ax.top + ax.height + pad];
  }
  if (style.kind === "line") {
    if (style.linewidth > 0 && xy.length >= 4) {
      ctx.beginPath();
      tracePolyline(ctx, snappedPolyline(xy, map, style.linewidth * ppp), IDENTITY, box);
      ctx.lineWidth = style.linewidth * ppp;
      ctx.strokeStyle = rgba(style.color, style.alpha);
      ctx.lineCap = style.cap; ctx.lineJoin = style.join;
      ctx.setLineDash(style.dashes.map((d) => d * ppp));
      ctx.lineDashOffset = style.dash_offset * ppp;
      ctx.stroke();
    }
    if (style.marker) drawMarkers(ctx, style.marker, xy, map, null, ppp, view);
  } else if (style.kind === "scatter") {
    drawMarkers(ctx, style, xy, map, item.s, ppp, view);
  }
}

function sameFloats(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}

function sameItem(a, b) {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.text === b.text && a.ref === b.ref && sameFloats(a.xy, b.xy) && sameFloats(a.s, b.s);
}

// Image and segments layers are drawn under the background (whose faces are transparent there).
const UNDER = new Set(["image", "segments"]);

function bytesOf(view) {
  if (!view) return new Uint8Array(0);
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

// A stored image (palette index or RGBA, little-endian packed as Python sends it) as a canvas of
// one pixel per cell, made once.
function imageCanvas(entry) {
  if (entry.canvas) return entry.canvas;
  const [ny, nx] = entry.meta.shape;
  const c = document.createElement("canvas");
  c.width = nx; c.height = ny;
  const cx = c.getContext("2d");
  const data = cx.createImageData(nx, ny);
  const out = new Uint32Array(data.data.buffer);
  if (entry.meta.colors > 0) {
    const index = bytesOf(entry.buffers[0]);
    const pb = bytesOf(entry.buffers[1]);
    const palette = new Uint32Array(pb.slice().buffer);
    for (let i = 0; i < out.length; i++) out[i] = palette[index[i]];
  } else out.set(new Uint32Array(bytesOf(entry.buffers[0]).slice().buffer));
  cx.putImageData(data, 0, 0);
  entry.canvas = c;
  return c;
}

// An image layer cell by cell (matplotlib's "nearest"), row 0 at the extent's bottom for
// origin "lower" and at its top for "upper".
function drawImageLayer(ctx, style, entry, map) {
  const c = imageCanvas(entry);
  const [x0, x1, y0, y1] = style.extent;
  const lower = style.origin === "lower";
  const xa = map.x(x0), xb = map.x(x1);
  const ya = map.y(lower ? y0 : y1), yb = map.y(lower ? y1 : y0);
  if (![xa, xb, ya, yb].every(Number.isFinite)) return;
  ctx.imageSmoothingEnabled = false;
  ctx.translate(xa, ya);
  ctx.scale((xb - xa) / c.width, (yb - ya) / c.height);
  ctx.drawImage(c, 0, 0);
}

function drawSegmentsLayer(ctx, style, entry, map, geometry) {
  if (!(style.linewidth > 0) || !(style.alpha > 0)) return;
  const xy = entry.xy || (entry.xy = floats(entry.buffers[0]));
  const box = [-FAR, -FAR, geometry.width + FAR, geometry.height + FAR];
  ctx.beginPath();
  tracePolyline(ctx, xy, map, box);
  ctx.lineWidth = style.linewidth * geometry.px_per_pt;
  ctx.strokeStyle = rgba(style.color, style.alpha);
  ctx.lineCap = style.cap; ctx.lineJoin = style.join;
  ctx.setLineDash([]);
  ctx.stroke();
}

// A layer's data as sent (DataViews, or buffer indices into a custom message's buffers).
function item(raw, buffers) {
  const get = (v) => (v && typeof v === "object" && "buffer" in v && !(v instanceof DataView)
    ? buffers[v.buffer] : v);
  return { xy: floats(get(raw.xy)), s: raw.s ? floats(get(raw.s)) : null,
           text: raw.text, ref: raw.ref, key: raw.key, token: raw.token };
}

function keyText(model, trait) {
  if (trait === "label") {
    const labels = model.get("_options_labels") || [];
    const index = model.get("index");
    return index === null || index === undefined ? "null" : String(labels[index]);
  }
  const v = model.get("value");
  return v === null || v === undefined ? "null" : numberText(v);
}

// A value as a key or stamp spells it (Python's key_text): a number that is not an integer at
// KEY_DIGITS significant digits (a float slider's view snaps its value to its step grid, and a
// value set again from Python is not snapped back: 0.9 and 0.9000000000000001 are one stamp).
const KEY_DIGITS = 12;
function numberText(v) {
  return typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)
    ? String(Number(v.toPrecision(KEY_DIGITS))) : String(v);
}

// The keys a slider's thumb (noUiSlider) takes. Notebook 7 runs its shortcuts in the capture
// phase of the document's keydown (JupyterLab in the bubbling phase, after the thumb): in command
// mode the arrows on a focused thumb match notebook:move-cursor-* and its heading commands, which
// stop the event before it reaches the thumb. Lumino skips an event whose default is prevented and
// noUiSlider does not look, so a capturing listener on the window -- which runs before the
// document's -- prevents the default of these keys on a thumb inside this picture's explorer
// (.lossviz-explorer): the thumb gets them first, as in JupyterLab. Returns its disposer.
const THUMB_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown",
                            "Home", "End"]);

function guardSliderKeys(el) {
  const onKey = (e) => {
    const t = e.target;
    if (!THUMB_KEYS.has(e.key) || !(t instanceof Element) || !t.classList.contains("noUi-handle")) return;
    const explorer = el.closest(".lossviz-explorer");
    if (explorer && explorer.contains(t)) e.preventDefault();
  };
  window.addEventListener("keydown", onKey, true);
  return () => window.removeEventListener("keydown", onKey, true);
}

async function render({ model, el, host }) {
  const disposers = [];
  const on = (target, name, fn) => { target.on(name, fn); disposers.push(() => target.off(name, fn)); };

  const root = document.createElement("div");
  root.className = "lossviz-canvas";
  root.style.cssText = "width:100%;min-width:0;";
  const stage = document.createElement("div");
  stage.className = "lossviz-canvas-stage";
  stage.style.cssText = "position:relative;line-height:0;max-width:100%;user-select:none;";
  let img = new Image();
  img.className = "lossviz-canvas-background";
  img.alt = "";
  img.draggable = false;
  img.style.cssText = "display:block;width:100%;height:100%;position:relative;z-index:1;";
  // under the background: the figure's face, and the image and segments layers
  const under = document.createElement("canvas");
  under.className = "lossviz-canvas-under";
  under.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;z-index:0;";
  const layers = document.createElement("canvas");
  layers.className = "lossviz-canvas-layers";
  layers.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;z-index:2;";
  layers.__lvPaints = 0;
  layers.__lvTimes = [];
  layers.__lvLog = [];
  const errorLine = document.createElement("div");
  errorLine.className = "lossviz-canvas-error";
  errorLine.setAttribute("role", "status");
  errorLine.style.cssText = "color:#b00020;font:12px/1.4 sans-serif;padding:2px 0;white-space:pre-wrap;";
  errorLine.hidden = true;
  stage.append(under, img, layers);
  root.append(stage, errorLine);
  el.appendChild(root);
  disposers.push(guardSliderKeys(el));

  // -- state ---------------------------------------------------------------------------------
  let geometry = null;   // the committed geometry (that of the background shown)
  let maps = null;
  let backgroundToken = 0;
  // Backgrounds: the live one (the "background" trait) and those sent for frames, by id:
  // {id, image (decoded), url, geometry, ready}. `shownBg` is the one in the stage now.
  let liveBg = null, shownBg = null;
  const frameBgs = new Map();
  const stored = new Map(); // id -> {meta, buffers, canvas}: image and segments data sent once
  let lastUnder = null;     // {geometry, styles, refs}
  const ownUrls = new Set();
  let keyModels = [], contextModels = [];
  const frames = new Map(); // key -> {version, token, layers: {name: item}}
  let live = {};
  let localError = "";
  let lastDrawn = null;     // {sources, geometry, styles}
  let scheduled = false, askedAt = 0; // when the pending draw was asked for
  let pointerSeq = 0, pointerSent = 0;
  const pointerQueue = [];
  let drag = null;          // {axes, pointerId}
  let dragOverride = null;  // {name, item, until}
  let disposed = false;

  const showError = () => {
    const text = [model.get("error"), localError].filter(Boolean).join("\n");
    errorLine.textContent = text;
    errorLine.hidden = !text;
  };

  const fail = (where, err) => {
    localError = `${where}: ${err && err.message ? err.message : err}`;
    console.error("lossviz canvas", where, err);
    showError();
    try { model.send({ kind: "error", message: localError }); } catch (_) { /* closed */ }
  };

  const readLive = () => {
    const data = model.get("data") || {};
    live = {};
    for (const [name, raw] of Object.entries(data)) live[name] = item(raw, []);
  };

  const currentKey = () => (keyModels.length === model.get("frame_keys").length
    ? keyModels.map(([m, t]) => keyText(m, t)).join("|") : null);
  const currentToken = () => (contextModels.length === model.get("frame_context").length
    ? `${model.get("version")}|${contextModels.map(([m, t]) => keyText(m, t)).join("|")}` : null);

  const pruneFrames = () => {
    const version = model.get("version");
    for (const [key, entry] of frames) if (entry.version < version) frames.delete(key);
  };

  // Which data each layer shows now: the live data when it was made for the current key and
  // stamp; else a valid frame for the current key; else the live data anyway (the best there is).
  const frameBackground = (entry) => {
    if (!entry.background) return liveBg;
    const bg = frameBgs.get(entry.background);
    // decoded, and rendered at the size and pixel ratio of the live picture (not compared with
    // the container's width: a width the kernel renders at the same size draws nothing anew, so
    // the geometry may name an earlier width -- in Notebook 7 every frame was refused so)
    const g = liveBg && liveBg.geometry;
    return bg && bg.ready && g && bg.geometry.width === g.width && bg.geometry.height === g.height &&
      bg.geometry.ratio === g.ratio ? bg : null;
  };
  const choose = () => {
    const key = currentKey(), token = currentToken();
    const waiting = model.get("pointer_invalidates") && (drag || model.get("pointer_ack") < pointerSent);
    const usable = key !== null && token !== null && !waiting;
    const entry = usable ? frames.get(key) : undefined;
    const valid = entry && entry.token === token && entry.version === model.get("version") &&
      (!entry.background || frameBackground(entry) !== null) &&
      Object.values(entry.layers).every((l) => !l.ref || stored.has(l.ref));
    // the kernel's live data arrived before its background was decoded: a frame, if any, is better
    const g = model.get("geometry");
    const livePending = !!(g && g.background && (!liveBg || liveBg.id !== g.background));
    const sources = {};
    let usedFrame = false, shownKey = null;
    for (const name of Object.keys(model.get("styles") || {})) {
      const l = live[name];
      let chosen = l;
      if (dragOverride && dragOverride.name === name) chosen = dragOverride.item;
      else if (!(l && l.key === key && l.token === token && !livePending) && valid && entry.layers[name]) {
        chosen = entry.layers[name];
        usedFrame = true;
      }
      sources[name] = chosen;
      if (shownKey === null && chosen && chosen === l) shownKey = l.key;
    }
    // current: every layer shows the kernel's data for the sliders' values and stamp now
    const current = key !== null && Object.keys(sources).every((n) => sources[n] === live[n] &&
      live[n] && live[n].key === key && live[n].token === token);
    const background = usedFrame && entry.background ? frameBackground(entry) : liveBg;
    return { sources, usedFrame, key: usedFrame ? key : shownKey, token, current, background };
  };

  const markPaint = (painted, info) => {
    requestAnimationFrame(() => {
      const t = performance.now();
      if (painted) {
        layers.__lvPaints += 1;
        layers.__lvTimes.push(t);
        if (layers.__lvTimes.length > 64) layers.__lvTimes.shift();
      }
      layers.__lvLog.push({ t, key: info.key, token: info.token, frame: info.usedFrame,
                            current: info.current, painted, asked: info.asked, drawMs: info.drawMs,
                            background: info.background ? info.background.id : null });
      if (layers.__lvLog.length > 256) layers.__lvLog.shift();
    });
  };

  const draw = () => {
    scheduled = false;
    const drawStart = performance.now();
    if (disposed) return;
    try {
      const styles = model.get("styles") || {};
      const choice = choose();
      if (choice.background && choice.background !== shownBg) showBackground(choice.background);
      if (!geometry) return;
      const same = lastDrawn && lastDrawn.geometry === geometry && lastDrawn.styles === styles &&
        Object.keys(choice.sources).length === Object.keys(lastDrawn.sources).length &&
        Object.entries(choice.sources).every(([n, s]) => sameItem(s, lastDrawn.sources[n]));
      if (same) { markPaint(false, { ...choice, asked: askedAt, drawMs: performance.now() - drawStart }); return; }
      const all = Object.entries(styles)
        .filter(([name, style]) => style.visible && choice.sources[name])
        .sort((a, b) => a[1].zorder - b[1].zorder || a[1].order - b[1].order);
      drawUnder(all.filter(([, style]) => UNDER.has(style.kind)), choice.sources, styles);
      const order = all.filter(([, style]) => !UNDER.has(style.kind));
      const ctx = layers.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, layers.width, layers.height);
      for (const [name, style] of order) {
        ctx.save();
        const ax = style.axes === null || style.axes === undefined ? null : geometry.axes[style.axes];
        if (style.clip && ax) { ctx.beginPath(); ctx.rect(ax.left, ax.top, ax.width, ax.height); ctx.clip(); }
        drawLayer(ctx, style, choice.sources[name], maps, geometry);
        ctx.restore();
      }
      lastDrawn = { geometry, styles, sources: choice.sources };
      markPaint(true, { ...choice, asked: askedAt, drawMs: performance.now() - drawStart });
    } catch (err) {
      fail("drawing", err);
    }
  };

  // The figure's face, the faces of the axes with image or segments layers, and those layers
  // (drawn again only when one of them or the geometry changed).
  const drawUnder = (order, sources, styles) => {
    const refs = order.map(([name]) => `${name}:${sources[name].ref}`).join(",");
    if (lastUnder && lastUnder.geometry === geometry && lastUnder.styles === styles && lastUnder.refs === refs) return;
    lastUnder = { geometry, styles, refs };
    const ctx = under.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, under.width, under.height);
    if (!geometry.facecolor) return;
    ctx.fillStyle = rgba(...geometry.facecolor);
    ctx.fillRect(0, 0, under.width, under.height);
    for (const ax of geometry.axes) {
      if (!ax.facecolor) continue;
      ctx.fillStyle = rgba(...ax.facecolor);
      ctx.fillRect(ax.left, ax.top, ax.width, ax.height);
    }
    for (const [name, style] of order) {
      const entry = stored.get(sources[name].ref);
      const map = maps.axes[style.axes]?.data;
      if (!entry || !map) continue;
      ctx.save();
      const ax = geometry.axes[style.axes];
      if (style.clip && ax) { ctx.beginPath(); ctx.rect(ax.left, ax.top, ax.width, ax.height); ctx.clip(); }
      if (style.kind === "image") drawImageLayer(ctx, style, entry, map);
      else drawSegmentsLayer(ctx, style, entry, map, geometry);
      ctx.restore();
    }
  };

  const schedule = () => {
    if (!scheduled && !disposed) { scheduled = true; askedAt = performance.now(); requestAnimationFrame(draw); }
  };

  const commitGeometry = (g) => {
    geometry = g;
    maps = { axes: g.axes.map((ax) => (ax.supported ? axesMapper(ax, g) : null)),
             figure: { x: (v) => v * g.width, y: (v) => g.height - v * g.height } };
    if (layers.width !== g.width) layers.width = g.width;
    if (layers.height !== g.height) layers.height = g.height;
    if (under.width !== g.width) under.width = g.width;
    if (under.height !== g.height) under.height = g.height;
    lastUnder = null;
    const cssWidth = g.width / g.ratio, cssHeight = g.height / g.ratio;
    stage.style.width = `${cssWidth}px`;
    stage.style.aspectRatio = `${g.width} / ${g.height}`;
    stage.style.height = "auto";
    lastDrawn = null;
  };

  // Put a decoded background in the stage (called while drawing: it and the layers change together).
  const showBackground = (bg) => {
    if (bg.image !== img) { stage.replaceChild(bg.image, img); img = bg.image; }
    shownBg = bg;
    commitGeometry(bg.geometry);
  };
  const release = (bg) => {
    if (bg && bg !== liveBg && bg !== shownBg && !frameBgs.has(bg.id) && ownUrls.has(bg.url)) {
      URL.revokeObjectURL(bg.url); ownUrls.delete(bg.url);
    }
  };
  const decodeBackground = async (bytes, g, id) => {
    const url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
    ownUrls.add(url);
    const next = new Image();
    next.className = img.className; next.alt = ""; next.draggable = false;
    next.style.cssText = img.style.cssText;
    next.src = url;
    await next.decode();
    return { id, image: next, url, geometry: g, ready: true };
  };
  // A new live background: decode it off screen, then show it and the layers in the same frame.
  const loadBackground = async () => {
    const token = ++backgroundToken;
    const bytes = model.get("background");
    const g = model.get("geometry");
    if (!bytes || !bytes.byteLength || !g || !g.axes) return;
    const cached = g.background ? frameBgs.get(g.background) : null;
    let bg;
    if (cached && cached.ready) bg = cached; // sent already for frames: the same picture
    else {
      try { bg = await decodeBackground(bytes, g, g.background || null); } catch (err) {
        if (token === backgroundToken) fail("background", err);
        return;
      }
    }
    if (token !== backgroundToken || disposed) { release(bg); return; }
    requestAnimationFrame(() => {
      if (token !== backgroundToken || disposed) { release(bg); return; }
      const old = liveBg;
      liveBg = bg;
      draw();
      release(old);
    });
  };

  let backgroundChanged = false, geometryChanged = false;
  const sceneChanged = () => queueMicrotask(() => {
    if (backgroundChanged) loadBackground();
    else if (geometryChanged) {
      const g = model.get("geometry");
      if (liveBg) { // the same picture under a new name (rendered again): follow the name
        const renamed = { ...liveBg, id: g.background || null, geometry: g };
        if (shownBg === liveBg) shownBg = renamed;
        liveBg = renamed;
      }
      commitGeometry(g); schedule();
    }
    backgroundChanged = geometryChanged = false;
  });
  on(model, "change:background", () => { backgroundChanged = true; sceneChanged(); });
  on(model, "change:geometry", () => { geometryChanged = true; sceneChanged(); });
  on(model, "change:data", () => { readLive(); schedule(); });
  on(model, "change:styles", schedule);
  on(model, "change:version", () => { pruneFrames(); schedule(); });
  on(model, "change:error", showError);
  on(model, "change:pointer_ack", () => {
    if (dragOverride && model.get("pointer_ack") >= dragOverride.until) dragOverride = null;
    sendPointer();
    schedule();
  });
  on(model, "msg:custom", (msg, buffers) => {
    if (msg && msg.kind === "stored") {
      // copied: the message's buffers may be views into one that is reused
      stored.set(msg.id, { meta: msg.meta, buffers: buffers.map((b) => bytesOf(b).slice()), canvas: null });
      lastDrawn = null; lastUnder = null; // a layer may have been waiting for it
      schedule();
      return;
    }
    if (msg && msg.kind === "stored-keep") {
      const keep = new Set(msg.ids);
      for (const id of [...stored.keys()]) if (!keep.has(id)) stored.delete(id);
      schedule();
      return;
    }
    if (msg && msg.kind === "background") {
      // kept in the order sent, as Python's mirror of this list; decoded before any frame uses it
      const bg = { id: msg.id, image: null, url: null, geometry: msg.geometry, ready: false };
      const old = frameBgs.get(msg.id);
      frameBgs.delete(msg.id);
      frameBgs.set(msg.id, old && old.ready ? old : bg);
      while (frameBgs.size > MAX_FRAME_BACKGROUNDS) {
        const [gone, dropped] = frameBgs.entries().next().value;
        frameBgs.delete(gone);
        release(dropped);
      }
      if (old && old.ready) return;
      decodeBackground(buffers[0], msg.geometry, msg.id).then((done) => {
        if (frameBgs.get(msg.id) !== bg || disposed) { release(done); return; }
        Object.assign(bg, done);
        schedule();
      }, (err) => fail("background", err));
      return;
    }
    if (!msg || msg.kind !== "frames") return;
    for (const entry of msg.entries) {
      const layersIn = {};
      for (const [name, raw] of Object.entries(entry.layers)) layersIn[name] = item(raw, buffers);
      frames.delete(entry.key); // (re)inserted last: a Map keeps insertion order
      frames.set(entry.key, { version: msg.version, token: msg.token, layers: layersIn,
                              background: entry.background || null });
    }
    while (frames.size > MAX_FRAMES) frames.delete(frames.keys().next().value);
    pruneFrames();
    schedule();
  });

  // -- the widgets that key the frames and stamp them ---------------------------------------
  // A serialized widget is "IPY_MODEL_<id>"; anywidget's host takes "anywidget:<id>".
  const resolve = async (ref) => {
    const id = ref.startsWith(REF) ? ref.slice(REF.length) : ref;
    if (host && host.getModel) {
      try { return await host.getModel(`anywidget:${id}`); } catch (_) { /* older anywidget */ }
    }
    return model.widget_manager.get_model(id);
  };
  const watchSources = async () => {
    const traits = model.get("frame_traits") || [];
    const refs = [...model.get("frame_keys"), ...model.get("frame_context")];
    try {
      const resolved = await Promise.all(refs.map(resolve));
      const nKeys = model.get("frame_keys").length;
      const pairs = resolved.map((m, i) => [m, traits[i] || "value"]);
      for (const [m] of pairs) {
        for (const name of ["change:value", "change:index", "change:_options_labels"]) on(m, name, schedule);
      }
      keyModels = pairs.slice(0, nKeys);
      contextModels = pairs.slice(nKeys);
      schedule();
    } catch (err) { fail("frame widgets", err); }
  };

  // -- pointer events -------------------------------------------------------------------------
  const toImage = (e) => {
    const rect = layers.getBoundingClientRect();
    return [(e.clientX - rect.left) * (layers.width / rect.width),
            (e.clientY - rect.top) * (layers.height / rect.height)];
  };
  const hit = (px, py) => {
    for (const i of model.get("pointer_axes") || []) {
      const ax = geometry && geometry.axes[i];
      if (ax && ax.supported && px >= ax.left && px <= ax.left + ax.width && py >= ax.top &&
          py <= ax.top + ax.height) return i;
    }
    return -1;
  };
  const sendPointer = () => {
    if (!pointerQueue.length || model.get("pointer_ack") < pointerSent) return;
    const msg = pointerQueue.shift();
    pointerSeq += 1;
    msg.seq = pointerSeq;
    pointerSent = pointerSeq;
    if (msg.type === "up" && dragOverride) dragOverride.until = pointerSeq;
    model.send(msg);
  };
  const queuePointer = (type, e, axes) => {
    if (!maps || !maps.axes[axes]) return;
    const [px, py] = toImage(e);
    const [x, y] = maps.axes[axes].invert(px, py);
    const msg = { kind: "pointer", type, axes, x, y, button: e.button < 0 ? 0 : e.button,
                  shift: e.shiftKey, ctrl: e.ctrlKey, alt: e.altKey };
    const last = pointerQueue[pointerQueue.length - 1];
    if (type === "move" && last && last.type === "move") pointerQueue[pointerQueue.length - 1] = msg;
    else pointerQueue.push(msg);
    const name = model.get("drag_layer");
    if (name && type !== "up") {
      dragOverride = { name, item: { xy: new Float32Array([x, y]), s: null }, until: Infinity };
      schedule();
    }
    sendPointer();
  };
  const pointerDown = (e) => {
    const [px, py] = toImage(e);
    const axes = hit(px, py);
    if (axes < 0) return;
    e.preventDefault();
    layers.setPointerCapture(e.pointerId);
    drag = { axes, pointerId: e.pointerId };
    queuePointer("down", e, axes);
  };
  const pointerMove = (e) => {
    if (drag && e.pointerId === drag.pointerId) { queuePointer("move", e, drag.axes); return; }
    const [px, py] = toImage(e);
    layers.style.cursor = hit(px, py) >= 0 ? "crosshair" : "";
  };
  const pointerUp = (e) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const axes = drag.axes;
    drag = null;
    queuePointer("up", e, axes);
    schedule();
  };
  const listenPointer = () => {
    const wanted = (model.get("pointer_axes") || []).length > 0;
    layers.style.touchAction = wanted ? "none" : "";
  };
  layers.addEventListener("pointerdown", pointerDown);
  layers.addEventListener("pointermove", pointerMove);
  layers.addEventListener("pointerup", pointerUp);
  layers.addEventListener("pointercancel", pointerUp);
  on(model, "change:pointer_axes", listenPointer);
  listenPointer();

  // -- size: report the container's width and the device pixel ratio ------------------------
  let resizeTimer = null;
  const reported = []; // [{width, t}] the last two reports, to stop a scrollbar's flip-flop
  const report = () => {
    resizeTimer = null;
    if (disposed) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.min(Math.floor(el.getBoundingClientRect().width), fitWidth());
    if (width <= 0) return;
    const now = performance.now();
    const [before, last] = [reported[reported.length - 2], reported[reported.length - 1]];
    if (before && last && width === before.width && now - last.t < 2000 &&
        dpr === model.get("dpr")) return; // back and forth (a scrollbar coming and going)
    if (width === model.get("css_width") && dpr === model.get("dpr")) return;
    reported.push({ width, t: now });
    if (reported.length > 2) reported.shift();
    model.set("css_width", width);
    model.set("dpr", dpr);
    model.save_changes();
  };
  // Present mode (fit_height): the widest picture whose height fits in the window with what is
  // above and below it on the page (its aspect is that of the background shown).
  const fitWidth = () => {
    if (!model.get("fit_height") || !geometry || !geometry.height) return Infinity;
    const r = el.getBoundingClientRect();
    const picture = stage.getBoundingClientRect().height;
    let bottom = r.bottom; // of what follows the picture on the page (not its ancestors)
    for (const e of document.body.querySelectorAll("*")) {
      const pos = el.compareDocumentPosition(e);
      if (!(pos & Node.DOCUMENT_POSITION_FOLLOWING) || (pos & Node.DOCUMENT_POSITION_CONTAINED_BY)) continue;
      const b = e.getBoundingClientRect();
      if (b.height > 0 && b.bottom > bottom) bottom = b.bottom;
    }
    const room = window.innerHeight - (r.top + window.scrollY) - (bottom - r.bottom) -
      (r.height - picture) - 2;
    return Math.max(240, Math.floor((room * geometry.width) / geometry.height));
  };
  const soon = () => { if (resizeTimer) clearTimeout(resizeTimer); resizeTimer = setTimeout(report, RESIZE_DEBOUNCE_MS); };
  const observer = new ResizeObserver(soon);
  observer.observe(el);
  window.addEventListener("resize", soon);
  disposers.push(() => window.removeEventListener("resize", soon));
  let media = null;
  const watchRatio = () => {
    if (media) media.removeEventListener("change", onRatio);
    media = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    media.addEventListener("change", onRatio);
  };
  const onRatio = () => { watchRatio(); soon(); };
  watchRatio();

  // -- start ------------------------------------------------------------------------------------
  layers.__lvCanvas = {
    toPixels: (axes, x, y) => {
      const m = maps && maps.axes[axes];
      return m ? [m.data.x(x), m.data.y(y)] : null;
    },
    // settled: the background shown was rendered for the width last reported, none is pending
    state: () => ({ key: currentKey(), token: currentToken(), frames: frames.size,
                    version: model.get("version"), geometry,
                    settled: !resizeTimer && !!geometry && geometry.container === model.get("css_width") &&
                             geometry.ratio === model.get("dpr") }),
    shown: (name) => { const s = choose().sources[name]; return s ? Array.from(s.xy) : null; },
    // whether the picture shows the kernel's data for the current slider values and stamp
    current: () => choose().current,
    liveStamps: () => Object.fromEntries(Object.entries(live).map(([n, l]) => [n, [l.key, l.token]])),
    // the key and context widgets' sync state (ipywidgets' throttle: messages awaiting the
    // kernel's idle, and changes buffered behind them), for diagnosing a picture that never settles
    syncs: () => [...keyModels, ...contextModels].map(([m, t]) => ({ trait: t, value: keyText(m, t),
      pending: m._pending_msgs, buffered: m._msg_buffer ? Object.keys(m._msg_buffer) : null })),
    frameInfo: (key) => { const e = frames.get(key); return e ? { version: e.version, token: e.token,
      background: e.background, bgHeld: e.background ? frameBgs.has(e.background) : null,
      bgReady: e.background && frameBgs.get(e.background) ? frameBgs.get(e.background).ready : null } : null; },
    backgrounds: () => [...frameBgs.keys()],
    stored: () => [...stored.keys()],
  };
  readLive();
  showError();
  const g0 = model.get("geometry");
  if (g0 && g0.axes) commitGeometry(g0);
  loadBackground();
  watchSources();
  model.send({ kind: "hello" });
  soon();

  return () => {
    disposed = true;
    for (const dispose of disposers) dispose();
    observer.disconnect();
    if (media) media.removeEventListener("change", onRatio);
    if (resizeTimer) clearTimeout(resizeTimer);
    for (const url of ownUrls) URL.revokeObjectURL(url);
  };
}

export default { render };
