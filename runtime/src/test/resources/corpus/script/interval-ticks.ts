// kind: script
// follows: https://docs.deno.com/api/web/~/setInterval (polling with setInterval until done)
// call: run {"args": [3]}
// outcome: success
// result: {"ticks":3,"stoppedAfterClear":true}
// log: [log] tick 1
// log: [log] tick 2
// log: [log] tick 3
// log: [log] stopped

export default function (times: number) {
  return new Promise((resolve) => {
    let ticks = 0;
    const id = setInterval(() => {
      ticks++;
      console.log(`tick ${ticks}`);
      if (ticks === times) {
        clearInterval(id);
        console.log("stopped");
        setTimeout(() => resolve({ ticks, stoppedAfterClear: ticks === times }), 30);
      }
    }, 5);
  });
}
