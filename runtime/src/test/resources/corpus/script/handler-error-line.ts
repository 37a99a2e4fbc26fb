// kind: script
// follows: https://docs.val.town/vals/script/ (an error thrown inside the default export after awaits)
// call: run {"args": ["ann@example.com"]}
// outcome: success
// result: {"user":"ann@example.com","plan":"pro"}
// call: run {"args": ["nobody@example.com"]}
// outcome: error
// error: TypeError: no account for nobody@example.com
// error-line: 18
// log: [log] looking up nobody@example.com

const accounts = new Map([["ann@example.com", "pro"]]);

export default async function (email: string) {
  console.log(`looking up ${email}`);
  await new Promise((r) => setTimeout(r, 5));
  const plan = accounts.get(email);
  if (!plan) throw new TypeError(`no account for ${email}`);
  await Promise.resolve();
  return { user: email, plan };
}
