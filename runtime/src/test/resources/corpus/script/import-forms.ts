// kind: script
// follows: https://docs.val.town/vals/ (importing a val by its module URL: latest, pinned ?v=N and @N, per-file main.ts and main.tsx)
// uses: greet-lib.ts
// deno: skip: imports another val from esm.town, which only a Val Town-like host serves
// call: run {"args": ["Ann"]}
// outcome: success
// result: {"latest":"Hello, Ann!","pinned":"Hello, Ann!","at":"Hello, Ann!","file":"Hello, Ann!","tsx":"HELLO, ANN!"}

import { greet } from "https://esm.town/v/corpus/greet-lib";
import { greet as pinned } from "https://esm.town/v/corpus/greet-lib?v=1";
import { greet as at } from "https://esm.town/v/corpus/greet-lib@1";
import { greet as file } from "https://esm.town/v/corpus/greet-lib/main.ts";
import shout from "https://esm.town/v/corpus/greet-lib/main.tsx";

export default function (name: string) {
  return { latest: greet(name), pinned: pinned(name), at: at(name), file: file(name), tsx: shout(greet(name)) };
}
