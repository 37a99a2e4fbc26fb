// kind: http
// follows: https://docs.val.town/vals/ (importing another val by its esm.town module URL)
// uses: greet-lib.ts
// deno: skip: imports another val from esm.town, which only a Val Town-like host serves
// call: GET /?name=Ann
// status: 200
// expect-body: {"greeting":"Hello, Ann!","shouted":"HELLO, ANN!","sameModule":true}

import shout, { greet } from "https://esm.town/v/corpus/greet-lib/main.ts";
import * as again from "https://esm.town/v/corpus/greet-lib/main.ts";

export default function (req: Request) {
  const name = new URL(req.url).searchParams.get("name") ?? "you";
  return Response.json({ greeting: greet(name), shouted: shout(greet(name)), sameModule: again.greet === greet });
}
