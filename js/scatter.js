// EmbeddingScatter's browser side (anywidget). State comes from traits (bindings.js);
// label, pair and undo requests go to Python as messages (protocol.js), and the picture
// changes only when Python answers with new traits, so what is shown has been stored.

import "./style.css";
import { createActions } from "./actions.js";
import { bindTraits, readSettings, readState } from "./bindings.js";
import { createView } from "./view.js";

function render({ model, el }) {
  const state = readState(model);
  // The view calls actions only once the person acts, so it can be built first and handed
  // the actions that need it afterwards.
  const actions = {};
  const view = createView(el, readSettings(model), state, actions);
  Object.assign(actions, createActions(model, state, view));
  const unbind = bindTraits(model, state, view, actions);

  view.showSearchModes();
  view.showPairs();
  view.showTraining();
  view.showColours();
  view.showProjection();
  view.showTopics();
  // The first draw of every picture carries the selection.
  actions.follow({ shownBy: view.plots });
  view.redraw();

  return () => {
    unbind();
    actions.destroy();
    view.destroy();
  };
}

export default { render };
