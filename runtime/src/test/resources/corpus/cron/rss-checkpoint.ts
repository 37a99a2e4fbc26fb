// kind: cron
// follows: https://docs.val.town/vals/cron/ (the RSS example: remembering the last run in std/blob)
// schedule: 0 * * * *
// blob: rss-checkpoint = "2024-12-02T00:00:00.000Z"
// deno: skip: uses std/blob, which only a Val Town-like host serves
// call: run {}
// outcome: success
// log: [log] Last run: 2024-12-02T00:00:00.000Z
// log: [log] new: Decorators land
// log: [log] new: Blob forms
// call: run {}
// outcome: success
// log: [log] Last run: 2024-12-05T00:00:00.000Z
// log: [log] nothing new

import { blob } from "https://esm.town/v/std/blob?v=12";

const feed = [
  { title: "Older post", published: "2024-12-01T00:00:00.000Z" },
  { title: "Decorators land", published: "2024-12-03T00:00:00.000Z" },
  { title: "Blob forms", published: "2024-12-05T00:00:00.000Z" },
];

export default async function () {
  const lastRunAt: string | undefined = await blob.getJSON("rss-checkpoint");
  console.log(`Last run: ${lastRunAt || "Never"}`);
  const fresh = feed.filter((item) => !lastRunAt || item.published > lastRunAt);
  for (const item of fresh) console.log(`new: ${item.title}`);
  if (fresh.length === 0) console.log("nothing new");
  await blob.setJSON("rss-checkpoint", feed.at(-1)!.published);
}
