// kind: http
// follows: https://docs.deno.com/api/web/~/Performance (timing a request with performance.now, mark and measure)
// call: GET /
// status: 200
// expect-header: server-timing: work;dur=<num>
// expect-body: {"nowIsNumber":true,"monotonic":true,"timeOriginNearNow":true,"measure":{"name":"work","entryType":"measure","startsAtMark":true,"durationAtLeast20":true},"marks":["start","end"],"afterClear":0}

export default async function () {
  const t0 = performance.now();
  performance.mark("start");
  await new Promise((r) => setTimeout(r, 25));
  performance.mark("end");
  const m = performance.measure("work", "start", "end");
  const t1 = performance.now();
  const start = performance.getEntriesByName("start")[0];
  const body = {
    nowIsNumber: typeof t0 === "number",
    monotonic: t1 >= t0 + 20,
    timeOriginNearNow: Math.abs(performance.timeOrigin + t1 - Date.now()) < 1000,
    measure: {
      name: m.name,
      entryType: m.entryType,
      startsAtMark: m.startTime === start.startTime,
      durationAtLeast20: m.duration >= 20,
    },
    marks: performance.getEntriesByType("mark").map((e) => e.name),
    afterClear: (performance.clearMarks(), performance.getEntriesByType("mark").length),
  };
  performance.clearMeasures();
  return Response.json(body, { headers: { "Server-Timing": `work;dur=${m.duration.toFixed(1)}` } });
}
