// kind: script
// follows: https://docs.val.town/vals/script/ (a script whose top level awaits between its logs)
// call: run {}
// outcome: success
// result: {"steps":4}
// log: [log] starting
// log: [log] waited for a timer
// log: [log] fetched config: beta
// log: [log] all 3 jobs done: a,b,c
// log: [log] default export ran after the top level

console.log("starting");
await new Promise((r) => setTimeout(r, 20));
console.log("waited for a timer");
const config = await Promise.resolve({ channel: "beta" });
console.log(`fetched config: ${config.channel}`);
const jobs = await Promise.all(["a", "b", "c"].map((j, i) => new Promise<string>((r) => setTimeout(() => r(j), 10 * (3 - i)))));
console.log(`all ${jobs.length} jobs done: ${jobs.join(",")}`);
let steps = 3;

export default async function () {
  steps++;
  console.log("default export ran after the top level");
  return { steps };
}
