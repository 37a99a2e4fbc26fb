// kind: http
// follows: https://docs.deno.com/api/web/~/setTimeout (expired timers fire in deadline order, ties in creation order)
// call: GET /
// status: 200
// expect-body: {"results":[30,10,20],"fired":["10","15a","15b","20","30"],"cleared":false}

export default async function () {
  const fired: string[] = [];
  const sleep = (ms: number, label = String(ms)) =>
    new Promise<number>((resolve) => setTimeout(() => { fired.push(label); resolve(ms); }, ms));
  let cleared = false;
  clearTimeout(setTimeout(() => { cleared = true; }, 5));
  const ties = [sleep(15, "15a"), sleep(15, "15b")];
  const results = await Promise.all([sleep(30), sleep(10), sleep(20)]);
  await Promise.all(ties);
  return Response.json({ results, fired, cleared });
}
