// kind: http
// follows: https://datatracker.ietf.org/doc/html/rfc7518#section-3.3 (RS256 with keys imported as PKCS#8 and SPKI)
// call: GET /token
// status: 200
// expect-body: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.kvLwTtnjANi8rWjoECsNi9DHGXPFE33yXLUxqWtUEkjH9ymRq5cAhXLRyySL8Q-1GYF6ODonqXL_LoFqkuGmivHIrCsNfcnq2UASYN58o5sjHSNYFaATAXOgulmBbXTUdyMYsR-tSc26aeXABh6ZU1qjbXW3KRWJpRDvKV-Kctz86kCJWMq_RRLfOUkC17_eyizrUAs5GrppP0PmCwf46Flki0pNZYjwFoPmuv1WdGErFaUijto7iGELxJDsUgoX2YNyy32Xd4n1NYdVwT-33ckgunF27sBLPGHLROzPBpUSXOfViVcu17rn2Vk6oq7N1tos4KdiPJKFZ7rga36s8g
// call: GET /verify
// header: Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.kvLwTtnjANi8rWjoECsNi9DHGXPFE33yXLUxqWtUEkjH9ymRq5cAhXLRyySL8Q-1GYF6ODonqXL_LoFqkuGmivHIrCsNfcnq2UASYN58o5sjHSNYFaATAXOgulmBbXTUdyMYsR-tSc26aeXABh6ZU1qjbXW3KRWJpRDvKV-Kctz86kCJWMq_RRLfOUkC17_eyizrUAs5GrppP0PmCwf46Flki0pNZYjwFoPmuv1WdGErFaUijto7iGELxJDsUgoX2YNyy32Xd4n1NYdVwT-33ckgunF27sBLPGHLROzPBpUSXOfViVcu17rn2Vk6oq7N1tos4KdiPJKFZ7rga36s8g
// status: 200
// expect-body: {"valid":true,"sub":"ann"}
// call: GET /verify
// header: Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbm4iLCJhZG1pbiI6dHJ1ZSwiaWF0IjoxNzMzNDUwMDAwfQ.kvLwTtnjANi8rWjoECsNi9DHGXPFE33yXLUxqWtUEkjH9ymRq5cAhXLRyySL8Q-1GYF6ODonqXL_LoFqkuGmivHIrCsNfcnq2UASYN58o5sjHSNYFaATAXOgulmBbXTUdyMYsR-tSc26aeXABh6ZU1qjbXW3KRWJpRDvKV-Kctz86kCJWMq_RRLfOUkC17_eyizrUAs5GrppP0PmCwf46Flki0pNZYjwFoPmuv1WdGErFaUijto7iGELxJDsUgoX2YNyy32Xd4n1NYdVwT-33ckgunF27sBLPGHLROzPBpUSXOfViVcu17rn2Vk6oq7N1tos4KdiPJKFZ7rga36s8A
// status: 200
// expect-body: {"valid":false}

const PRIVATE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDNBy5lrGhaqnCnjSad/KGZY+GjgzBEWbx9vVTE9YCEqxWcuvXV4NnBEndViVOZzehrLu+c7hEYQmvTSRRUujI64bv3OD3D35gVfhTZwhz11H1/O6XqK9pY8XBIQ9RE60y8SiF8Ag5+qg2cFBYyAZ4x2LjprVrb20FIb0SkJiyMi5gcJ8ppiYv13a36j0LxcUegjbzYMjbZLKxZ5nyt9ddvmgoVlA9NEuEZE5FRuLrnvrZQA6cZyfWphhCGQz94BlnNnKxaD/9akgxL5NagRYJ5XHmz3NSf5OYYEwmJuFu9z30Fbyxi8k6zUzf41EIgrCNPOK40Y2HiMujZLHUl679JAgMBAAECggEAChdeD5UNIdadFYdwrNAAEtuurGygQIz7e7jeO5TVztyDg3j+8UL66hzYO3aMjdfA+8g4n6G8ElSamAX9y9nKRR79MG2Cj2nUQ3fhhiz0CJ7SenkGG+DYA2QGzG0Xko4o8w+MVwfcN3HJRQhcEKQHFERVfZ2Rs5vhZQj3o5iuvVAUY3zcq0/lbDL5qtfm2+EzZegG3zO3Yop0JjstWYPszUmi5Ym4GYHEaxm9LayGz+SFLV8spuXGt5kWao782olfFUcO3hsoWsdHRm9kaqOIvf5VAsF0p5LN7T9J0MoBdlw7EaIFXnX5Ggq6nUNdNLeW1Y7HWNqmrrPEaNd6S21I8QKBgQDobDr9yCAjnMiOHM0EMozUJZ51y0VuoxehR5y5+l0pjwImaLgZZWvARjylb1k7foaJdsbCld8E5fB20y4Ypy+EC2bRU6jNgtdf4fP8ofNs/vFdo18QtjtN909JjoAyleoLJ/cYKJFo60icR82mphRPpipaQ6bEKR7K7QbisrVOzQKBgQDh04oPCzzaVTBHAb6eNfWSUVCD7jeuWEYxnTpD2atHKgXLCENz6oU+9zp5VH6fXHfsyM7knYtq3+f6f4RptDla7pA2aYaqWRFcTlKBvSQF2slCwqbRCCeOpzc3/8iimxO0wLt8ISPm3WdU+rQIOg92ji63OgrTbIlasWZ7BNn6bQKBgDvXshCpuGyy74h3renIwi3VScl2fvgPkgP6lkXkSpxqr9kH2W7giC/HZdIKq2UAHM/D/0UWpYdzVMijcxjx4vASp3R6H9paN+3+FX4UjMKhma/MYqvA3+AhLw73W9aqdspMjfhwaZAkFFv4uOCRnmUrmXgINyYGmGETSlSQQtJ5AoGBAJFDjyJgOzPC6rwyXhjNYvtM/TrwiLbIp9aQagNtSGUNng5dcW5mJHI9fErB1HXUeHxDK/sZcK49+65CSr3oJaDdprypout/QdCbvS0hqsNtWltsdPwvf6qe28FU8w3OLZ3vAGs3si12rFqYrihAmOPNUDWiy4X24mAJj3+Avmr9AoGATMf5Bvl/dP+YJ5O48yEmpZGJZkSn9rrAgGreQg8jSnK+edjabHuBNepBmLt0SJOD5onw8VDKqdWFB9XJjdeywbv5Ekm3l88NKYrJgHZhZmrVqMHoc10O9qwfwmUBi+Z2aaxIajkhev0U+gUwY//53MWsbO5zm90r7+bZquxIt9g=";
const PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzQcuZaxoWqpwp40mnfyhmWPho4MwRFm8fb1UxPWAhKsVnLr11eDZwRJ3VYlTmc3oay7vnO4RGEJr00kUVLoyOuG79zg9w9+YFX4U2cIc9dR9fzul6ivaWPFwSEPUROtMvEohfAIOfqoNnBQWMgGeMdi46a1a29tBSG9EpCYsjIuYHCfKaYmL9d2t+o9C8XFHoI282DI22SysWeZ8rfXXb5oKFZQPTRLhGRORUbi65762UAOnGcn1qYYQhkM/eAZZzZysWg//WpIMS+TWoEWCeVx5s9zUn+TmGBMJibhbvc99BW8sYvJOs1M3+NRCIKwjTziuNGNh4jLo2Sx1Jeu/SQIDAQAB";

const der = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => der(s.replace(/-/g, "+").replace(/_/g, "/"));
const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const privateKey = await crypto.subtle.importKey("pkcs8", der(PRIVATE_KEY), alg, false, ["sign"]);
const publicKey = await crypto.subtle.importKey("spki", der(PUBLIC_KEY), alg, true, ["verify"]);
const enc = new TextEncoder();

export default async function (req: Request) {
  if (new URL(req.url).pathname === "/token") {
    const input = b64url(enc.encode(JSON.stringify({ alg: "RS256", typ: "JWT" }))) + "." +
      b64url(enc.encode(JSON.stringify({ sub: "ann", admin: true, iat: 1733450000 })));
    return new Response(input + "." + b64url(await crypto.subtle.sign(alg, privateKey, enc.encode(input))));
  }
  const [head, body, sig] = (req.headers.get("authorization") ?? "").slice(7).split(".");
  const valid = await crypto.subtle.verify(alg, publicKey, fromB64url(sig), enc.encode(head + "." + body));
  return Response.json(valid ? { valid, sub: JSON.parse(atob(body)).sub } : { valid });
}
