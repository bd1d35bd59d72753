// The Windows tree kill's fallback reads wmic's process table (test/wine runs it for real when Wine's
// wmic answers): the table as wmic writes it to a pipe, UTF-16 with a byte order mark, and the walk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { descendantsOf, parseProcessTable } from "../../dist/internal.js";

// As Wine's wmic printed it under the hang test: cmd.exe 500 ran conhost 508 and node 516, which ran 548.
const TABLE =
  "ParentProcessID  ProcessID\r\n40   48   \r\n48   104  \r\n0    360  \r\n360  500  \r\n500  508  \r\n500  516  \r\n516  548  \r\n360  600  \r\n\r\n";

test("wmic's UTF-16 table (with its byte order mark) and an ASCII one read the same", () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TABLE, "utf16le")]);
  const pairs = parseProcessTable(utf16);
  assert.deepEqual(pairs.slice(3, 7), [
    [360, 500],
    [500, 508],
    [500, 516],
    [516, 548],
  ]);
  assert.equal(pairs.length, 8, "the header and blank lines are not rows");
  assert.deepEqual(parseProcessTable(Buffer.from(TABLE, "latin1")), pairs);
});

test("the tree is the root and everything under it, not its parent or siblings; a cycle (a reused id) ends", () => {
  const pairs = parseProcessTable(Buffer.from(TABLE, "latin1"));
  assert.deepEqual(descendantsOf(500, pairs), [500, 508, 516, 548]);
  assert.deepEqual(descendantsOf(548, pairs), [548]);
  assert.deepEqual(
    descendantsOf(7, [
      [7, 8],
      [8, 7],
      [7, 7],
    ]),
    [7, 8],
  );
});
