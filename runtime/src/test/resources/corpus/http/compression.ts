// kind: http
// follows: https://developer.mozilla.org/docs/Web/API/Compression_Streams_API (gzip with CompressionStream, back with DecompressionStream)
// call: POST /
// body: hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello
// status: 200
// expect-body: {"gzipMagic":"1f8b","smaller":true,"roundTrip":true,"deflateRoundTrip":true,"text":"hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello hello"}
// call: GET /download
// status: 200
// expect-header: content-type: application/gzip
// expect-header: content-disposition: attachment; filename="notes.txt.gz"

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export default async function (req: Request) {
  if (new URL(req.url).pathname === "/download") {
    const body = new Blob(["some notes\n"]).stream().pipeThrough(new CompressionStream("gzip"));
    return new Response(body, {
      headers: { "content-type": "application/gzip", "content-disposition": 'attachment; filename="notes.txt.gz"' },
    });
  }
  const input = new Uint8Array(await req.arrayBuffer());
  const gz = await pipe(input, new CompressionStream("gzip"));
  const back = await pipe(gz, new DecompressionStream("gzip"));
  const deflated = await pipe(input, new CompressionStream("deflate"));
  const inflated = await pipe(deflated, new DecompressionStream("deflate"));
  const text = new TextDecoder().decode(back);
  return Response.json({
    gzipMagic: gz[0].toString(16) + gz[1].toString(16),
    smaller: gz.length < input.length,
    roundTrip: text === new TextDecoder().decode(input),
    deflateRoundTrip: new TextDecoder().decode(inflated) === text,
    text,
  });
}
