// kind: script
// follows: https://docs.val.town/std/blob/ (std/blob imported in every documented form: /main.ts, bare, ?v=N, @N)
// deno: skip: uses std/blob, which only a Val Town-like host serves
// call: run {}
// outcome: success
// result: {"viaBare":{"hello":"world"},"viaPinned":{"hello":"world"},"viaAt":{"hello":"world"},"text":"plain text","keys":["forms-a","forms-b"],"missingJson":null,"missingGet":"ValTownBlobNotFoundError","afterDelete":["forms-b"]}

import { blob } from "https://esm.town/v/std/blob/main.ts";
import { blob as bare } from "https://esm.town/v/std/blob";
import { blob as pinned } from "https://esm.town/v/std/blob?v=12";
import { blob as at } from "https://esm.town/v/std/blob@12";

await blob.setJSON("forms-a", { hello: "world" });
await bare.set("forms-b", "plain text");

let missingGet = "no error";
try {
  await pinned.get("forms-none");
} catch (e) {
  missingGet = (e as Error).name;
}

const result = {
  viaBare: await bare.getJSON("forms-a"),
  viaPinned: await pinned.getJSON("forms-a"),
  viaAt: await at.getJSON("forms-a"),
  text: await (await at.get("forms-b")).text(),
  keys: (await blob.list("forms-")).map((b) => b.key),
  missingJson: (await blob.getJSON("forms-none")) ?? null,
  missingGet,
  afterDelete: (await (await bare.delete("forms-a"), blob.list("forms-"))).map((b) => b.key),
};

export default function () {
  return result;
}
