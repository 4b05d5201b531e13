// anywidget's model surface for the jsdom tests of the whole widget: get/set/on/off,
// save_changes and send, a change event fired on every set, as Python's updates arrive.

export const bytes = (Type, values) => new DataView(Type.from(values).buffer);
export const indicesOf = (view) => Array.from(new Uint32Array(view.buffer, view.byteOffset, view.byteLength / 4));

export function fakeModel(traits) {
  const handlers = new Map();
  const fire = (event, ...args) => (handlers.get(event) ?? []).slice().forEach((h) => h(...args));
  const model = {
    sent: [],
    saves: 0,
    get: (key) => traits[key],
    set(key, value) {
      traits[key] = value;
      fire(`change:${key}`);
    },
    on: (event, handler) => handlers.set(event, [...(handlers.get(event) ?? []), handler]),
    off: (event, handler) => handlers.set(event, (handlers.get(event) ?? []).filter((h) => h !== handler)),
    save_changes: () => (model.saves += 1),
    send: (content, callbacks, buffers = []) => model.sent.push({ content, indices: buffers.map(indicesOf) }),
    /** A custom message from Python. */
    emit: (message) => fire("msg:custom", message),
    listeners: () => [...handlers.values()].reduce((sum, list) => sum + list.length, 0),
  };
  return model;
}
