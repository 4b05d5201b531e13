import { describe, expect, it } from "vitest";
import { REPLY, replyListener, REQUEST, request } from "../protocol.js";
import { fakeModel } from "./fake-model.js";

describe("requests to the kernel", () => {
  it("sends the request's name with its fields, and each index array as uint32 bytes", () => {
    const model = fakeModel({});
    request(model, REQUEST.PAIRS, { similar: true }, [Uint32Array.from([1, 2]), [7]]);
    request(model, REQUEST.UNDO);
    expect(model.sent).toEqual([
      { content: { action: "pairs", similar: true }, indices: [[1, 2], [7]] },
      { content: { action: "undo" }, indices: [] },
    ]);
  });

  it("refuses a name the protocol does not have", () => {
    const model = fakeModel({});
    expect(() => request(model, "lable")).toThrow(/unknown request "lable"/);
    expect(model.sent).toEqual([]);
  });

  it("asks for rows of data with their indices, answered by a reply of the same name", () => {
    const model = fakeModel({});
    request(model, REQUEST.ROWS, { id: 3 }, [Uint32Array.from([5, 9])]);
    expect(model.sent).toEqual([{ content: { action: "rows", id: 3 }, indices: [[5, 9]] }]);
    const seen = [];
    replyListener({ [REPLY.ROWS]: (message) => seen.push(message.id) })({ type: "rows", id: 3 });
    expect(seen).toEqual([3]);
  });

  it("has fixed names", () => {
    expect(Object.isFrozen(REQUEST) && Object.isFrozen(REPLY)).toBe(true);
  });
});

describe("replies from the kernel", () => {
  it("go to the handler of their type; other types are ignored", () => {
    const seen = [];
    const listen = replyListener({ [REPLY.INFO]: (message) => seen.push(message.message) });
    listen({ type: "info", message: "done" });
    listen({ type: "suggestions", id: 1 });
    listen(undefined);
    expect(seen).toEqual(["done"]);
  });

  it("refuses a handler for a type the protocol does not have", () => {
    expect(() => replyListener({ warning: () => {} })).toThrow(/unknown reply "warning"/);
  });
});
