// kind: cron
// follows: https://docs.val.town/vals/cron/ (the docs' cronValHandler: a module whose only export is a named function)
// schedule: 0 0 1 1 *
// call: run {}
// outcome: success
// log: [log] Cron val ran!

export function cronValHandler(interval: { lastRunAt?: Date }) {
  console.log("Cron val ran!");
}
