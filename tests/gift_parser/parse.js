// Reads GIFT text on stdin and prints what the real gift-pegjs parser makes of it, as JSON.
// Used by tests/exporters/test_gift.py. A syntax error prints {"error": ...} and exits 1.
"use strict";
const { parse } = require("gift-pegjs");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  try {
    process.stdout.write(JSON.stringify(parse(input)));
  } catch (error) {
    const where = error.location ? error.location.start : null;
    process.stdout.write(JSON.stringify({ error: String(error.message), location: where }));
    process.exitCode = 1;
  }
});
