// kind: script
// follows: https://docs.val.town/vals/script/ (everyday data handling: structuredClone, Intl, TextEncoder, URLSearchParams)
// call: run {"args": [{"when": "2024-12-06T10:00:00Z", "amount": 1234.5, "tags": ["a", "b"]}]}
// outcome: success
// result: {"cloneIsCopy":true,"date":"Friday, December 6, 2024","money":"$1,234.50","bytes":[104,195,169],"query":"q=caf%C3%A9&page=2","sorted":["apple","Banana","cherry"],"grouped":{"even":[2,4],"odd":[1,3]}}

export default function (input: { when: string; amount: number; tags: string[] }) {
  const copy = structuredClone({ ...input, when: new Date(input.when), seen: new Set(input.tags) });
  copy.tags.push("c");
  return {
    cloneIsCopy: input.tags.length === 2 && copy.when instanceof Date && copy.seen.has("a"),
    date: new Intl.DateTimeFormat("en-US", { dateStyle: "full", timeZone: "UTC" }).format(copy.when),
    money: new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(input.amount),
    bytes: [...new TextEncoder().encode("hé")],
    query: new URLSearchParams({ q: "café", page: "2" }).toString(),
    sorted: ["cherry", "Banana", "apple"].sort(new Intl.Collator("en").compare),
    grouped: Object.groupBy([1, 2, 3, 4], (n) => (n % 2 ? "odd" : "even")),
  };
}
