// The widget's parts on the page (toolbar, training row, picture with its legend, caption
// and signposts, tooltip, selection list) and how the state shows in them. It builds DOM
// and draws; what a click means is in actions.js. It reads the state (bindings.js keeps
// it), never the model.

import { colouringOf, colourMenu, legendCodes, legendScale } from "./colouring.js";
import { createPanes, plotsToTell, sideTitle } from "./compare.js";
import { captionText, categoryEntries, createCaption, createLegend, legendEntries } from "./legend.js";
import { createSelectionList } from "./list.js";
import { remember } from "./memo.js";
import { colorOf } from "./palettes.js";
import { createPicture } from "./picture.js";
import { createPlot, createSharedRenderer } from "./plot.js";
import { countCodes, countSelected, describePlan, pairPlan } from "./selection.js";
import { createSignposts } from "./signposts.js";
import { readTheme, sameTheme, watchTheme } from "./theme.js";
import { createToolbar } from "./toolbar.js";
import { createTooltip } from "./tooltip.js";
import { createTrainingBar } from "./training.js";

// How long typing in the search box must pause before the picture shows the matches.
export const REDRAW_PAUSE_MS = 250;
// A picture that took longer than this to draw (a million points take seconds) is not
// redrawn for search hits: a redraw would freeze the page between two keys.
export const QUICK_DRAW_MS = 150;
// How long the pointer rests on a point before its `data` columns are asked of the kernel.
export const HOVER_COLUMNS_MS = 120;

/** `settings` from bindings.readSettings: {training, compare, height}. */
export function createView(el, settings, state, actions) {
  const root = document.createElement("div");
  root.className = "ew-root";
  root.tabIndex = 0;
  // JupyterLab leaves key presses inside this element to us (no cell shortcuts).
  root.dataset.lmSuppressShortcuts = "true";
  el.appendChild(root);

  const toolbar = createToolbar(root, actions);
  // A new click is a new action: the last one's message goes (the click may say something
  // new). A press starts a pan or a lasso; a click may come from the keyboard (Enter on a
  // button). A click on the message itself (to copy it) keeps it.
  const newAction = (event) => {
    if (!toolbar.message.contains(event.target)) toolbar.setMessage("");
  };
  root.addEventListener("pointerdown", newAction, true);
  root.addEventListener("click", newAction, true);
  const training = settings.training ? createTrainingBar(root, actions) : null;

  const stage = document.createElement("div");
  stage.className = "ew-stage";
  stage.style.height = `${settings.height}px`;
  root.appendChild(stage);
  let theme = readTheme(stage);
  const tooltip = createTooltip(stage);
  let pointer = { x: 0, y: 0 };
  let hovered = -1; // the point the tooltip shows
  const panes = createPanes(stage, settings.compare);
  const comparing = panes.length > 1;
  const renderer = comparing ? createSharedRenderer() : null;
  const sides = panes.map(createSide);
  const live = sides.at(-1);
  const plots = sides.map((side) => side.plot);
  // The signposts name the live picture's regions (the kernel computes them from it).
  const signposts = createSignposts(live.element);
  const toScreen = (x, y) => {
    const device = live.picture.toDevice(x, y);
    return device && live.plot.toScreen(device);
  };
  live.plot.onRender(() => signposts.place(toScreen));
  stage.addEventListener("mousemove", (event) => {
    const box = stage.getBoundingClientRect();
    pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
  });
  stage.addEventListener("mouseleave", () => hideTooltip());
  root.addEventListener("keydown", (event) => actions.key(event));
  stage.addEventListener("pointerdown", () => root.focus({ preventScroll: true }));
  // A Shift-drag in the picture is a lasso, not the notebook's Shift-click cell selection
  // (which would swallow the mouse moves the lasso needs).
  stage.addEventListener("mousedown", (event) => event.stopPropagation());
  const legend = createLegend(stage, actions);
  // Over the live picture only: in the compare view the starting picture stays still.
  const caption = createCaption(live.element);

  const list = createSelectionList(root, {
    remove: (index) => actions.deselect(index),
    hover: (index) => plots.forEach((plot) => plot.ring(index)),
    resample: () => actions.resample(),
    more: () => actions.more(),
    accept: () => actions.accept(),
  });

  /**
   * A picture in its pane: the live one alone, or (compare=True) the starting one and the
   * live one side by side on one shared WebGL renderer. A selection made in one is told
   * to the others; a point hovered in one is ringed in the others.
   */
  function createSide(pane) {
    const side = { ...pane };
    side.plot = createPlot(
      pane.element,
      state.positions.n,
      theme,
      {
        onSelect: (indices, at) => actions.select(indices, { at, shownBy: [side.plot] }),
        onHover: (index) => hover(index, side.plot),
        onLassoStart: () => hideTooltip(),
      },
      // A selection stands out: the points outside it fade, in one picture or in two.
      { side: comparing ? pane.side : undefined, renderer, dimUnselected: true },
    );
    const where =
      pane.side === "before"
        ? { positions: () => state.startPositions, bounds: () => state.startBounds, name: "Before" }
        : { positions: () => state.positions, bounds: () => state.bounds };
    side.picture = createPicture({
      state,
      plot: side.plot,
      box: pane.element,
      root,
      theme: () => theme,
      onError: (error) => showMessage(`The picture could not be drawn: ${error?.message ?? error}`, true),
      ...where,
    });
    return side;
  }

  function hover(index, from) {
    showTooltip(index);
    for (const plot of plotsToTell(plots, [from])) plot.ring(index);
  }

  let soon = null; // the timer of a redrawSoon() not yet run

  /** Draw every picture again (what they share changed: codes, hits, colours). */
  function redraw() {
    clearTimeout(soon);
    soon = null;
    for (const side of sides) side.picture.request();
  }

  /** Whether the pictures draw quickly enough to redraw them for a search. */
  const quickToDraw = () => sides.every((side) => side.picture.drawMs() <= QUICK_DRAW_MS);

  /** Redraw once nothing has asked for it for REDRAW_PAUSE_MS (a person still typing). */
  function redrawSoon() {
    clearTimeout(soon);
    soon = setTimeout(redraw, REDRAW_PAUSE_MS);
  }

  const codeColor = (code) => colorOf(code, theme.unlabelled);

  /** The tooltip of point `index` (-1: none): its label, text and, once known, its `data` columns. */
  function showTooltip(index) {
    if (index < 0 || index >= state.texts.length) return hideTooltip();
    hovered = index;
    const code = state.codes[index] ?? 0;
    const columns = state.columns.get(index) ?? null;
    tooltip.show(state.texts[index], code ? state.labelNames[code - 1] : "", pointer.x, pointer.y, columns);
    if (!columns) actions.askColumns("tooltip", [index], HOVER_COLUMNS_MS);
  }

  function hideTooltip() {
    hovered = -1;
    tooltip.hide();
    actions.askColumns("tooltip", []);
  }

  // Points per label (or category), counted again only when the codes change; the
  // selection's share only when the selection or the codes do.
  const labelCounts = remember((codes, nNames) => countCodes(codes, nNames));
  const legendCounts = remember((codes, nNames) => countCodes(codes, nNames));
  const picked = remember((codes, selection, nNames) => countSelected(codes, selection, nNames));

  /** The status, the label buttons and the legend: counts of labels, pairs and the selection. */
  function showStatus() {
    const names = state.labelNames;
    const all = labelCounts(state.codes, names.length);
    const labelled = state.codes.length - all[0];
    toolbar.setStatus(`${state.selection.length} selected · ${labelled} labelled · ${state.nPairs} pairs`);
    toolbar.setLabels(names, all, codeColor);
    showLegend();
  }

  /** The legend of what the points are coloured by: labels, a column's categories, a scale. */
  function showLegend() {
    const colouring = colouringOf(state, state.positions.n);
    const byColumn = colouring.kind === "categories" || colouring.kind === "scale";
    const codes = legendCodes(colouring, state.codes);
    const names = byColumn ? colouring.names ?? [] : state.labelNames;
    const all = legendCounts(codes, names.length);
    const share = state.selection.length ? picked(codes, state.selection, names.length) : null;
    legend.render({
      entries: byColumn ? categoryEntries(names, all, share) : legendEntries(names, all, share),
      colorOf: codeColor,
      scale: legendScale(colouring, { grey: theme.unlabelled, dark: theme.dark }),
      column: byColumn ? colouring.column : null,
    });
  }

  function showCaption() {
    caption.set(
      captionText({
        training: settings.training,
        step: state.step,
        projection: state.projection,
        note: state.projectionNote,
      }),
    );
  }

  /** The colour menu: what the points can be coloured by, and what they are. */
  function showColours() {
    toolbar.setColours(colourMenu(state, settings.training), state.colorBy);
  }

  /** The signposts and their toggle (offered where there are texts to name regions by). */
  function showTopics() {
    toolbar.setTopics({ available: state.texts.length > 0, on: state.showTopics });
    signposts.render(state.showTopics ? state.topics : []);
  }

  /** The PCA/UMAP toggle (hidden where the widget cannot switch) and the caption. */
  function showProjection() {
    toolbar.setProjection(state.projection);
  }

  function showPairs() {
    toolbar.setPairs(state.canPair);
  }

  const showMessage = (text, isError = false) => toolbar.setMessage(text, isError);

  function showPlan() {
    const plan = pairPlan(state.sideA, state.selection);
    const text = state.sideA.length ? `A: ${state.sideA.length} points → ${describePlan(plan)}` : "";
    toolbar.setPlan(text, plan.count > 0);
  }

  /** The selection changed: say so everywhere; `shownBy` the plots that show it already. */
  function showSelection(shownBy = []) {
    for (const plot of plotsToTell(plots, shownBy)) plot.select(state.selection);
    showStatus();
    showPlan();
  }

  /**
   * Draw the list's rows. `since` (performance.now() when the change that brought new
   * rows arrived) is recorded with the row count in root.dataset.listMs and listRows.
   */
  function showRows(since = null) {
    list.render({
      rows: state.rows,
      total: state.selection.length,
      texts: state.texts,
      codes: state.codes,
      names: state.labelNames,
      colorOf: codeColor,
      canPredict: state.canPredict,
      suggestions: state.suggestions,
      terms: state.terms,
      columns: state.columns,
    });
    if (since === null) return;
    root.dataset.listMs = (performance.now() - since).toFixed(1);
    root.dataset.listRows = String(state.rows.length);
  }

  function showTraining() {
    training?.update(state);
    for (const side of sides) {
      if (side.title) side.title.textContent = sideTitle(side.side, state.step);
    }
    showCaption();
  }

  function showSearchModes() {
    toolbar.setMeaningSearch(state.canSearchSimilar);
  }

  /** The host switched theme, or the stage changed size. */
  function applyTheme() {
    const next = readTheme(stage);
    if (sameTheme(next, theme)) {
      for (const side of sides) side.picture.fit();
      return;
    }
    theme = next;
    for (const plot of plots) plot.setTheme(theme);
    showStatus();
    showRows();
    redraw();
  }
  const unwatchTheme = watchTheme(stage, applyTheme);

  return {
    root,
    toolbar,
    training,
    plots,
    /** The live picture (the only one whose positions change). */
    picture: live.picture,
    redraw,
    redrawSoon,
    quickToDraw,
    setLasso: (on) => plots.forEach((plot) => plot.setLasso(on)),
    // A view move animates only where the picture draws quickly: a picture that takes
    // seconds to draw (a million points) would show one frame of the animation anyway, at
    // its end, after a first render that shows nothing new; it moves at once instead.
    resetView: () => plots.forEach((plot) => plot.resetView({ animate: quickToDraw() })),
    /** Move every picture's view to the points `indices`; false when there are none to show. */
    zoomTo: (indices) =>
      sides.map((side) => side.picture.zoomTo(indices, { animate: quickToDraw() })).some(Boolean),
    /** Hand the keys to the picture: the widget's root takes the focus (and shows it). */
    focus: () => root.focus({ preventScroll: true }),
    showStatus,
    showCaption,
    showPairs,
    showPlan,
    showSelection,
    showRows,
    showTraining,
    showSearchModes,
    showColours,
    showTopics,
    showProjection,
    /** The kernel sent `data` columns: the list and the tooltip show them. */
    showColumns() {
      showRows();
      if (hovered >= 0 && state.columns.has(hovered)) showTooltip(hovered);
    },
    /** What the widget has to say: a message replaces the last; errors in the error style. */
    showMessage,
    /** Take an error off the message line (an info stays). */
    clearError() {
      if (toolbar.showsError()) toolbar.setMessage("");
    },
    destroy() {
      clearTimeout(soon);
      unwatchTheme();
      for (const plot of plots) plot.destroy();
      renderer?.destroy();
    },
  };
}
