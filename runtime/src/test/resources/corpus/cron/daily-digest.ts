// kind: cron
// follows: https://docs.val.town/vals/cron/ (an interval handler run by hand with "Run now")
// schedule: 0 9 1 1 *
// call: run {}
// outcome: success
// log: [log] digest for 3 items, last run: never
// call: run {}
// outcome: success
// log: [log] digest for 3 items, last run: never
// (a manual run does not move the schedule's lastRunAt, so the second run still sees none)

interface Interval {
  lastRunAt: Date | string | null | undefined;
}

const items = await Promise.resolve(["a", "b", "c"]);

export default async function (interval: Interval) {
  const since = interval.lastRunAt ? new Date(interval.lastRunAt).toISOString() : "never";
  console.log(`digest for ${items.length} items, last run: ${since}`);
}
