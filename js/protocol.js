// The one message protocol between the browser and the kernel. Traits carry state;
// messages carry requests (browser -> kernel, named by `action`) and replies (kernel ->
// browser, named by `type`). Every message either way is named here, with its fields;
// embedwidget/widgets/ reads and writes the same names.

import { encodeIndices } from "./wire.js";

/** Browser -> kernel: content {action: name, ...fields}; every buffer holds uint32 point indices. */
export const REQUEST = Object.freeze({
  LABEL: "label", // {code} (index into label_names) or {label} (a new name); buffers: [selection]
  PAIRS: "pairs", // {similar: boolean}; buffers: [side A, side B]
  UNDO: "undo", // {}: take back the last label or pair action
  SIMILAR: "similar", // {query, k}: select the k texts nearest in meaning to the query
  NEIGHBOURS: "neighbours", // {k}; buffers: [selection]: add the k nearest points to it
  START: "start", // {}: train in the background
  STOP: "stop", // {}: stop after the step in progress
  RESET: "reset", // {}: forget what the model learned
  DOUBTFUL: "doubtful", // {n}: select the n unlabelled points the model is least sure of
  SUGGEST: "suggest", // {id}; buffers: [rows]: the model's suggestions, replied to by SUGGESTIONS
  ACCEPT: "accept", // {}; buffers: [selection]: label it with the model's suggestions
  ROWS: "rows", // {id}; buffers: [rows]: the `data` columns of these points, replied to by ROWS
  SUSPICIOUS: "suspicious", // {n?}: select the labels the model believes are wrong, for review
  REVIEW_PAIRS: "review_pairs", // {}: select the points of the pairs that contradict the rest
  FIX_PAIRS: "fix_pairs", // {}: turn the pairs under review the other way
});

/** Kernel -> browser: content {type: name, ...fields}. */
export const REPLY = Object.freeze({
  INFO: "info", // {message}: what a request did
  ERROR: "error", // {message}: why a request failed
  SUGGESTIONS: "suggestions", // {id, indices, labels, confidence}: the reply to SUGGEST `id`
  ROWS: "rows", // {id, indices, columns: {name: [text per row]}} ({} without data): the reply to ROWS `id`
});

const REQUESTS = new Set(Object.values(REQUEST));
const REPLIES = new Set(Object.values(REPLY));

/**
 * Send request `name` with its `fields`; `buffers` are arrays of point indices, each sent
 * as uint32 bytes. The only sender of messages to the kernel.
 */
export function request(model, name, fields = {}, buffers = []) {
  if (!REQUESTS.has(name)) throw new Error(`embedwidget: unknown request ${JSON.stringify(name)}`);
  model.send({ action: name, ...fields }, undefined, buffers.map(encodeIndices));
}

/**
 * The listener of the kernel's messages: `handlers` maps each REPLY type to what it does
 * with the message. A message of another type is ignored.
 */
export function replyListener(handlers) {
  for (const type of Object.keys(handlers)) {
    if (!REPLIES.has(type)) throw new Error(`embedwidget: unknown reply ${JSON.stringify(type)}`);
  }
  return (message, buffers) => handlers[message?.type]?.(message, buffers);
}
