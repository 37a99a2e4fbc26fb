// kind: http
// follows: https://docs.val.town/std/blob/ (the blob counter example, read once at the top level)
// blob: tla-counter = {"count": 41}
// deno: skip: uses std/blob, which only a Val Town-like host serves
// call: GET /
// status: 200
// expect-body: {"count":42,"loadedAt":41}
// call: GET /
// status: 200
// expect-body: {"count":43,"loadedAt":41}

import { blob } from "https://esm.town/v/std/blob/main.ts";

const KEY = "tla-counter";
const loaded = (await blob.getJSON(KEY)) ?? { count: 0 };
let requestCount: number = loaded.count;

export default async function (req: Request) {
  requestCount++;
  await blob.setJSON(KEY, { count: requestCount });
  return Response.json({ count: requestCount, loadedAt: loaded.count });
}
