// Byte-level checks: the generated codecs put each field under the number the
// contract promises, so Stigmer clients and Go callers read the same bytes.
import { describe, expect, test } from "bun:test";
import { CancelExecutionRequest, Execution, ExecutionPhase, WorkflowExecuteInput } from "../src/index.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** One length-delimited field (wire type 2) written by hand: tag, length, payload. */
function lengthDelimited(fieldNumber: number, payload: Uint8Array): number[] {
  expect(payload.length).toBeLessThan(128); // one-byte length keeps the hand encoding honest
  return [(fieldNumber << 3) | 2, payload.length, ...payload];
}

// Deliberately not valid UTF-8 and containing zero bytes: a token is opaque bytes.
const token = new Uint8Array([0x00, 0xff, 0x10, 0x80, 0x0a, 0x00, 0xfe]);

describe("WorkflowExecuteInput on the wire", () => {
  test("decodes hand-written bytes: id = 1, yaml = 2, callback_token = 3, callback_namespace = 5", () => {
    const bytes = new Uint8Array([
      ...lengthDelimited(1, utf8("wf-1")),
      ...lengthDelimited(2, utf8("do: []")),
      ...lengthDelimited(3, token),
      ...lengthDelimited(5, utf8("caller-ns")),
    ]);
    const decoded = WorkflowExecuteInput.decode(bytes);
    expect(decoded.workflowExecutionId).toBe("wf-1");
    expect(decoded.workflowYaml).toBe("do: []");
    expect(decoded.callbackToken).toEqual(token);
    expect(decoded.callbackNamespace).toBe("caller-ns");
    expect(decoded.input).toBeUndefined();
  });

  test("encodes callback_token as field 3, length-delimited, byte for byte", () => {
    const encoded = WorkflowExecuteInput.encode(
      WorkflowExecuteInput.fromPartial({ workflowExecutionId: "wf-1", callbackToken: token }),
    ).finish();
    expect([...encoded]).toEqual([...lengthDelimited(1, utf8("wf-1")), ...lengthDelimited(3, token)]);
  });

  test("an input without a token encodes no field 3 (old callers are unchanged)", () => {
    const encoded = WorkflowExecuteInput.encode(WorkflowExecuteInput.fromPartial({ workflowExecutionId: "wf-1" })).finish();
    expect([...encoded]).toEqual(lengthDelimited(1, utf8("wf-1")));
    expect(WorkflowExecuteInput.decode(encoded).callbackToken).toHaveLength(0);
  });

  test("the workflow input (field 4, Struct) round-trips nested JSON", () => {
    const input = { order: { id: 7, lines: [1, "two", true, null] }, note: "ü" };
    const encoded = WorkflowExecuteInput.encode(WorkflowExecuteInput.fromPartial({ workflowExecutionId: "x", input })).finish();
    expect(encoded.subarray(0, 4)).toEqual(new Uint8Array([...lengthDelimited(1, utf8("x")), (4 << 3) | 2]));
    expect(WorkflowExecuteInput.decode(encoded).input).toEqual(input);
  });

  test("fields this version does not know are skipped, not fatal (forward compatibility)", () => {
    const bytes = new Uint8Array([...lengthDelimited(1, utf8("wf-1")), ...lengthDelimited(99, utf8("future"))]);
    expect(WorkflowExecuteInput.decode(bytes).workflowExecutionId).toBe("wf-1");
  });

  test("truncated bytes are a thrown error, not a wrong value", () => {
    const encoded = WorkflowExecuteInput.encode(
      WorkflowExecuteInput.fromPartial({ workflowExecutionId: "wf-1", callbackToken: token }),
    ).finish();
    expect(() => WorkflowExecuteInput.decode(encoded.subarray(0, encoded.length - 2))).toThrow();
  });
});

describe("other messages on the wire", () => {
  test("CancelExecutionRequest.force is field 3, varint", () => {
    const encoded = CancelExecutionRequest.encode(CancelExecutionRequest.fromPartial({ force: true })).finish();
    expect([...encoded]).toEqual([(3 << 3) | 0, 1]);
  });

  test("Execution.output carries any JSON value, not only objects", () => {
    for (const output of [[1, "a", { b: null }], "done", 42, false, { nested: { list: [] } }]) {
      const encoded = Execution.encode(
        Execution.fromPartial({ executionId: "wf-1", phase: ExecutionPhase.EXECUTION_COMPLETED, output }),
      ).finish();
      expect(Execution.decode(encoded).output).toEqual(output);
    }
  });

  test("Execution.phase uses Stigmer's numbers (COMPLETED = 3, PAUSED = 7) on field 2", () => {
    const encoded = Execution.encode(Execution.fromPartial({ phase: ExecutionPhase.EXECUTION_COMPLETED })).finish();
    expect([...encoded]).toEqual([(2 << 3) | 0, 3]);
    expect(Execution.decode(new Uint8Array([(2 << 3) | 0, 7])).phase).toBe(ExecutionPhase.EXECUTION_PAUSED);
  });
});
