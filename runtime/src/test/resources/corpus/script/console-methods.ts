// kind: script
// follows: https://docs.deno.com/api/web/~/Console (console.table, group, count, time, assert, dir)
// call: run {}
// outcome: success
// log: [log] ┌───────┬────────┬───────┐
// log: │ (idx) │ name   │ stars │
// log: ├───────┼────────┼───────┤
// log: │     0 │ "blob" │    12 │
// log: │     1 │ "cron" │     7 │
// log: └───────┴────────┴───────┘
// log: [log] report
// log: [log]   section
// log: [log]     inside
// log: [log]   back
// log: [log] out
// log: [info] default: 1
// log: [info] default: 2
// log: [info] jobs: 1
// log: [info] default: 1
// log: [error] Assertion failed: stock must not be negative
// log: [error] Assertion failed
// log: [info] work: <num>ms
// log: [log] { a: 1, nested: { b: [ 1, 2 ] } }
// log: [info] info line
// log: [warn] warn line
// log: [error] error line
// log: [debug] debug line

console.table([{ name: "blob", stars: 12 }, { name: "cron", stars: 7 }]);
console.group("report");
console.log("section");
console.group();
console.log("inside");
console.groupEnd();
console.log("back");
console.groupEnd();
console.log("out");
console.count();
console.count();
console.count("jobs");
console.countReset();
console.count();
console.assert(true, "not printed");
console.assert(-1 >= 0, "stock must not be negative");
console.assert(false);
console.time("work");
await new Promise((r) => setTimeout(r, 5));
console.timeEnd("work");
console.dir({ a: 1, nested: { b: [1, 2] } });
console.info("info line");
console.warn("warn line");
console.error("error line");
console.debug("debug line");
