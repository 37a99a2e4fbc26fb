// kind: script
// follows: https://docs.val.town/vals/script/ (a script run with arguments, returning JSON)
// call: run {"args": [2, 3]}
// outcome: success
// result: {"sum":5,"product":6,"args":2}
// log: [log] adding 2 and 3
// call: run {"args": [10, -4]}
// outcome: success
// result: {"sum":6,"product":-40,"args":2}

export default function add(a: number, b: number) {
  console.log(`adding ${a} and ${b}`);
  return { sum: a + b, product: a * b, args: arguments.length };
}
