// kind: script
// follows: https://docs.val.town/vals/script/ (an error thrown at the top level after an await)
// call: run {}
// outcome: error
// error: Error: config missing "region"
// error-line: 16
// log: [log] loading config
// log: [log] config loaded

console.log("loading config");
const config: Record<string, string> = await new Promise((r) => setTimeout(() => r({ name: "prod" }), 10));
console.log("config loaded");

function required(key: string): string {
  if (!(key in config)) {
    throw new Error(`config missing "${key}"`);
  }
  return config[key];
}

const region = required("region");
console.log("never logged", region);
